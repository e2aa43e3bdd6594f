-- +goose Up
-- Text search moves to PostgreSQL's full-text search. The words a sample is found by are still
-- made in Go (library.SearchTerms: name, tags, category, type, synonyms) and kept in
-- samples.search_terms, space-separated, so both databases index exactly the same words; SQLite
-- indexes the same column with FTS5.
--
-- The words become lexemes as they are (array_to_tsvector: no parser, no dictionary, no
-- stemming), so a query is a tsquery of the same words and matches exactly what SQLite matches.
-- The tsvector is stored, not an index expression: every match is checked again on its row, and
-- building the tsvector for that took most of a search's time. array_remove guards against an
-- empty word, which array_to_tsvector refuses. Backups leave the generated column out.
--
-- After the words come the sample's type and category as facets ("_type_oneshot",
-- "_cat_hat_closed"; store.SearchText): no query word starts with '_', so only a filter on them
-- asks for one, and the index then hands over only the samples it keeps.
ALTER TABLE samples ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
UPDATE samples SET search_terms = btrim(coalesce(
    (SELECT string_agg(term, ' ' ORDER BY term) FROM sample_terms WHERE sample_id = samples.id), '')
    || CASE WHEN sample_type IS NULL THEN '' ELSE ' _type_' || replace(sample_type, '-', '') END
    || CASE WHEN category IS NULL THEN '' ELSE ' _cat_' || category END);
ALTER TABLE samples ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (array_to_tsvector(array_remove(string_to_array(search_terms, ' '), ''))) STORED;
CREATE INDEX samples_search ON samples USING gin (search_vector);

DROP TRIGGER samples_search_fields ON samples;
DROP FUNCTION samples_search_fields();
DROP TABLE sample_terms;
DROP FUNCTION sample_terms_fields();

-- +goose Down
-- Back to the term index of 00011, filled from search_terms.
CREATE TABLE sample_terms (
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
INSERT INTO sample_terms (sample_id, term, sample_type, category, bpm, musical_key, scale,
    duration_s, loudness_lufs, favorite, rating, analysis_state, created_at, name_lower)
SELECT DISTINCT s.id, w.term, s.sample_type, s.category, s.bpm, s.musical_key, s.scale,
    s.duration_s, s.loudness_lufs, s.favorite, s.rating, s.analysis_state, s.created_at, s.name_lower
FROM samples s CROSS JOIN unnest(array_remove(string_to_array(s.search_terms, ' '), '')) AS w (term)
WHERE w.term NOT LIKE '\_%';
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
    FOR EACH ROW WHEN (NEW.name_lower IS NULL) EXECUTE FUNCTION sample_terms_fields();

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

DROP INDEX samples_search;
ALTER TABLE samples DROP COLUMN search_vector;
ALTER TABLE samples DROP COLUMN search_terms;
