-- One row per key of a namespace (v1:<user uuid>:global, v1:<user uuid>:<app uid>, v1:system).
-- COLLATE "C": keys compare as their UTF-8 bytes, the order `list` returns them in (as on SQLite).
-- value: the JSON text, NULL when the item has none (it reads as null); expires_at: epoch milliseconds, NULL = never;
-- version: bumped by every write, for the compare-and-set of read-modify-write operations (incr, update...).
CREATE TABLE kv_entries (
    namespace  TEXT COLLATE "C" NOT NULL,
    k          TEXT COLLATE "C" NOT NULL,
    value      TEXT,
    expires_at BIGINT,
    version    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (namespace, k)
);

CREATE INDEX kv_entries_expiry ON kv_entries (expires_at) WHERE expires_at IS NOT NULL;
