package dev.hearth.core.spi;

import java.util.Optional;

/**
 * What core needs to know about apps, which live in a module above it. The apps module registers a service that
 * implements this; without one, core cannot tell whether an app exists and takes every app uid in a token it signed
 * as existing.
 */
public interface AppDirectory {

    /** An app as core sees it. */
    record App(String uid, String name, Optional<Long> ownerUserId) {}

    /** The app with this uid ({@code app-...}). */
    Optional<App> appByUid(String appUid);

    /**
     * Records the bootstrap app of a third-party origin (spec 2.6.5), unless an app with that uid exists:
     * {@code uid = name = title = appUid}, {@code index_url = origin}, no owner. Called by
     * {@code /auth/get-user-app-token} before it hands out a token for the origin.
     */
    default void bootstrapFromOrigin(String appUid, String origin) {}
}
