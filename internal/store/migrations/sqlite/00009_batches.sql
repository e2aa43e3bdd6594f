-- +goose Up
-- Folder imports. Items are recorded before they are processed, so an import cut short by a crash
-- resumes where it stopped and a retry touches only the failures.
CREATE TABLE batches (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    root              TEXT    NOT NULL,
    tags              TEXT    NOT NULL DEFAULT '[]',
    tags_from_folders INTEGER NOT NULL DEFAULT 0,
    state             TEXT    NOT NULL CHECK (state IN ('queued', 'scanning', 'running', 'done', 'cancelled', 'failed')),
    total             INTEGER NOT NULL DEFAULT 0,
    error             TEXT    NOT NULL DEFAULT '',
    created_at        DATETIME NOT NULL,
    started_at        DATETIME,
    finished_at       DATETIME,
    updated_at        DATETIME NOT NULL
);

CREATE TABLE batch_items (
    batch_id  INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    path      TEXT    NOT NULL,
    state     TEXT    NOT NULL CHECK (state IN ('pending', 'added', 'duplicate', 'failed', 'skipped')),
    sample_id INTEGER REFERENCES samples (id) ON DELETE SET NULL,
    reason    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, path)
);
CREATE INDEX batch_items_state ON batch_items (batch_id, state);

-- +goose Down
DROP TABLE batch_items;
DROP TABLE batches;
