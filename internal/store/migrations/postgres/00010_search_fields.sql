-- +goose Up
-- The term index carries a copy of the fields a list filters and sorts on, so a text search reads
-- one range of a covering index (index-only) and never visits the samples rows. The copies are
-- kept by the triggers below: a new term row takes them from its sample, and a change to a sample
-- rewrites its term rows. The table is rebuilt rather than altered and updated in place, which
-- would leave a dead copy of every row in the table and its indexes.
CREATE TABLE sample_terms_new (
    sample_id      BIGINT NOT NULL,
    term           TEXT COLLATE "C" NOT NULL,
    sample_type    TEXT,
    category       TEXT,
    bpm            DOUBLE PRECISION,
    musical_key    TEXT,
    scale          TEXT,
    duration_s     DOUBLE PRECISION,
    loudness_lufs  DOUBLE PRECISION,
    favorite       BOOLEAN,
    rating         INTEGER,
    analysis_state TEXT,
    created_at     TIMESTAMPTZ,
    name_lower     TEXT
);
INSERT INTO sample_terms_new (sample_id, term, sample_type, category, bpm, musical_key, scale,
    duration_s, loudness_lufs, favorite, rating, analysis_state, created_at, name_lower)
SELECT st.sample_id, st.term, s.sample_type, s.category, s.bpm, s.musical_key, s.scale,
    s.duration_s, s.loudness_lufs, s.favorite, s.rating, s.analysis_state, s.created_at, s.name_lower
FROM sample_terms st JOIN samples s ON s.id = st.sample_id;
DROP TABLE sample_terms;
ALTER TABLE sample_terms_new RENAME TO sample_terms;
ALTER TABLE sample_terms ADD CONSTRAINT sample_terms_pkey PRIMARY KEY (sample_id, term);
ALTER TABLE sample_terms ADD CONSTRAINT sample_terms_sample_id_fkey
    FOREIGN KEY (sample_id) REFERENCES samples (id) ON DELETE CASCADE;
CREATE INDEX sample_terms_search ON sample_terms (term, sample_id) INCLUDE (sample_type,
    category, bpm, musical_key, scale, duration_s, loudness_lufs, favorite, rating,
    analysis_state, created_at, name_lower);

-- +goose StatementBegin
CREATE FUNCTION sample_terms_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT s.sample_type, s.category, s.bpm, s.musical_key, s.scale, s.duration_s,
        s.loudness_lufs, s.favorite, s.rating, s.analysis_state, s.created_at, s.name_lower
    INTO NEW.sample_type, NEW.category, NEW.bpm, NEW.musical_key, NEW.scale, NEW.duration_s,
        NEW.loudness_lufs, NEW.favorite, NEW.rating, NEW.analysis_state, NEW.created_at,
        NEW.name_lower
    FROM samples s WHERE s.id = NEW.sample_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER sample_terms_fields BEFORE INSERT ON sample_terms
    FOR EACH ROW EXECUTE FUNCTION sample_terms_fields();

-- +goose StatementBegin
CREATE FUNCTION samples_search_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sample_terms SET sample_type = NEW.sample_type, category = NEW.category,
        bpm = NEW.bpm, musical_key = NEW.musical_key, scale = NEW.scale,
        duration_s = NEW.duration_s, loudness_lufs = NEW.loudness_lufs,
        favorite = NEW.favorite, rating = NEW.rating, analysis_state = NEW.analysis_state,
        created_at = NEW.created_at, name_lower = NEW.name_lower
    WHERE sample_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER samples_search_fields AFTER UPDATE OF sample_type, category, bpm, musical_key,
    scale, duration_s, loudness_lufs, favorite, rating, analysis_state, created_at, name_lower
    ON samples FOR EACH ROW
    WHEN ((OLD.sample_type, OLD.category, OLD.bpm, OLD.musical_key, OLD.scale, OLD.duration_s,
        OLD.loudness_lufs, OLD.favorite, OLD.rating, OLD.analysis_state, OLD.created_at,
        OLD.name_lower) IS DISTINCT FROM (NEW.sample_type, NEW.category, NEW.bpm,
        NEW.musical_key, NEW.scale, NEW.duration_s, NEW.loudness_lufs, NEW.favorite,
        NEW.rating, NEW.analysis_state, NEW.created_at, NEW.name_lower))
    EXECUTE FUNCTION samples_search_fields();

-- +goose Down
DROP TRIGGER samples_search_fields ON samples;
DROP FUNCTION samples_search_fields();
DROP TRIGGER sample_terms_fields ON sample_terms;
DROP FUNCTION sample_terms_fields();
DROP INDEX sample_terms_search;
CREATE INDEX sample_terms_term ON sample_terms (term, sample_id);
ALTER TABLE sample_terms
    DROP COLUMN sample_type, DROP COLUMN category, DROP COLUMN bpm, DROP COLUMN musical_key,
    DROP COLUMN scale, DROP COLUMN duration_s, DROP COLUMN loudness_lufs, DROP COLUMN favorite,
    DROP COLUMN rating, DROP COLUMN analysis_state, DROP COLUMN created_at,
    DROP COLUMN name_lower;
