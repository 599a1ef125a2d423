package dev.hearth.core;

import java.util.Arrays;
import java.util.Optional;

/** The {@code type} claim of Hearth's (and Puter's) authentication tokens (spec 2.2). */
public enum TokenType {
    /** The login session's token, in the HttpOnly cookie. */
    SESSION("session"),
    /** The same login session's token for JSON responses and {@code Authorization} headers. */
    GUI("gui"),
    APP_UNDER_USER("app-under-user"),
    ACCESS_TOKEN("access-token"),
    ACTOR_SITE("actor-site"),
    /** Used only by the hosting middleware; refused as a bearer token. */
    APP_PRIVATE_ASSET("app-private-asset"),
    /** Used only by the hosting middleware; refused as a bearer token. */
    APP_PUBLIC_HOSTED_ACTOR("app-public-hosted-actor");

    private final String claim;

    TokenType(String claim) {
        this.claim = claim;
    }

    /** The value of the {@code type} claim. */
    public String claim() {
        return claim;
    }

    public static Optional<TokenType> ofClaim(String claim) {
        return Arrays.stream(values()).filter(t -> t.claim.equals(claim)).findFirst();
    }
}
