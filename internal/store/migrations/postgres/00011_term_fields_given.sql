-- +goose Up
-- The store inserts a sample's search terms in one statement that copies the sample's fields
-- itself, so the per-row trigger only fills rows inserted without them.
DROP TRIGGER sample_terms_fields ON sample_terms;
CREATE TRIGGER sample_terms_fields BEFORE INSERT ON sample_terms
    FOR EACH ROW WHEN (NEW.name_lower IS NULL) EXECUTE FUNCTION sample_terms_fields();

-- +goose Down
DROP TRIGGER sample_terms_fields ON sample_terms;
CREATE TRIGGER sample_terms_fields BEFORE INSERT ON sample_terms
    FOR EACH ROW EXECUTE FUNCTION sample_terms_fields();
