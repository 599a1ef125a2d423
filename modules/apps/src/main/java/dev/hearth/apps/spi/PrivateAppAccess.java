package dev.hearth.apps.spi;

import java.util.Map;
import java.util.Optional;

import dev.hearth.apps.App;
import dev.hearth.core.User;

/**
 * Who may launch a private app ({@code is_private}, set by operators; spec 4.9, upstream's events
 * {@code app.privateAccess.check} and {@code app.privateAccess.resolveLaunch}). A module or an external mod registers
 * a service implementing this to sell or share access; without one, only the app's owner may launch it.
 */
public interface PrivateAppAccess {

    /**
     * The {@code privateAccess} object of a private app for a user (none: a caller without a user), as
     * {@code puter-apps} and {@code /apps/:name} return it: at least {@code hasAccess} and {@code checkedBy}; a
     * denial may name a {@code fallbackAppName} with {@code fallbackArgs} and a {@code reason}.
     */
    Map<String, Object> resolveLaunch(App app, Optional<User> user);
}
