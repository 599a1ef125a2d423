-- Notifications (spec real-time 6.2), SQLite. Unlike the rest of core, the times here are unix *seconds*, as in Puter's
-- table, because the puter-notifications driver hands these rows to clients. `read` is Hearth's fix: upstream's
-- /notif/mark-read writes a column no migration creates.
CREATE TABLE notification (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    uid          TEXT NOT NULL UNIQUE,
    value        TEXT NOT NULL,
    acknowledged BIGINT,
    shown        BIGINT,
    read         BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX notification_user ON notification (user_id, id);
