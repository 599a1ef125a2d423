package dev.hearth.core;

/**
 * The application events of accounts, so that modules above core (the filesystem, apps, hosting, KV) react without
 * core depending on them. Keys:
 *
 * <ul>
 *   <li>{@value #CREATED} ({@link Created}): after a user row is inserted; the filesystem creates the default
 *       folders and records their uuids with {@link Users#setProfile}.</li>
 *   <li>{@value #DELETING} ({@link Deleted}): before a user is deleted; modules delete what the user owns.</li>
 *   <li>{@value #DELETED} ({@link Deleted}): after the user row and core's dependent rows are gone.</li>
 *   <li>{@value #USERNAME_CHANGED} ({@link UsernameChanged}): the filesystem renames the home directory.</li>
 *   <li>{@value #EMAIL_CONFIRMED} ({@link EmailConfirmed}): pending email shares are applied.</li>
 *   <li>{@value #EMAIL_CHANGED} ({@link EmailConfirmed}): a confirmed change of address.</li>
 *   <li>{@value #PASSWORD_CHANGED} ({@link PasswordChanged}): mailers notify.</li>
 * </ul>
 *
 * No event carries a password.
 */
public final class UserEvents {

    public static final String CREATED = "user.created";
    public static final String DELETING = "user.deleting";
    public static final String DELETED = "user.deleted";
    public static final String USERNAME_CHANGED = "user.username-changed";
    public static final String EMAIL_CONFIRMED = "user.email-confirmed";
    public static final String PASSWORD_CHANGED = "user.password-changed";
    public static final String EMAIL_CHANGED = "user.email-changed";

    private UserEvents() {}

    public record Created(long userId, String userUuid, String username, boolean temp) {}

    public record Deleted(long userId, String userUuid, String username) {}

    public record UsernameChanged(long userId, String userUuid, String oldUsername, String newUsername) {}

    public record EmailConfirmed(long userId, String userUuid, String email) {}

    public record PasswordChanged(long userId, String userUuid) {}
}
