package dev.hearth.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A user account (spec 1.1), as read from the database. The password hash is not part of it: only
 * {@link Users} compares passwords.
 *
 * @param id internal id, never sent to clients (the socket room name)
 * @param uuid the public id
 * @param username case-sensitive, unique
 * @param email absent for temporary users and the default admin
 * @param cleanEmail the normalised email (spec 1.3.4)
 * @param hasPassword false for temporary and OIDC-only users
 * @param folders the default folders' uuids by name ({@code desktop}, {@code appdata}, {@code documents},
 *                {@code pictures}, {@code videos}, {@code trash}, {@code public}), as the filesystem recorded them
 * @param metadata the {@code metadata} JSON object, as text
 */
public record User(
        long id,
        String uuid,
        String username,
        Optional<String> email,
        Optional<String> cleanEmail,
        boolean hasPassword,
        boolean emailConfirmed,
        boolean requiresEmailConfirmation,
        Optional<String> unconfirmedChangeEmail,
        boolean suspended,
        boolean unsubscribed,
        boolean otpEnabled,
        OptionalLong freeStorage,
        OptionalLong maxSubdomains,
        Optional<String> taskbarItems,
        Optional<String> desktopBgUrl,
        Optional<String> desktopBgColor,
        Optional<String> desktopBgFit,
        Map<String, String> folders,
        Optional<String> referrer,
        Optional<String> referralCode,
        String metadata,
        Instant createdAt,
        Optional<Instant> lastActivity) {

    /** The uuid of the reserved user {@code system} (spec 1.1). */
    public static final String SYSTEM_UUID = "5d4adce0-a381-4982-9c02-6e2540026238";
    public static final String SYSTEM_USERNAME = "system";
    public static final String ADMIN_USERNAME = "admin";

    public User {
        Objects.requireNonNull(uuid);
        Objects.requireNonNull(username);
        folders = Map.copyOf(folders);
    }

    /** A guest: no password and no email. */
    public boolean isTemp() {
        return !hasPassword && email.isEmpty();
    }

    /** Signs in only through an OIDC provider: an email but no password. */
    public boolean isOidcOnly() {
        return !hasPassword && email.isPresent();
    }

    /** The reserved user {@code system}, which holds every permission. */
    public boolean isSystem() {
        return SYSTEM_USERNAME.equals(username) && SYSTEM_UUID.equals(uuid);
    }
}
