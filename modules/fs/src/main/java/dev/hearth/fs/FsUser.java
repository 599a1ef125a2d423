package dev.hearth.fs;

import java.util.Objects;

/**
 * The user a filesystem operation acts for: the numeric {@code user.id} (owner ids and socket rooms use it) and
 * the username (home directories are named after it, and {@code ~} expands to it). The accounts module's actors
 * map to this until the filesystem takes actors directly.
 */
public record FsUser(long id, String username) {
    public FsUser {
        Objects.requireNonNull(username);
        if (username.isEmpty() || username.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a username: " + username);
        }
    }
}
