package dev.hearth.kernel;

/**
 * Who a request acts as. The kernel only carries it in the {@link Context}; the core module defines the closed
 * set of actors (user, app under a user, access token, site, system) and every check downstream uses the
 * actor, never a raw user id.
 */
public interface Actor {

    /** A stable identifier of this actor, safe to log. */
    String uid();
}
