-- +goose Up
-- Hash of the decoded audio (same sound in another container or with other metadata) and a
-- fingerprint for near duplicates (analysis.AudioHash, analysis.Fingerprint).
ALTER TABLE samples ADD COLUMN audio_hash TEXT;
ALTER TABLE samples ADD COLUMN fingerprint BYTEA;
CREATE INDEX samples_audio_hash ON samples (audio_hash);

-- +goose Down
DROP INDEX samples_audio_hash;
ALTER TABLE samples DROP COLUMN fingerprint;
ALTER TABLE samples DROP COLUMN audio_hash;
