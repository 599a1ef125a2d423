package dev.hearth.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A user acting for themselves, through a login session's token or internally without one.
 *
 * @param session the login session's uuid; absent for actors made without a session (an access token's authorizer,
 *                internal jobs)
 * @param hasHttpOnlyCookie true when authenticated with a {@code session}-type token (the cookie's), false for a
 *                          {@code gui} token; {@code /user-protected/*} requires it
 */
public record UserActor(User user, Optional<String> session, boolean hasHttpOnlyCookie) implements Actor {

    public UserActor {
        Objects.requireNonNull(user);
        Objects.requireNonNull(session);
    }

    /** A user actor without a session. */
    public static UserActor of(User user) {
        return new UserActor(user, Optional.empty(), false);
    }

    @Override
    public Optional<User> actingUser() {
        return Optional.of(user);
    }

    /** {@code user:<user uuid>}. */
    @Override
    public String uid() {
        return "user:" + user.uuid();
    }
}
