-- Single-use anti-CSRF tokens (spec 2.6.9), per user: in the database so that a token issued by one instance can be
-- used on another. Only a hash of each token is kept.
CREATE TABLE anti_csrf_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX anti_csrf_tokens_user ON anti_csrf_tokens (user_id, created_at);
