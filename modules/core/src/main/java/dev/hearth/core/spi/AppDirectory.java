package dev.hearth.core.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.hearth.core.User;

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

    /**
     * A user authorised an app: {@code /auth/get-user-app-token} has just issued the app a token for the user. The apps
     * module makes sure the app's folder {@code /<username>/AppData/<appUid>} exists (spec 4.7).
     */
    default void appAuthorized(User user, String appUid) {}

    /**
     * The user's taskbar as {@code /signup} and {@code /whoami} show it (spec 1.8): the user's {@code taskbar_items}
     * (the default list when unset), apps only, without {@code explorer} and missing apps, each the app row minus its
     * internal columns, with {@code icon} the icon's URL at {@code iconSize}, or left out without one.
     */
    default List<Map<String, Object>> taskbarItems(User user, OptionalInt iconSize) {
        return List.of();
    }
}
