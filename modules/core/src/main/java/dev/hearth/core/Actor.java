package dev.hearth.core;

import java.util.Optional;

/**
 * Who a request acts as (spec 2.5): the closed set of actors. Every permission and ACL check takes an actor, never a
 * raw user id. The kernel's {@link dev.hearth.kernel.Context} carries it as a {@link dev.hearth.kernel.Actor}; take it
 * back with {@code instanceof Actor a} and switch over the cases.
 */
public sealed interface Actor extends dev.hearth.kernel.Actor
        permits UserActor, AppUnderUserActor, AccessTokenActor, SiteActor, SystemActor {

    /**
     * The user whose account this actor acts for: the user itself, the user an app runs under, or the user who
     * authorised an access token. Sites and the system act for nobody.
     */
    Optional<User> actingUser();
}
