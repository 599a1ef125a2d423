-- Username and email changes, for the monthly username-change limit (spec 1.11) and for operators. Reasons are
-- 'change_username' and 'change_email' (upstream writes the latter as 'change_username' by mistake; only real
-- username changes count towards the limit here).
CREATE TABLE user_update_audit (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX user_update_audit_user ON user_update_audit (user_id, reason, created_at);
