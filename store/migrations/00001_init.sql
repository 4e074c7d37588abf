-- The state a multi-replica deployment shares. Lines, files and snapshots
-- are bytea so that what a caller stored comes back byte for byte.

-- +goose Up
CREATE TABLE journal (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind     text        NOT NULL,
    line     bytea       NOT NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    -- chosen by the appender, so that a line whose commit was not
    -- confirmed, spooled and flushed later, or flushed twice after a
    -- crash, is stored once
    line_id  text        NOT NULL UNIQUE
);
CREATE INDEX journal_kind_id ON journal (kind, id);

CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE counters (
    key        text PRIMARY KEY,
    value      bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE file_sets (
    name       text PRIMARY KEY,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE files (
    set_name text  NOT NULL REFERENCES file_sets (name) ON DELETE CASCADE,
    path     text  NOT NULL,
    sha256   bytea NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (set_name, path)
);

CREATE TABLE snapshots (
    key        text PRIMARY KEY,
    bytes      bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- A snapshot is cut in chunks so that neither side holds a whole index in
-- memory, and no row nears bytea's 1 GB limit.
CREATE TABLE snapshot_chunks (
    key  text    NOT NULL REFERENCES snapshots (key) ON DELETE CASCADE,
    seq  integer NOT NULL,
    data bytea   NOT NULL,
    PRIMARY KEY (key, seq)
);

-- +goose Down
DROP TABLE snapshot_chunks;
DROP TABLE snapshots;
DROP TABLE files;
DROP TABLE file_sets;
DROP TABLE counters;
DROP TABLE settings;
DROP TABLE journal;
