-- +goose Up
CREATE TABLE kits (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    device       TEXT    NOT NULL CHECK (device IN ('mk2', 'sx')),
    bpm          REAL NOT NULL,
    -- JSON arrays of 10 (banks A-J): tempo (0 = the kit's) and volume 0-127.
    bank_tempos  TEXT    NOT NULL,
    bank_volumes TEXT    NOT NULL,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);

CREATE TABLE kit_pads (
    kit_id    INTEGER NOT NULL REFERENCES kits (id) ON DELETE CASCADE,
    bank      INTEGER NOT NULL CHECK (bank BETWEEN 0 AND 9),
    pad       INTEGER NOT NULL CHECK (pad BETWEEN 1 AND 16),
    -- A sample in use is only deleted when the user forces it; its pads go with it.
    sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    -- The device's pad settings as JSON (library.PadSettings).
    settings  TEXT    NOT NULL,
    PRIMARY KEY (kit_id, bank, pad)
);
CREATE INDEX kit_pads_sample ON kit_pads (sample_id);

-- +goose Down
DROP TABLE kit_pads;
DROP TABLE kits;
