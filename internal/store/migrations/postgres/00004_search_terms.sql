-- +goose Up
-- Words a sample is found by (its name, tags, category and type, with synonyms), tokenised in Go
-- (library.SearchTerms) so both databases index and match exactly the same terms. COLLATE "C"
-- makes prefix ranges compare bytes, as SQLite does.
CREATE TABLE sample_terms (
    sample_id BIGINT NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    term      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (sample_id, term)
);
CREATE INDEX sample_terms_term ON sample_terms (term, sample_id);

-- +goose Down
DROP TABLE sample_terms;
