-- Filesystem entries (filesystem.md 1.1). The tree is (parent_uid, name); path is a denormalised cache kept
-- in the same transaction as every change of the tree. Booleans are 0/1 integers on every engine, timestamps
-- whole Unix seconds. user_id is the owner's user.id; it has no foreign key yet because the user table belongs
-- to the accounts work (add one in a later migration once it exists on every engine).
CREATE TABLE fsentries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid               CHAR(36)     NOT NULL UNIQUE,
    parent_uid         CHAR(36),
    user_id            BIGINT       NOT NULL,
    name               TEXT NOT NULL,
    path               TEXT NOT NULL,
    is_dir             SMALLINT     NOT NULL DEFAULT 0,
    immutable          SMALLINT     NOT NULL DEFAULT 0,
    is_shortcut        SMALLINT     NOT NULL DEFAULT 0,
    shortcut_to        CHAR(36),
    is_symlink         SMALLINT     NOT NULL DEFAULT 0,
    symlink_path       TEXT,
    is_public          SMALLINT,
    public_token       CHAR(36),
    file_request_token CHAR(36),
    associated_app_id  BIGINT,
    metadata           TEXT,
    layout             VARCHAR(30),
    sort_by            VARCHAR(30),
    sort_order         VARCHAR(30),
    thumbnail          TEXT,
    size               BIGINT,
    created            BIGINT       NOT NULL,
    modified           BIGINT       NOT NULL,
    accessed           BIGINT,
    -- The blob store key of a file's content: the uuid when the file is created, a fresh key per overwrite so
    -- that the new content and the new size become visible together (filesystem.md 6.7).
    blob_key           VARCHAR(64)
);

-- One name per folder (filesystem.md 1.1, 6.3). A composite unique index does not constrain NULLs, so home
-- directories (parent_uid NULL) get their own.
CREATE UNIQUE INDEX fsentries_parent_name ON fsentries (parent_uid, name);
CREATE UNIQUE INDEX fsentries_home_name ON fsentries (name) WHERE parent_uid IS NULL;
-- Listing a folder in creation order, page by page (keyset on id).
CREATE INDEX fsentries_parent_id ON fsentries (parent_uid, id);
-- Lookups by path, and subtrees as path ranges ('/a/b/' <= path < '/a/b0').
CREATE INDEX fsentries_path ON fsentries (path);
-- Disk usage per user.
CREATE INDEX fsentries_user ON fsentries (user_id);
