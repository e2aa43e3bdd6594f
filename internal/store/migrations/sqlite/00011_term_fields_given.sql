-- +goose Up
-- The store inserts a sample's search terms in one statement that copies the sample's fields
-- itself, so the per-row trigger only fills rows inserted without them.
DROP TRIGGER sample_terms_fields;
-- +goose StatementBegin
CREATE TRIGGER sample_terms_fields AFTER INSERT ON sample_terms
WHEN NEW.name_lower IS NULL
BEGIN
    UPDATE sample_terms SET (sample_type, category, bpm, musical_key, scale, duration_s,
        loudness_lufs, favorite, rating, analysis_state, created_at, name_lower) =
        (SELECT sample_type, category, bpm, musical_key, scale, duration_s, loudness_lufs,
            favorite, rating, analysis_state, created_at, name_lower
         FROM samples WHERE id = NEW.sample_id)
    WHERE term = NEW.term AND sample_id = NEW.sample_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sample_terms_fields;
-- +goose StatementBegin
CREATE TRIGGER sample_terms_fields AFTER INSERT ON sample_terms
BEGIN
    UPDATE sample_terms SET (sample_type, category, bpm, musical_key, scale, duration_s,
        loudness_lufs, favorite, rating, analysis_state, created_at, name_lower) =
        (SELECT sample_type, category, bpm, musical_key, scale, duration_s, loudness_lufs,
            favorite, rating, analysis_state, created_at, name_lower
         FROM samples WHERE id = NEW.sample_id)
    WHERE term = NEW.term AND sample_id = NEW.sample_id;
END;
-- +goose StatementEnd
