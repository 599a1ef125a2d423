-- Group membership, permission grants, access tokens, the cache epoch, and the seeded system user and default
-- groups (spec 1.14). Apps live in a module above core, so grants to apps name the app by its uid (no foreign key).
CREATE TABLE group_members (
    group_id   BIGINT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE user_to_user_permissions (
    issuer_user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    holder_user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission     TEXT NOT NULL,
    extra          TEXT NOT NULL DEFAULT '{}',
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (issuer_user_id, holder_user_id, permission)
);
CREATE INDEX uup_holder ON user_to_user_permissions (holder_user_id, permission);

CREATE TABLE user_to_group_permissions (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id   BIGINT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    extra      TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, group_id, permission)
);
CREATE INDEX ugp_group ON user_to_group_permissions (group_id, permission);

CREATE TABLE user_to_app_permissions (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    app_uid    TEXT NOT NULL,
    permission TEXT NOT NULL,
    extra      TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_uid, permission)
);

CREATE TABLE dev_to_app_permissions (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    app_uid    TEXT NOT NULL,
    permission TEXT NOT NULL,
    extra      TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_uid, permission)
);
CREATE INDEX dap_app ON dev_to_app_permissions (app_uid, permission);

CREATE TABLE access_tokens (
    token_uid          TEXT PRIMARY KEY,
    authorizer_user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    authorizer_app_uid TEXT,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT
);
CREATE INDEX access_tokens_user ON access_tokens (authorizer_user_id);

CREATE TABLE access_token_permissions (
    token_uid  TEXT NOT NULL REFERENCES access_tokens (token_uid) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    extra      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (token_uid, permission)
);

-- A counter per cache family. Whoever revokes something bumps it; every instance polls it and drops what it
-- cached under an older value (see CacheEpoch).
CREATE TABLE cache_epoch (
    name  TEXT PRIMARY KEY,
    epoch BIGINT NOT NULL
);
INSERT INTO cache_epoch (name, epoch) VALUES ('auth', 0);

-- The reserved user `system` (no password: it cannot log in).
INSERT INTO users (uuid, username, created_at) VALUES ('5d4adce0-a381-4982-9c02-6e2540026238', 'system', 0);

INSERT INTO user_groups (uid, owner_user_id, extra, metadata, created_at)
SELECT g.uid, u.id, g.extra, g.metadata, 0
FROM (
    SELECT '26bfb1fb-421f-45bc-9aa4-d81ea569e7a5' AS uid, '{"name":"system"}' AS extra, '{"title":"System"}' AS metadata
    UNION ALL SELECT 'ca342a5e-b13d-4dee-9048-58b11a57cc55', '{"name":"admin"}', '{"title":"Admin"}'
    UNION ALL SELECT '78b1b1dd-c959-44d2-b02c-8735671f9997', '{"name":"user"}', '{"title":"User"}'
    UNION ALL SELECT '3c2dfff7-d22a-41aa-a193-59a61dac4b64', '{"name":"moderator"}', '{"title":"Moderator"}'
    UNION ALL SELECT '5e8f251d-3382-4b0d-932c-7bb82f48652f', '{"name":"developer"}', '{"title":"Developer"}'
    UNION ALL SELECT 'b7220104-7905-4985-b996-649fdcdb3c8f', '{"name":"temp"}', '{"title":"Guest"}'
) g, users u
WHERE u.username = 'system';

INSERT INTO user_to_group_permissions (user_id, group_id, permission, extra, created_at)
SELECT u.id, g.id, 'driver', '{}', 0 FROM users u, user_groups g
WHERE u.username = 'system' AND g.uid = 'ca342a5e-b13d-4dee-9048-58b11a57cc55';
