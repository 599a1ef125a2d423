package dev.hearth.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What a verified authentication token says, by type (spec 2.2). Nothing here has been checked against the database. */
public sealed interface TokenClaims {

    /** A {@code session} or {@code gui} token: a login session of a user. */
    record Session(TokenType type, String sessionUuid, String userUuid) implements TokenClaims {
        public Session {
            if (type != TokenType.SESSION && type != TokenType.GUI) {
                throw new IllegalArgumentException("a session token is of type session or gui, not " + type);
            }
            Objects.requireNonNull(sessionUuid);
            Objects.requireNonNull(userUuid);
        }
    }

    /** An {@code app-under-user} token; the session uuid is already decrypted. */
    record AppUnderUser(String userUuid, String appUid, Optional<String> sessionUuid) implements TokenClaims {}

    /** An {@code access-token}. */
    record AccessToken(String tokenUid, String userUuid, Optional<String> appUid, Optional<Instant> expiresAt)
            implements TokenClaims {}

    /** An {@code actor-site} token. */
    record Site(String siteUid, Optional<Instant> issuedAt) implements TokenClaims {}

    /** A token of the hosting middleware ({@code app-private-asset}, {@code app-public-hosted-actor}). */
    record Hosted(TokenType type, String appUid, String userUuid, Optional<String> sessionUuid, Map<String, Object> claims)
            implements TokenClaims {}

    /** A token without {@code type}: Puter's legacy token, naming a user by {@code uuid}. */
    record Legacy(String userUuid) implements TokenClaims {}
}
