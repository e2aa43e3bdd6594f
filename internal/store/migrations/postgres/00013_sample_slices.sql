-- +goose Up
-- A slice is a sample that plays a region of another sample's file (a loop chopped into pads): it
-- shares its original's blob_key, so no audio is copied. source_id is the original, always a
-- sample of its own file (never another slice); region_start and region_end are frames of the
-- original's decoded audio, the end exclusive. The library refuses to delete an original that has
-- slices unless forced, and then deletes them in the same transaction; the deferred key only
-- guards that no slice outlives its original, and lets a restore insert rows in any order.
ALTER TABLE samples ADD COLUMN source_id BIGINT REFERENCES samples (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE samples ADD COLUMN region_start BIGINT;
ALTER TABLE samples ADD COLUMN region_end BIGINT;
ALTER TABLE samples ADD CONSTRAINT samples_region CHECK (
    (source_id IS NULL AND region_start IS NULL AND region_end IS NULL) OR
    (source_id IS NOT NULL AND region_start >= 0 AND region_end > region_start));
CREATE INDEX samples_source ON samples (source_id) WHERE source_id IS NOT NULL;

-- +goose Down
-- Without the columns a slice would play its whole original: slices go (their pads with them).
DELETE FROM samples WHERE source_id IS NOT NULL;
DROP INDEX samples_source;
ALTER TABLE samples DROP CONSTRAINT samples_region;
ALTER TABLE samples DROP COLUMN region_end;
ALTER TABLE samples DROP COLUMN region_start;
ALTER TABLE samples DROP COLUMN source_id;
