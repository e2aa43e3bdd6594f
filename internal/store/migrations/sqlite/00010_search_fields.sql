-- +goose Up
-- The term index carries a copy of the fields a list filters and sorts on, so a text search reads
-- one range of the index (the rows of its word, clustered by the primary key) and never the wide
-- samples rows, which hold waveform peaks and vectors. The copies are kept by the triggers below:
-- a new term row takes them from its sample, and a change to a sample rewrites its term rows.
CREATE TABLE sample_terms_new (
    term           TEXT    NOT NULL,
    sample_id      INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    sample_type    TEXT,
    category       TEXT,
    bpm            REAL,
    musical_key    TEXT,
    scale          TEXT,
    duration_s     REAL,
    loudness_lufs  REAL,
    favorite       INTEGER,
    rating         INTEGER,
    analysis_state TEXT,
    created_at     DATETIME,
    name_lower     TEXT,
    PRIMARY KEY (term, sample_id)
) WITHOUT ROWID;
INSERT INTO sample_terms_new (term, sample_id, sample_type, category, bpm, musical_key, scale,
    duration_s, loudness_lufs, favorite, rating, analysis_state, created_at, name_lower)
SELECT st.term, st.sample_id, s.sample_type, s.category, s.bpm, s.musical_key, s.scale,
    s.duration_s, s.loudness_lufs, s.favorite, s.rating, s.analysis_state, s.created_at, s.name_lower
FROM sample_terms st JOIN samples s ON s.id = st.sample_id;
DROP TABLE sample_terms;
ALTER TABLE sample_terms_new RENAME TO sample_terms;
-- A sample's own terms: re-indexing, the cascade on delete, word checks per sample.
CREATE INDEX sample_terms_sample ON sample_terms (sample_id, term);

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

-- +goose StatementBegin
CREATE TRIGGER samples_search_fields AFTER UPDATE OF sample_type, category, bpm, musical_key,
    scale, duration_s, loudness_lufs, favorite, rating, analysis_state, created_at, name_lower
    ON samples
WHEN OLD.sample_type IS NOT NEW.sample_type OR OLD.category IS NOT NEW.category
    OR OLD.bpm IS NOT NEW.bpm OR OLD.musical_key IS NOT NEW.musical_key
    OR OLD.scale IS NOT NEW.scale OR OLD.duration_s IS NOT NEW.duration_s
    OR OLD.loudness_lufs IS NOT NEW.loudness_lufs OR OLD.favorite IS NOT NEW.favorite
    OR OLD.rating IS NOT NEW.rating OR OLD.analysis_state IS NOT NEW.analysis_state
    OR OLD.created_at IS NOT NEW.created_at OR OLD.name_lower IS NOT NEW.name_lower
BEGIN
    UPDATE sample_terms SET sample_type = NEW.sample_type, category = NEW.category,
        bpm = NEW.bpm, musical_key = NEW.musical_key, scale = NEW.scale,
        duration_s = NEW.duration_s, loudness_lufs = NEW.loudness_lufs,
        favorite = NEW.favorite, rating = NEW.rating, analysis_state = NEW.analysis_state,
        created_at = NEW.created_at, name_lower = NEW.name_lower
    WHERE sample_id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER samples_search_fields;
DROP TRIGGER sample_terms_fields;
CREATE TABLE sample_terms_old (
    sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    term      TEXT    NOT NULL,
    PRIMARY KEY (sample_id, term)
);
INSERT INTO sample_terms_old (sample_id, term) SELECT sample_id, term FROM sample_terms;
DROP TABLE sample_terms;
ALTER TABLE sample_terms_old RENAME TO sample_terms;
CREATE INDEX sample_terms_term ON sample_terms (term, sample_id);
