-- One row per key of a namespace (v1:<user uuid>:global, v1:<user uuid>:<app uid>, v1:system).
-- Keys compare as their UTF-8 bytes (SQLite's BINARY collation), the order `list` returns them in.
-- value: the JSON text, NULL when the item has none (it reads as null); expires_at: epoch milliseconds, NULL = never;
-- version: bumped by every write, for the compare-and-set of read-modify-write operations (incr, update...).
CREATE TABLE kv_entries (
    namespace  TEXT    NOT NULL,
    k          TEXT    NOT NULL,
    value      TEXT,
    expires_at INTEGER,
    version    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (namespace, k)
) WITHOUT ROWID;

CREATE INDEX kv_entries_expiry ON kv_entries (expires_at) WHERE expires_at IS NOT NULL;
