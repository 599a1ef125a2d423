package dev.hearth.core;

import java.util.Objects;
import java.util.Optional;

/**
 * An access token in use: it holds exactly the permissions stored for it, and only while its authorizer still holds
 * them too.
 *
 * @param tokenUid the token's uuid ({@code token_uid})
 * @param authorizer who created it: a user actor (without a session) or an app-under-user actor
 * @param authorized the actor in the context when the token was used, if any (normally none)
 */
public record AccessTokenActor(String tokenUid, Actor authorizer, Optional<Actor> authorized) implements Actor {

    public AccessTokenActor {
        Objects.requireNonNull(tokenUid);
        Objects.requireNonNull(authorized);
        if (!(authorizer instanceof UserActor) && !(authorizer instanceof AppUnderUserActor)) {
            throw new IllegalArgumentException("an access token is authorised by a user or an app under a user, not "
                    + authorizer);
        }
    }

    /** The authorizer's user. */
    @Override
    public Optional<User> actingUser() {
        return authorizer.actingUser();
    }

    /** {@code access-token:<authorizer uid>:<authorized uid or <none>>:<token uid>}. */
    @Override
    public String uid() {
        return "access-token:" + authorizer.uid() + ":" + authorized.map(Actor::uid).orElse("<none>") + ":" + tokenUid;
    }
}
