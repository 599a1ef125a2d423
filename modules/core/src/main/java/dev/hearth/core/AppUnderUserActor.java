package dev.hearth.core;

import java.util.Objects;
import java.util.Optional;

/**
 * An app acting for a user, through an app-under-user token. It never has more rights than its user (spec 3.5).
 *
 * @param appUid the app's uid ({@code app-...}); the app registry lives in a module above core
 * @param session the user's login session the token was issued under, if any
 */
public record AppUnderUserActor(User user, String appUid, Optional<String> session) implements Actor {

    public AppUnderUserActor {
        Objects.requireNonNull(user);
        Objects.requireNonNull(appUid);
        Objects.requireNonNull(session);
    }

    /** The related user actor: the same user, without a session. */
    public UserActor userActor() {
        return UserActor.of(user);
    }

    @Override
    public Optional<User> actingUser() {
        return Optional.of(user);
    }

    /** {@code app-under-user:<user uuid>:<app uid>}. */
    @Override
    public String uid() {
        return "app-under-user:" + user.uuid() + ":" + appUid;
    }
}
