-- +goose Up
CREATE TABLE samples (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    content_hash        TEXT    NOT NULL UNIQUE,
    file_name           TEXT    NOT NULL,
    name_lower          TEXT    NOT NULL,
    blob_key            TEXT    NOT NULL,
    format              TEXT    NOT NULL,
    size_bytes          INTEGER NOT NULL,
    duration_s          REAL    NOT NULL DEFAULT 0,
    frames              INTEGER NOT NULL DEFAULT 0,
    sample_rate         INTEGER NOT NULL DEFAULT 0,
    channels            INTEGER NOT NULL DEFAULT 0,
    bit_depth           INTEGER NOT NULL DEFAULT 0,
    sample_type         TEXT,
    category            TEXT,
    category_confidence REAL    NOT NULL DEFAULT 0,
    bpm                 REAL,
    bpm_confidence      REAL    NOT NULL DEFAULT 0,
    bpm_alternates      TEXT    NOT NULL DEFAULT '[]',
    bpm_source          TEXT    NOT NULL DEFAULT 'none',
    musical_key         TEXT,
    scale               TEXT,
    key_confidence      REAL    NOT NULL DEFAULT 0,
    root_note           TEXT,
    loudness_lufs       REAL,
    true_peak_dbtp      REAL,
    peak_dbfs           REAL,
    spectral            TEXT,
    brightness          REAL,
    peaks               TEXT,
    onsets              TEXT,
    similarity          BLOB,
    analysis_version    TEXT,
    analysis_state      TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (analysis_state IN ('pending', 'analyzing', 'done', 'failed')),
    analysis_error      TEXT    NOT NULL DEFAULT '',
    favorite            INTEGER NOT NULL DEFAULT 0,
    rating              INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    notes               TEXT    NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    analyzed_at         DATETIME
);
CREATE INDEX samples_created ON samples (created_at, id);
CREATE INDEX samples_name ON samples (name_lower, id);
-- Sorting puts missing values (not yet analysed, no pulse) last in both directions; these
-- expression indexes match the ORDER BY clauses in store/samples.go exactly.
CREATE INDEX samples_bpm ON samples (bpm, id);
CREATE INDEX samples_bpm_asc ON samples ((bpm IS NULL), bpm, id);
CREATE INDEX samples_bpm_desc ON samples ((bpm IS NOT NULL), bpm, id);
CREATE INDEX samples_key_asc ON samples ((musical_key IS NULL), musical_key, id);
CREATE INDEX samples_key_desc ON samples ((musical_key IS NOT NULL), musical_key, id);
CREATE INDEX samples_loudness_asc ON samples ((loudness_lufs IS NULL), loudness_lufs, id);
CREATE INDEX samples_loudness_desc ON samples ((loudness_lufs IS NOT NULL), loudness_lufs, id);
CREATE INDEX samples_key ON samples (musical_key, scale, id);
CREATE INDEX samples_type_category ON samples (sample_type, category, id);
CREATE INDEX samples_category ON samples (category, id);
CREATE INDEX samples_category_bpm ON samples (category, bpm);
CREATE INDEX samples_duration ON samples (duration_s, id);
CREATE INDEX samples_state ON samples (analysis_state, id);
CREATE INDEX samples_favorite ON samples (favorite, id) WHERE favorite = 1;

CREATE TABLE sample_tags (
    sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    tag       TEXT    NOT NULL,
    PRIMARY KEY (sample_id, tag)
);
CREATE INDEX sample_tags_tag ON sample_tags (tag, sample_id);

-- +goose Down
DROP TABLE sample_tags;
DROP TABLE samples;
