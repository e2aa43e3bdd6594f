-- +goose Up
-- Text search moves to SQLite's full-text engine, FTS5. The words a sample is found by are still
-- made in Go (library.SearchTerms: name, tags, category, type, synonyms) and kept in
-- samples.search_terms, space-separated, so both databases index exactly the same words;
-- PostgreSQL indexes the same column with its full-text GIN index.
--
-- sample_fts indexes that column (an external-content table: the text is not stored twice).
-- The ascii tokenizer splits only at ASCII punctuation and spaces, so a word with non-ASCII
-- letters stays whole, as in Go; '_' is part of a word ("hat_closed"). detail=none keeps only
-- which samples hold a word, all a search asks; the prefix indexes serve "kic" → kick.
--
-- After the words come the sample's type and category as facets ("_type_oneshot",
-- "_cat_hat_closed"; store.SearchText): no query word starts with '_', so only a filter on them
-- asks for one, and the index then hands over only the samples it keeps.
ALTER TABLE samples ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
UPDATE samples SET search_terms = trim(coalesce(
    (SELECT group_concat(term, ' ') FROM (SELECT term FROM sample_terms
        WHERE sample_id = samples.id ORDER BY term)), '')
    || CASE WHEN sample_type IS NULL THEN '' ELSE ' _type_' || replace(sample_type, '-', '') END
    || CASE WHEN category IS NULL THEN '' ELSE ' _cat_' || category END);
CREATE VIRTUAL TABLE sample_fts USING fts5(search_terms, content = 'samples', content_rowid = 'id',
    tokenize = "ascii tokenchars '_'", detail = none, prefix = '1 2 3');
INSERT INTO sample_fts (sample_fts) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER samples_fts_insert AFTER INSERT ON samples
BEGIN
    INSERT INTO sample_fts (rowid, search_terms) VALUES (NEW.id, NEW.search_terms);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER samples_fts_delete AFTER DELETE ON samples
BEGIN
    INSERT INTO sample_fts (sample_fts, rowid, search_terms) VALUES ('delete', OLD.id, OLD.search_terms);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER samples_fts_update AFTER UPDATE OF search_terms ON samples
WHEN OLD.search_terms IS NOT NEW.search_terms
BEGIN
    INSERT INTO sample_fts (sample_fts, rowid, search_terms) VALUES ('delete', OLD.id, OLD.search_terms);
    INSERT INTO sample_fts (rowid, search_terms) VALUES (NEW.id, NEW.search_terms);
END;
-- +goose StatementEnd

DROP TRIGGER samples_search_fields;
DROP TRIGGER sample_terms_fields;
DROP TABLE sample_terms;

-- +goose Down
-- Back to the term index of 00011, filled from search_terms.
CREATE TABLE sample_terms (
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
CREATE INDEX sample_terms_sample ON sample_terms (sample_id, term);
-- Terms hold only letters, digits and '_', so each becomes a JSON string as it is.
INSERT OR IGNORE INTO sample_terms (term, sample_id, sample_type, category, bpm, musical_key, scale,
    duration_s, loudness_lufs, favorite, rating, analysis_state, created_at, name_lower)
SELECT j.value, s.id, s.sample_type, s.category, s.bpm, s.musical_key, s.scale,
    s.duration_s, s.loudness_lufs, s.favorite, s.rating, s.analysis_state, s.created_at, s.name_lower
FROM samples s, json_each('["' || replace(s.search_terms, ' ', '","') || '"]') j
WHERE s.search_terms != '' AND j.value NOT LIKE '\_%' ESCAPE '\';

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

DROP TRIGGER samples_fts_update;
DROP TRIGGER samples_fts_delete;
DROP TRIGGER samples_fts_insert;
DROP TABLE sample_fts;
ALTER TABLE samples DROP COLUMN search_terms;
