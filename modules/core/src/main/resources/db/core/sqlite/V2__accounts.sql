-- Accounts, login sessions, groups, permission grants and access tokens (SQLite). The PostgreSQL twin differs
-- only in its identity columns. Times are unix milliseconds. JSON is kept as text.
-- The table is `users`, not Puter's `user`: USER is a reserved word in PostgreSQL.
CREATE TABLE users (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                        TEXT NOT NULL UNIQUE,
    -- Case-sensitive (BINARY), as self-hosted Puter compares usernames.
    username                    TEXT NOT NULL UNIQUE,
    email                       TEXT,
    clean_email                 TEXT,
    password                    TEXT,
    email_confirmed             INTEGER NOT NULL DEFAULT 0,
    requires_email_confirmation INTEGER NOT NULL DEFAULT 0,
    email_confirm_code          TEXT,
    email_confirm_token         TEXT,
    pass_recovery_token         TEXT,
    unconfirmed_change_email    TEXT,
    change_email_confirm_token  TEXT,
    suspended                   INTEGER NOT NULL DEFAULT 0,
    unsubscribed                INTEGER NOT NULL DEFAULT 0,
    free_storage                BIGINT,
    max_subdomains              INTEGER,
    taskbar_items               TEXT,
    desktop_bg_url              TEXT,
    desktop_bg_color            TEXT,
    desktop_bg_fit              TEXT,
    desktop_uuid                TEXT,
    appdata_uuid                TEXT,
    documents_uuid              TEXT,
    pictures_uuid               TEXT,
    videos_uuid                 TEXT,
    trash_uuid                  TEXT,
    public_uuid                 TEXT,
    referrer                    TEXT,
    referral_code               TEXT,
    referred_by                 INTEGER REFERENCES users (id) ON DELETE SET NULL,
    otp_secret                  TEXT,
    otp_enabled                 INTEGER NOT NULL DEFAULT 0,
    otp_recovery_codes          TEXT,
    audit_metadata              TEXT,
    signup_ip                   TEXT,
    signup_ip_forwarded         TEXT,
    signup_user_agent           TEXT,
    signup_origin               TEXT,
    signup_server               TEXT,
    metadata                    TEXT NOT NULL DEFAULT '{}',
    created_at                  BIGINT NOT NULL,
    last_activity_at            BIGINT
);
CREATE INDEX users_email ON users (email);
CREATE INDEX users_clean_email ON users (clean_email);
CREATE INDEX users_referral_code ON users (referral_code);

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid          TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    meta          TEXT NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL,
    last_activity BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE user_groups (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    uid           TEXT NOT NULL UNIQUE,
    owner_user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    extra         TEXT NOT NULL DEFAULT '{}',
    metadata      TEXT NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL
);
CREATE INDEX user_groups_owner ON user_groups (owner_user_id, created_at);

CREATE TABLE permission_audit (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL,
    action         TEXT NOT NULL,
    issuer_user_id BIGINT,
    holder         TEXT NOT NULL,
    permission     TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
