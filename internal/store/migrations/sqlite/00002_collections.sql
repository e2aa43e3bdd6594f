-- +goose Up
CREATE TABLE collections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL CHECK (kind IN ('manual', 'smart')),
    rules       TEXT,
    -- Deleting a parent moves its children to the top level.
    parent_id   INTEGER REFERENCES collections (id) ON DELETE SET NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX collections_parent ON collections (parent_id);

CREATE TABLE collection_samples (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    sample_id     INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    added_at      DATETIME NOT NULL,
    PRIMARY KEY (collection_id, sample_id)
);
CREATE INDEX collection_samples_sample ON collection_samples (sample_id);
CREATE INDEX collection_samples_position ON collection_samples (collection_id, position);

-- +goose Down
DROP TABLE collection_samples;
DROP TABLE collections;
