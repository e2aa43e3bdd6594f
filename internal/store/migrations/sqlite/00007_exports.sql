-- +goose Up
-- Kit exports run in the background; the ZIP they write stays under DATA_DIR/exports.
CREATE TABLE exports (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kit_id     INTEGER REFERENCES kits (id) ON DELETE SET NULL,
    kit_name   TEXT    NOT NULL,
    target     TEXT    NOT NULL,
    options    TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    done       INTEGER NOT NULL DEFAULT 0,
    total      INTEGER NOT NULL DEFAULT 0,
    result     TEXT,
    error      TEXT    NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX exports_state ON exports (state, id);

-- +goose Down
DROP TABLE exports;
