-- +goose Up
-- Words a sample is found by (its name, tags, category and type, with synonyms), tokenised in Go
-- (library.SearchTerms) so both databases index and match exactly the same terms.
CREATE TABLE sample_terms (
    sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    term      TEXT    NOT NULL,
    PRIMARY KEY (sample_id, term)
);
CREATE INDEX sample_terms_term ON sample_terms (term, sample_id);

-- +goose Down
DROP TABLE sample_terms;
