-- +goose Up
-- Every AI call, recorded once (vibe.Call).
CREATE TABLE ai_calls (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    time          DATETIME NOT NULL,
    model         TEXT    NOT NULL,
    operation     TEXT    NOT NULL,
    sample_id     INTEGER REFERENCES samples (id) ON DELETE SET NULL,
    input_tokens  BIGINT  NOT NULL,
    output_tokens BIGINT  NOT NULL,
    cost_usd      REAL NOT NULL,
    cost_source   TEXT    NOT NULL,
    latency_ms    BIGINT  NOT NULL,
    outcome       TEXT    NOT NULL,
    error         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX ai_calls_time ON ai_calls (time);

-- The latest vibe of each sample (vibe.Vibe as JSON).
CREATE TABLE sample_vibes (
    sample_id  INTEGER PRIMARY KEY REFERENCES samples (id) ON DELETE CASCADE,
    vibe       TEXT NOT NULL,
    fallback   TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);

-- The user's preferences: one row, JSON (library.Preferences).
CREATE TABLE preferences (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    data       TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE preferences;
DROP TABLE sample_vibes;
DROP TABLE ai_calls;
