package dev.hearth.core;

import java.time.Instant;
import java.util.Map;

/**
 * A login session (spec 2.3): what the cookie's session token and the GUI token both name. Sessions do not expire;
 * they end when revoked (logout, revoke-session, password change, user deletion).
 *
 * @param meta {@code {ip, server, user_agent?, referer?, origin?, host?, created, created_unix}}, as
 *             {@code /auth/list-sessions} shows it
 */
public record Session(long id, String uuid, long userId, Map<String, Object> meta, Instant createdAt,
        Instant lastActivity) {

    public Session {
        meta = Map.copyOf(meta);
    }
}
