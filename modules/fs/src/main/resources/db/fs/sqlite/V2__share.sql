-- Pending shares with people who have no account yet (accounts spec 3.12.1): one row per email recipient of a
-- POST /share, applied and deleted when an account with that address confirms it. data is the JSON
-- {$:'internal:share', $v:'v0.0.0', permissions:[...], metadata}; created_at is in Unix milliseconds.
CREATE TABLE share (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid             CHAR(36) NOT NULL UNIQUE,
    issuer_user_id  BIGINT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_email TEXT     NOT NULL,
    data            TEXT     NOT NULL,
    created_at      BIGINT   NOT NULL
);
CREATE INDEX share_recipient_email ON share (recipient_email);
