-- The app registry (spec 4.1). Times are epoch milliseconds. icon: empty, a data URL, or "/app-icon/<uid>" when the
-- icon's bytes are in the blob store (the row keeps only the marker; the API origin is added when it is served).
-- owner_user_id NULL: an origin's bootstrap app or a built-in app; app_owner: the app that created this one.
CREATE TABLE apps (
    id                             INTEGER PRIMARY KEY AUTOINCREMENT,
    uid                            TEXT    NOT NULL UNIQUE,
    owner_user_id                  INTEGER REFERENCES users (id) ON DELETE CASCADE,
    icon                           TEXT,
    name                           TEXT    NOT NULL UNIQUE,
    title                          TEXT    NOT NULL,
    description                    TEXT,
    godmode                        INTEGER NOT NULL DEFAULT 0,
    maximize_on_start              INTEGER NOT NULL DEFAULT 0,
    index_url                      TEXT    NOT NULL,
    approved_for_listing           INTEGER NOT NULL DEFAULT 0,
    approved_for_opening_items     INTEGER NOT NULL DEFAULT 0,
    approved_for_incentive_program INTEGER NOT NULL DEFAULT 0,
    created_at                     INTEGER NOT NULL,
    last_review                    INTEGER,
    tags                           TEXT,
    app_owner                      INTEGER REFERENCES apps (id) ON DELETE SET NULL,
    background                     INTEGER NOT NULL DEFAULT 0,
    metadata                       TEXT,
    protected                      INTEGER NOT NULL DEFAULT 0,
    is_private                     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX apps_owner ON apps (owner_user_id);
CREATE INDEX apps_index_url ON apps (index_url);

-- File types an app opens: the extension, lower case, without the dot ("directory" for folders).
CREATE TABLE app_filetype_association (
    app_id INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    type   TEXT    NOT NULL,
    PRIMARY KEY (app_id, type)
);
CREATE INDEX app_filetype_association_type ON app_filetype_association (type);

-- Names freed by renames, reserved for their app for 120 days.
CREATE TABLE old_app_names (
    name       TEXT    NOT NULL PRIMARY KEY,
    app_uid    TEXT    NOT NULL REFERENCES apps (uid) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);

-- Recent app opens (POST /rao), for /get-launch-apps and the open counts.
CREATE TABLE app_opens (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    app_uid TEXT    NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ts      INTEGER NOT NULL
);
CREATE INDEX app_opens_user ON app_opens (user_id, ts);
CREATE INDEX app_opens_app ON app_opens (app_uid);
