-- Signed uploads in progress (puterjs-client-contract.md 5.3-5.7): one row per file item of /fs/startBatchWrite,
-- from the start until it is completed, aborted or expired. The bytes live in the blob store under staging keys
-- that no entry points at until the commit; the sweeper deletes those of uploads that never completed.
-- state: pending -> completing -> completed, or pending/completing -> failed (expired, or a completion that
-- failed) / aborted. Times are Unix milliseconds. user_id is the requester, owner_id the owner of the target
-- folder (whose quota the upload reserves until it ends). entry_uuid is the uuid the file will have: a new one, or
-- the overwritten entry's.
CREATE TABLE fs_pending_uploads (
    id                  CHAR(36)     PRIMARY KEY,
    user_id             BIGINT       NOT NULL,
    owner_id            BIGINT       NOT NULL,
    target_path         TEXT         NOT NULL,
    entry_uuid          CHAR(36)     NOT NULL,
    overwrite           SMALLINT     NOT NULL,
    dedupe_name         SMALLINT     NOT NULL,
    create_parents      SMALLINT     NOT NULL,
    content_type        TEXT         NOT NULL,
    declared_size       BIGINT       NOT NULL,
    upload_mode         VARCHAR(16)  NOT NULL,
    part_size           BIGINT       NOT NULL,
    part_count          INTEGER      NOT NULL,
    direct              SMALLINT     NOT NULL,
    staged_key          VARCHAR(64),
    multipart_upload_id TEXT,
    final_key           VARCHAR(64),
    gui_metadata        TEXT,
    state               VARCHAR(16)  NOT NULL,
    created_at          BIGINT       NOT NULL,
    expires_at          BIGINT       NOT NULL
);
CREATE INDEX fs_pending_uploads_state ON fs_pending_uploads (state, expires_at);
CREATE INDEX fs_pending_uploads_owner ON fs_pending_uploads (owner_id, state);

-- The parts Hearth's own upload route received: each PUT goes to a fresh key, recorded here once complete (a
-- repeated PUT of a part replaces the row; the older object is deleted).
CREATE TABLE fs_upload_parts (
    upload_id   CHAR(36)     NOT NULL,
    part_number INTEGER      NOT NULL,
    blob_key    VARCHAR(64)  NOT NULL,
    size        BIGINT       NOT NULL,
    etag        VARCHAR(80)  NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
