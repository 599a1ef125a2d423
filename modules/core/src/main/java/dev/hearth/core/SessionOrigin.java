package dev.hearth.core;

import java.util.Optional;

/**
 * Where a login came from, recorded in the session's {@code meta}. The web layer fills it in, taking the client
 * address from its trusted-proxy chain.
 */
public record SessionOrigin(Optional<String> ip, Optional<String> userAgent, Optional<String> referer,
        Optional<String> origin, Optional<String> host) {

    public static final SessionOrigin UNKNOWN = new SessionOrigin(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());
}
