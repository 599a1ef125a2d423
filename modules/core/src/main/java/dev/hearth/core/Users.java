package dev.hearth.core;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.EventBus;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code users} service: user accounts (spec 1.1, 1.3, 1.6, 1.6.3, 1.11, 1.12, 1.14).
 *
 * <p>Signup validation follows the spec's processing order and texts ({@link #create}); login is
 * {@link #authenticate}, the domain half of {@code /login} (the endpoint validates the body's shape, consults the
 * {@link LoginThrottle}, then creates a session). Usernames compare case-sensitively; emails are looked up exactly, the
 * first row winning. On the first boot the default admin is created with a random password that
 * {@link #takeInitialAdminPassword()} hands out once, for the console to print; it never goes to the log.
 */
public final class Users implements Service {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final List<String> ADJECTIVES = List.of("amber", "brave", "calm", "daring", "eager", "fuzzy",
            "gentle", "happy", "icy", "jolly", "kind", "lively", "merry", "nimble", "odd", "plucky", "quiet", "rapid",
            "shiny", "tidy", "upbeat", "vivid", "witty", "young", "zesty");
    private static final List<String> NOUNS = List.of("acorn", "badger", "comet", "dune", "ember", "fjord", "grove",
            "harbor", "island", "jasper", "kettle", "lantern", "meadow", "nebula", "otter", "pebble", "quartz", "river",
            "spruce", "thistle", "umbra", "valley", "willow", "yarrow", "zephyr");

    private final ServiceContext context;
    private final AccountSettings settings;
    private final Passwords passwords;
    private final Clock clock;
    private final AtomicReference<String> initialAdminPassword = new AtomicReference<>();
    private volatile Database database;
    private volatile CacheEpoch epoch;
    /** How long {@link #byUuidRecent} serves a row without reading it again. */
    static final Duration RECENT = Duration.ofSeconds(1);
    /** The rows {@link #byUuidRecent} served in the last {@link #RECENT}, by uuid. */
    private final Cache<String, User> recent = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(RECENT)
            .build();
    /** Counts this service's writes: a row read while one happened is not kept (it may predate the write). */
    private final AtomicLong writes = new AtomicLong();

    Users(ServiceContext context) {
        this(context, Clock.systemUTC());
    }

    Users(ServiceContext context, Clock clock) {
        this.context = context;
        this.settings = AccountSettings.from(context.config());
        this.passwords = new Passwords(settings.bcryptCost());
        this.clock = clock;
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
        epoch = context.services().get(CacheEpoch.class);
    }

    /** Creates the default admin on the first boot: when no user but {@code system} exists. */
    @Override
    public void ready() {
        boolean firstBoot = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM users WHERE username <> :system").bind("system", User.SYSTEM_USERNAME)
                .mapTo(Long.class).one()) == 0;
        if (firstBoot) {
            String password = randomPassword(20);
            try {
                add(User.ADMIN_USERNAME, Optional.empty(), password, true);
                initialAdminPassword.set(password);
            } catch (ApiError e) {
                // Another instance sharing the database created it first: its console shows the password.
                if (!usernameTaken(User.ADMIN_USERNAME)) {
                    throw e;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lookups

    public Optional<User> byId(long id) {
        return row("id = :v", id).map(UserRow::user);
    }

    public Optional<User> byUuid(String uuid) {
        return row("uuid = :v", uuid).map(UserRow::user);
    }

    /**
     * The user with this uuid as read at most {@link #RECENT} ago: for authentication, which every request needs
     * (reading the row each time was one of the larger shares of a {@code /stat}). A write through this service drops
     * the user's row here at once; other instances, and edits made to the table outside Hearth, show within the
     * second. Decisions that need the row as it is now, such as a limit, read {@link #byId}.
     */
    public Optional<User> byUuidRecent(String uuid) {
        User hit = recent.getIfPresent(uuid);
        if (hit != null) {
            return Optional.of(hit);
        }
        long before = writes.get();
        Optional<User> read = byUuid(uuid);
        if (read.isPresent() && writes.get() == before) {
            recent.put(uuid, read.get());
        }
        return read;
    }

    /** Drops a user's row from {@link #byUuidRecent}'s memory; called after every write to it. */
    private void forget(long userId) {
        writes.incrementAndGet();
        recent.asMap().values().removeIf(u -> u.id() == userId);
    }

    /** Case-sensitive. */
    public Optional<User> byUsername(String username) {
        return row("username = :v", username).map(UserRow::user);
    }

    /** The first account (lowest id) with exactly this email. */
    public Optional<User> byEmail(String email) {
        return row("email = :v", email).map(UserRow::user);
    }

    /** Users in id order, for the CLI's {@code user list}. */
    public List<User> list(int offset, int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM users ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset).map(Users::mapRow).map(UserRow::user).list());
    }

    public boolean usernameTaken(String username) {
        return byUsername(username).isPresent();
    }

    /** Whether a confirmed account already uses this email (as given or cleaned). OIDC-only accounts count. */
    public boolean emailTaken(String email) {
        String clean = AccountRules.cleanEmail(email);
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE (email = :e OR clean_email = :e"
                        + " OR email = :c OR clean_email = :c) AND email_confirmed = 1")
                .bind("e", email).bind("c", clean).mapTo(Long.class).one()) > 0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Signup

    /**
     * Signs a user up (spec 1.3.2 steps 10 to 17, minus the pseudo-user branch, which Hearth does not have). Every
     * refusal is a {@code 400} whose message is the spec's plain text: the endpoint answers it as text.
     */
    public User create(NewUser request) {
        String username = request.username().orElseGet(Users::randomUsername);
        Optional<String> email = request.temp() ? Optional.empty() : request.email();
        Optional<String> password = request.temp() ? Optional.empty() : request.password();
        if (username.isEmpty()) {
            throw ApiError.badRequest("Username is required");
        }
        switch (AccountRules.usernameProblem(username).orElse(null)) {
            case INVALID -> throw ApiError.badRequest("Username can only contain letters, numbers and underscore (_).");
            case TOO_LONG -> throw ApiError.badRequest("Username cannot be longer than "
                    + AccountRules.USERNAME_MAX_LENGTH + " characters.");
            case RESERVED -> throw ApiError.badRequest("This username is not available.");
            case null -> { }
        }
        if (!request.temp()) {
            if (email.isEmpty() || email.get().isEmpty()) {
                throw ApiError.badRequest("Email is required");
            }
            if (!AccountRules.isValidEmail(email.get())) {
                throw ApiError.badRequest("Please enter a valid email address.");
            }
            if (password.isEmpty() || password.get().isEmpty()) {
                throw ApiError.badRequest("Password is required");
            }
            if (!AccountRules.isLongEnough(password.get(), settings.minPasswordLength())) {
                throw ApiError.badRequest("Password must be at least " + settings.minPasswordLength()
                        + " characters long.");
            }
            if (!emailAllowed(AccountRules.cleanEmail(email.get()))) {
                throw ApiError.badRequest("This email cannot be used. Please try a different email address.");
            }
        }
        if (usernameTaken(username)) {
            throw ApiError.badRequest("Username already taken. Try another one.");
        }
        if (email.isPresent() && emailTaken(email.get())) {
            throw ApiError.badRequest("This email already exists in our database. Please use another one.");
        }
        return insert(username, email, password, request.temp() ? DefaultGroups.TEMP : DefaultGroups.USER,
                request.requiresEmailConfirmation(), settings.storageCapacity(), request.origin(), false);
    }

    /**
     * Adds an account as an operator would ({@code hearth user add}): no reserved-name check, the email confirmed,
     * membership of the admin group or the user group.
     */
    public User add(String username, Optional<String> email, String password, boolean admin) {
        if (username == null || !AccountRules.USERNAME.matcher(username).matches()
                || username.length() > AccountRules.USERNAME_MAX_LENGTH) {
            throw ApiError.fieldInvalid("username", "letters, numbers, underscore (_)", username);
        }
        if (email.isPresent() && !AccountRules.isValidEmail(email.get())) {
            throw ApiError.fieldInvalid("email", "a valid email address", email.get());
        }
        if (!AccountRules.isLongEnough(password, settings.minPasswordLength())) {
            throw ApiError.fieldInvalid("password", "at least " + settings.minPasswordLength() + " characters", null);
        }
        if (usernameTaken(username)) {
            throw AccountErrors.usernameAlreadyInUse(username);
        }
        return insert(username, email, Optional.of(password), admin ? DefaultGroups.ADMIN : DefaultGroups.USER, false,
                admin ? 10 * AccountSettings.GIB : settings.storageCapacity(), NewUser.SignupOrigin.UNKNOWN,
                email.isPresent());
    }

    private boolean emailAllowed(String cleanEmail) {
        if (settings.devEnvironment()) {
            return true;
        }
        String lower = cleanEmail.toLowerCase(java.util.Locale.ROOT);
        if (settings.blockedEmailDomains().stream().anyMatch(lower::endsWith)) {
            return false;
        }
        EmailValidation event = new EmailValidation(cleanEmail);
        events().emit(EmailValidation.KEY, event);
        return event.allowed();
    }

    private User insert(String username, Optional<String> email, Optional<String> password, String group,
            boolean requiresConfirmation, long freeStorage, NewUser.SignupOrigin origin, boolean emailConfirmed) {
        String uuid = UUID.randomUUID().toString();
        long now = clock.millis();
        Optional<String> hash = password.map(passwords::hash);
        try {
            database.jdbi().useTransaction(h -> {
                h.createUpdate("INSERT INTO users (uuid, username, email, clean_email, password, email_confirmed,"
                                + " requires_email_confirmation, email_confirm_code, email_confirm_token, free_storage,"
                                + " referrer, signup_ip, signup_ip_forwarded, signup_user_agent, signup_origin, signup_server,"
                                + " created_at, last_activity_at)"
                                + " VALUES (:uuid, :username, :email, :clean, :password, :confirmed, :requires, :code, :token,"
                                + " :storage, :referrer, :ip, :ipfwd, :ua, :origin, :server, :now, :now)")
                        .bind("uuid", uuid).bind("username", username)
                        .bind("email", email.orElse(null)).bind("clean", email.map(AccountRules::cleanEmail).orElse(null))
                        .bind("password", hash.orElse(null)).bind("confirmed", emailConfirmed ? 1 : 0)
                        .bind("requires", requiresConfirmation ? 1 : 0)
                        .bind("code", String.valueOf(100_000 + RANDOM.nextInt(900_000)))
                        .bind("token", UUID.randomUUID().toString()).bind("storage", freeStorage)
                        .bind("referrer", origin.referrer().orElse(null)).bind("ip", origin.ip().orElse(null))
                        .bind("ipfwd", origin.ipForwarded().orElse(null)).bind("ua", origin.userAgent().orElse(null))
                        .bind("origin", origin.origin().orElse(null)).bind("server", settings.serverId())
                        .bind("now", now).execute();
                h.createUpdate("INSERT INTO group_members (group_id, user_id, created_at)"
                                + " SELECT g.id, u.id, :now FROM user_groups g, users u WHERE g.uid = :group AND u.uuid = :uuid")
                        .bind("group", group).bind("uuid", uuid).bind("now", now).execute();
            });
        } catch (UnableToExecuteStatementException e) {
            if (usernameTaken(username)) {
                throw ApiError.badRequest("Username already taken. Try another one.");
            }
            throw e;
        }
        User user = byUuid(uuid).orElseThrow();
        events().emit(UserEvents.CREATED, new UserEvents.Created(user.id(), user.uuid(), user.username(), user.isTemp()));
        return user;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Login and passwords

    /**
     * Checks a username (or, if it contains {@code @}, an email) and a password: spec 1.6.1 steps 10 to 14, with its
     * texts. The endpoint validates the request's shape first and records failures with the {@link LoginThrottle}.
     */
    public LoginResult authenticate(String usernameOrEmail, String password) {
        boolean byEmail = usernameOrEmail.contains("@");
        Optional<UserRow> row = byEmail ? row("email = :v", usernameOrEmail) : row("username = :v", usernameOrEmail);
        LoginResult.Failure notFound = byEmail
                ? new LoginResult.Failure(LoginResult.Reason.UNKNOWN_EMAIL, 400, "Email not found.")
                : new LoginResult.Failure(LoginResult.Reason.UNKNOWN_USERNAME, 400, "Username not found.");
        if (row.isEmpty()) {
            return notFound;
        }
        User user = row.get().user();
        if (user.username().equals(User.SYSTEM_USERNAME) && !settings.allowSystemLogin()) {
            return notFound;
        }
        if (user.suspended()) {
            return new LoginResult.Failure(LoginResult.Reason.SUSPENDED, 401, "This account is suspended.");
        }
        if (row.get().passwordHash().isEmpty()) {
            return new LoginResult.Failure(LoginResult.Reason.NO_PASSWORD, 400, "Incorrect password.");
        }
        if (!passwords.verify(password, row.get().passwordHash().get())) {
            return new LoginResult.Failure(LoginResult.Reason.WRONG_PASSWORD, 400, "Incorrect password.");
        }
        return new LoginResult.Success(user);
    }

    /** Whether {@code password} is the user's; false for users without one. */
    public boolean verifyPassword(User user, String password) {
        return row("id = :v", user.id()).flatMap(UserRow::passwordHash).map(h -> passwords.verify(password, h))
                .orElse(false);
    }

    /**
     * Sets a new password (at least {@code min_pass_length} characters), clearing pending recovery and email-change
     * nonces. The caller revokes the other login sessions ({@link Sessions#revokeAllExcept}).
     */
    public void setPassword(long userId, String newPassword) {
        if (!AccountRules.isLongEnough(newPassword, settings.minPasswordLength())) {
            throw ApiError.badRequest("Password must be at least " + settings.minPasswordLength() + " characters long.");
        }
        User user = require(userId);
        update(userId, "password = :p, pass_recovery_token = NULL, change_email_confirm_token = NULL",
                Map.of("p", passwords.hash(newPassword)));
        events().emit(UserEvents.PASSWORD_CHANGED, new UserEvents.PasswordChanged(user.id(), user.uuid()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Changes

    /**
     * Renames a user (spec 1.11; Hearth also refuses reserved names), emitting {@value UserEvents#USERNAME_CHANGED} so
     * that the filesystem renames the home directory.
     */
    public User changeUsername(long userId, String newUsername) {
        String key = "new_username";
        if (newUsername == null) {
            throw ApiError.fieldMissing(key);
        }
        if (!AccountRules.USERNAME.matcher(newUsername).matches()) {
            throw ApiError.fieldInvalid(key, "letters, numbers, underscore (_)", null);
        }
        if (newUsername.length() > AccountRules.USERNAME_MAX_LENGTH) {
            throw AccountErrors.fieldTooLong(key, AccountRules.USERNAME_MAX_LENGTH);
        }
        if (AccountRules.isReserved(newUsername)) {
            throw ApiError.fieldInvalid(key, "a username that is not reserved", null);
        }
        User user = require(userId);
        if (user.isSystem()) {
            throw ApiError.forbidden();
        }
        if (usernameTaken(newUsername)) {
            throw AccountErrors.usernameAlreadyInUse(newUsername);
        }
        long monthAgo = clock.millis() - java.time.Duration.ofDays(30).toMillis();
        long recent = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_update_audit"
                + " WHERE user_id = :u AND reason = 'change_username' AND created_at > :since")
                .bind("u", userId).bind("since", monthAgo).mapTo(Long.class).one());
        if (recent >= settings.maxUsernameChanges()) {
            throw ApiError.of(429, "too_many_username_changes", "Too many username changes this month.");
        }
        audit(userId, "change_username", user.username(), newUsername);
        update(userId, "username = :u", Map.of("u", newUsername));
        events().emit(UserEvents.USERNAME_CHANGED,
                new UserEvents.UsernameChanged(userId, user.uuid(), user.username(), newUsername));
        epoch.bump();
        return require(userId);
    }

    /** Sets the email and marks it confirmed (after a confirmation code or link), clearing pending changes. */
    public User confirmEmail(long userId, String email) {
        if (!AccountRules.isValidEmail(email)) {
            throw ApiError.fieldInvalid("email", "a valid email address", null);
        }
        User user = require(userId);
        boolean usedElsewhere = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users"
                        + " WHERE (email = :e OR clean_email = :c) AND email_confirmed = 1 AND id <> :id")
                .bind("e", email).bind("c", AccountRules.cleanEmail(email)).bind("id", userId).mapTo(Long.class).one()) > 0;
        if (usedElsewhere) {
            throw AccountErrors.emailAlreadyInUse(email);
        }
        update(userId, "email = :e, clean_email = :c, email_confirmed = 1, requires_email_confirmation = 0,"
                + " unconfirmed_change_email = NULL, change_email_confirm_token = NULL",
                Map.of("e", email, "c", AccountRules.cleanEmail(email)));
        events().emit(UserEvents.EMAIL_CONFIRMED, new UserEvents.EmailConfirmed(userId, user.uuid(), email));
        return require(userId);
    }

    /** The outcome of {@link #requestEmailChange}. */
    public sealed interface EmailChange {
        /** The current email was not confirmed: the new one replaced it; confirm it with this link token. */
        record Replaced(String emailConfirmToken) implements EmailChange {}

        /** The change waits for the new address to confirm: sign this nonce into the confirmation link. */
        record Pending(String nonce) implements EmailChange {}
    }

    /**
     * Starts an email change (spec 1.10): {@code field_missing}/{@code field_invalid new_email}, {@code 400
     * email_not_allowed}, {@code 409 email_already_in_use}. An unconfirmed current email is replaced at once.
     */
    public EmailChange requestEmailChange(long userId, String newEmail) {
        if (newEmail == null) {
            throw ApiError.fieldMissing("new_email");
        }
        if (!AccountRules.isValidEmail(newEmail)) {
            throw ApiError.fieldInvalid("new_email", "a valid email address", null);
        }
        String clean = AccountRules.cleanEmail(newEmail);
        if (!emailAllowed(clean)) {
            throw ApiError.of(400, "email_not_allowed", "The email `" + clean + "` is not allowed.").with("email", clean);
        }
        if (emailTaken(newEmail)) {
            throw AccountErrors.emailAlreadyInUse(newEmail);
        }
        User user = require(userId);
        if (!user.emailConfirmed()) {
            String token = UUID.randomUUID().toString();
            update(userId, "email = :e, clean_email = :c, email_confirm_token = :t",
                    Map.of("e", newEmail, "c", clean, "t", token));
            return new EmailChange.Replaced(token);
        }
        String nonce = java.util.HexFormat.of().formatHex(randomBytes(4));
        update(userId, "unconfirmed_change_email = :e, change_email_confirm_token = :t", Map.of("e", newEmail, "t", nonce));
        audit(userId, "change_email", user.email().orElse(null), newEmail);
        return new EmailChange.Pending(nonce);
    }

    /**
     * Completes a pending email change with the nonce from the link: {@code 400 token_invalid} for a wrong nonce,
     * {@code 403 forbidden} for a suspended user, {@code 409 email_already_in_use} if another account took the
     * address meanwhile. Emits {@code user.email-changed}.
     */
    public User confirmEmailChange(long userId, String nonce) {
        UserRow row = row("id = :v", userId).filter(r -> nonce != null && r.user().unconfirmedChangeEmail().isPresent())
                .orElseThrow(() -> ApiError.of(400, "token_invalid", "Invalid token."));
        String stored = database.jdbi().withHandle(h -> h.createQuery("SELECT change_email_confirm_token FROM users"
                + " WHERE id = :id").bind("id", userId).mapTo(String.class).one());
        if (!nonce.equals(stored)) {
            throw ApiError.of(400, "token_invalid", "Invalid token.");
        }
        if (row.user().suspended()) {
            throw ApiError.forbidden();
        }
        String email = row.user().unconfirmedChangeEmail().get();
        boolean used = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE (email = :e"
                        + " OR clean_email = :c) AND id <> :id").bind("e", email).bind("c", AccountRules.cleanEmail(email))
                .bind("id", userId).mapTo(Long.class).one()) > 0;
        if (used) {
            throw AccountErrors.emailAlreadyInUse(email);
        }
        update(userId, "email = :e, clean_email = :c, email_confirmed = 1, unconfirmed_change_email = NULL,"
                + " change_email_confirm_token = NULL, pass_recovery_token = NULL",
                Map.of("e", email, "c", AccountRules.cleanEmail(email)));
        events().emit(UserEvents.EMAIL_CHANGED, new UserEvents.EmailConfirmed(userId, row.user().uuid(), email));
        return require(userId);
    }

    /** A new 6-digit email confirmation code (for {@code /send-confirm-email}), stored and returned. */
    public String newEmailConfirmCode(long userId) {
        require(userId);
        String code = String.valueOf(100_000 + RANDOM.nextInt(900_000));
        update(userId, "email_confirm_code = :c", Map.of("c", code));
        return code;
    }

    /**
     * Confirms the user's email with the code they typed: false for a wrong code; {@code 409 email_already_in_use}
     * if another account confirmed the address first.
     */
    public boolean confirmEmailWithCode(long userId, String code) {
        User user = require(userId);
        String stored = database.jdbi().withHandle(h -> h.createQuery("SELECT email_confirm_code FROM users WHERE id = :id")
                .bind("id", userId).mapTo(String.class).findFirst().orElse(null));
        if (code == null || stored == null || user.email().isEmpty()
                || !java.security.MessageDigest.isEqual(code.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        stored.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return false;
        }
        confirmEmail(userId, user.email().get());
        return true;
    }

    /** Starts a password recovery: a fresh nonce, stored and returned, for the endpoint to sign into the link. */
    public String startPasswordRecovery(long userId) {
        require(userId);
        String token = UUID.randomUUID().toString();
        update(userId, "pass_recovery_token = :t", Map.of("t", token));
        return token;
    }

    /**
     * Sets a new password with a recovery nonce, which it consumes: {@code 400 "This password recovery token is no
     * longer valid."} if it is not (or no longer) the user's. The caller revokes the user's sessions.
     */
    public User resetPassword(String userUuid, String recoveryToken, String newPassword) {
        if (!AccountRules.isLongEnough(newPassword, settings.minPasswordLength())) {
            throw ApiError.badRequest("Password must be at least " + settings.minPasswordLength() + " characters long.");
        }
        int changed = recoveryToken == null ? 0 : database.jdbi().withHandle(h -> h.createUpdate("UPDATE users SET"
                        + " password = :p, pass_recovery_token = NULL, change_email_confirm_token = NULL"
                        + " WHERE uuid = :u AND pass_recovery_token = :t")
                .bind("p", passwords.hash(newPassword)).bind("u", userUuid).bind("t", recoveryToken).execute());
        if (changed == 0) {
            throw ApiError.badRequest("This password recovery token is no longer valid.");
        }
        User user = byUuid(userUuid).orElseThrow(AccountErrors::userNotFound);
        forget(user.id());
        events().emit(UserEvents.PASSWORD_CHANGED, new UserEvents.PasswordChanged(user.id(), user.uuid()));
        return user;
    }

    /**
     * Turns a temporary user into a real account (spec 1.4, without the pseudo-user branch; {@code clean_email} is set):
     * the sign-up texts ({@code 400}), {@code "User account already saved."} for an account with a password, and
     * {@code "An account with this email already exists. Please use another email."} when any account with a password
     * uses the email. The account moves from the temporary group to the user group; a new username is announced with
     * {@value UserEvents#USERNAME_CHANGED}, so that the filesystem renames the home directory.
     */
    public User saveAccount(long userId, String username, String email, String password) {
        User user = require(userId);
        if (user.hasPassword()) {
            throw ApiError.badRequest("User account already saved.");
        }
        if (username == null || username.isEmpty()) {
            throw ApiError.badRequest("Username is required");
        }
        switch (AccountRules.usernameProblem(username).orElse(null)) {
            case INVALID -> throw ApiError.badRequest("Username can only contain letters, numbers and underscore (_).");
            case TOO_LONG -> throw ApiError.badRequest("Username cannot have more than "
                    + AccountRules.USERNAME_MAX_LENGTH + " characters.");
            case RESERVED -> throw ApiError.badRequest("This username is not available.");
            case null -> { }
        }
        if (email == null || email.isEmpty()) {
            throw ApiError.badRequest("Email is required");
        }
        if (!AccountRules.isValidEmail(email)) {
            throw ApiError.badRequest("Please enter a valid email address.");
        }
        if (password == null || password.isEmpty()) {
            throw ApiError.badRequest("Password is required");
        }
        if (!AccountRules.isLongEnough(password, settings.minPasswordLength())) {
            throw ApiError.badRequest("Password must be at least " + settings.minPasswordLength() + " characters long.");
        }
        String clean = AccountRules.cleanEmail(email);
        if (!emailAllowed(clean)) {
            throw ApiError.badRequest("This email cannot be used. Please try a different email address.");
        }
        if (!username.equals(user.username()) && usernameTaken(username)) {
            throw ApiError.badRequest("Username already taken. Try another one.");
        }
        boolean emailUsed = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users"
                        + " WHERE (email = :e OR clean_email = :c) AND password IS NOT NULL AND id <> :id")
                .bind("e", email).bind("c", clean).bind("id", userId).mapTo(Long.class).one()) > 0;
        if (emailUsed) {
            throw ApiError.badRequest("An account with this email already exists. Please use another email.");
        }
        long now = clock.millis();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE users SET username = :u, email = :e, clean_email = :c, password = :p,"
                            + " email_confirm_code = :code, email_confirm_token = :token WHERE id = :id")
                    .bind("u", username).bind("e", email).bind("c", clean).bind("p", passwords.hash(password))
                    .bind("code", String.valueOf(100_000 + RANDOM.nextInt(900_000)))
                    .bind("token", UUID.randomUUID().toString()).bind("id", userId).execute();
            h.createUpdate("DELETE FROM group_members WHERE user_id = :id AND group_id IN"
                    + " (SELECT id FROM user_groups WHERE uid = :temp)").bind("id", userId)
                    .bind("temp", DefaultGroups.TEMP).execute();
            h.createUpdate("INSERT INTO group_members (group_id, user_id, created_at) SELECT g.id, :id, :now"
                            + " FROM user_groups g WHERE g.uid = :group"
                            + " AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.user_id = :id)")
                    .bind("id", userId).bind("now", now).bind("group", DefaultGroups.USER).execute();
        });
        forget(userId);
        if (!username.equals(user.username())) {
            events().emit(UserEvents.USERNAME_CHANGED,
                    new UserEvents.UsernameChanged(userId, user.uuid(), user.username(), username));
        }
        epoch.bump();
        return require(userId);
    }

    /** What {@link #confirmEmailWithToken} found. */
    public enum TokenConfirmation { USER_NOT_FOUND, ALREADY_CONFIRMED, INVALID_TOKEN, CONFIRMED_ELSEWHERE, CONFIRMED }

    /** Confirms an email with the link's token ({@code /confirm-email-by-token}). */
    public TokenConfirmation confirmEmailWithToken(String userUuid, String token) {
        Optional<User> user = byUuid(userUuid);
        if (user.isEmpty()) {
            return TokenConfirmation.USER_NOT_FOUND;
        }
        if (user.get().emailConfirmed()) {
            return TokenConfirmation.ALREADY_CONFIRMED;
        }
        String stored = database.jdbi().withHandle(h -> h.createQuery("SELECT email_confirm_token FROM users WHERE id = :id")
                .bind("id", user.get().id()).mapTo(String.class).findFirst().orElse(null));
        if (token == null || stored == null || user.get().email().isEmpty()
                || !java.security.MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        stored.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return TokenConfirmation.INVALID_TOKEN;
        }
        try {
            confirmEmail(user.get().id(), user.get().email().get());
        } catch (ApiError e) {
            if (e.status() == 409) {
                return TokenConfirmation.CONFIRMED_ELSEWHERE;
            }
            throw e;
        }
        return TokenConfirmation.CONFIRMED;
    }

    /** Suspends or reinstates an account ({@code hearth user disable}); a suspended user's tokens stop working. */
    public void setSuspended(long userId, boolean suspended) {
        User user = require(userId);
        if (user.isSystem() && suspended) {
            throw ApiError.forbidden();
        }
        update(userId, "suspended = :s", Map.of("s", suspended ? 1 : 0));
        epoch.bump();
        if (suspended) {
            // The tokens stop working; so do the sockets already open with them, on every instance.
            events().emit(AccountSockets.DISCONNECT, Map.of("user_id", userId));
        }
    }

    /** Sets (or, with an empty value, clears) one of the plain profile columns. */
    public void setProfile(long userId, ProfileField field, Optional<String> value) {
        require(userId);
        if (value.isPresent() && (field == ProfileField.METADATA || field == ProfileField.TASKBAR_ITEMS)) {
            try {
                var node = dev.hearth.kernel.Json.mapper().readTree(value.get());
                if (field == ProfileField.METADATA ? !node.isObject() : !node.isArray()) {
                    throw ApiError.fieldInvalid(field.column(), field == ProfileField.METADATA ? "object" : "array", null);
                }
            } catch (tools.jackson.core.JacksonException e) {
                throw ApiError.fieldInvalid(field.column(), "JSON", null);
            }
        }
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE users SET " + field.column() + " = :v WHERE id = :id")
                .bind("v", value.orElse(null)).bind("id", userId).execute());
        forget(userId);
    }

    /** The default folders whose uuids a user row keeps (spec 1.2), by the names {@link User#folders()} uses. */
    public static final List<String> FOLDERS = List.of("desktop", "appdata", "documents", "pictures", "videos", "trash",
            "public");

    /**
     * Records the uuids of the user's default folders, which the filesystem creates when it hears
     * {@value UserEvents#CREATED} (synchronously, so they exist when {@code /signup} answers). Keys are names of
     * {@link #FOLDERS}; others are refused.
     */
    public void setFolders(long userId, Map<String, String> uuids) {
        require(userId);
        for (String name : uuids.keySet()) {
            if (!FOLDERS.contains(name)) {
                throw new IllegalArgumentException("not a default folder: " + name + " (one of " + FOLDERS + ")");
            }
        }
        if (uuids.isEmpty()) {
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        StringBuilder assignments = new StringBuilder();
        uuids.forEach((name, uuid) -> {
            assignments.append(assignments.isEmpty() ? "" : ", ").append(name).append("_uuid = :").append(name);
            values.put(name, uuid);
        });
        update(userId, assignments.toString(), values);
        epoch.bump();
    }

    /** Records activity now. */
    public void touch(long userId) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE users SET last_activity_at = :t WHERE id = :id")
                .bind("t", clock.millis()).bind("id", userId).execute());
    }

    /**
     * Deletes a user (spec 1.12, with Hearth's fix: dependent rows go too). {@value UserEvents#DELETING} goes out
     * first, so that modules delete what the user owns (files, apps, sites, KV data); then core's rows (sessions,
     * access tokens, grants issued or held, memberships, owned groups) and the user; then
     * {@value UserEvents#DELETED}. The user's tokens fail from then on.
     */
    public void delete(long userId) {
        User user = require(userId);
        if (user.isSystem()) {
            throw ApiError.forbidden();
        }
        UserEvents.Deleted event = new UserEvents.Deleted(user.id(), user.uuid(), user.username());
        events().emit(UserEvents.DELETING, event);
        database.jdbi().useTransaction(h -> {
            for (String sql : List.of(
                    "DELETE FROM sessions WHERE user_id = :id",
                    "DELETE FROM access_token_permissions WHERE token_uid IN"
                            + " (SELECT token_uid FROM access_tokens WHERE authorizer_user_id = :id)",
                    "DELETE FROM access_tokens WHERE authorizer_user_id = :id",
                    "DELETE FROM user_to_user_permissions WHERE issuer_user_id = :id OR holder_user_id = :id",
                    "DELETE FROM user_to_group_permissions WHERE user_id = :id",
                    "DELETE FROM user_to_app_permissions WHERE user_id = :id",
                    "DELETE FROM dev_to_app_permissions WHERE user_id = :id",
                    "DELETE FROM group_members WHERE user_id = :id",
                    "DELETE FROM user_update_audit WHERE user_id = :id",
                    "DELETE FROM notification WHERE user_id = :id",
                    "DELETE FROM group_members WHERE group_id IN (SELECT id FROM user_groups WHERE owner_user_id = :id)",
                    "DELETE FROM user_to_group_permissions WHERE group_id IN"
                            + " (SELECT id FROM user_groups WHERE owner_user_id = :id)",
                    "DELETE FROM user_groups WHERE owner_user_id = :id",
                    "UPDATE users SET referred_by = NULL WHERE referred_by = :id",
                    "DELETE FROM users WHERE id = :id")) {
                h.createUpdate(sql).bind("id", userId).execute();
            }
        });
        forget(userId);
        epoch.bump();
        events().emit(UserEvents.DELETED, event);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Two-factor authentication (spec 1.6.3)

    /**
     * Generates a pending TOTP secret and ten recovery codes (kept hashed), replacing any pending ones. Refused with
     * {@code 409 2fa_already_enabled} once 2FA is on.
     */
    public Totp.Setup setUpTwoFactor(long userId) {
        User user = require(userId);
        if (user.otpEnabled()) {
            throw AccountErrors.twoFactorAlreadyEnabled();
        }
        String secret = Totp.newSecret();
        List<String> codes = Totp.newRecoveryCodes();
        update(userId, "otp_secret = :s, otp_recovery_codes = :c", Map.of("s", secret,
                "c", String.join(",", codes.stream().map(Totp::hashRecoveryCode).toList())));
        return new Totp.Setup(secret, Totp.url(user.username(), secret), codes);
    }

    /** Whether {@code code} is valid for the user's (pending or enabled) secret now. */
    public boolean checkTwoFactorCode(long userId, String code) {
        return row("id = :v", userId).flatMap(UserRow::otpSecret)
                .map(secret -> Totp.verify(secret, code, clock.instant())).orElse(false);
    }

    /** Turns 2FA on: the email must be confirmed (422), 2FA off (409) and a secret set up (409). */
    public void enableTwoFactor(long userId) {
        UserRow row = row("id = :v", userId).orElseThrow(AccountErrors::userNotFound);
        if (!row.user().emailConfirmed()) {
            throw AccountErrors.emailMustBeConfirmed("enable 2FA");
        }
        if (row.user().otpEnabled()) {
            throw AccountErrors.twoFactorAlreadyEnabled();
        }
        if (row.otpSecret().isEmpty()) {
            throw AccountErrors.twoFactorNotConfigured();
        }
        update(userId, "otp_enabled = 1", Map.of());
    }

    /** Turns 2FA off and forgets the secret and the recovery codes. */
    public void disableTwoFactor(long userId) {
        require(userId);
        update(userId, "otp_enabled = 0, otp_secret = NULL, otp_recovery_codes = NULL", Map.of());
    }

    /**
     * Consumes a recovery code: true, and the code is gone, if it was one of the user's; false otherwise. Two
     * concurrent uses of one code cannot both succeed (the update compares the whole list it read).
     */
    public boolean useRecoveryCode(long userId, String code) {
        String hash = Totp.hashRecoveryCode(code);
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<String> stored = row("id = :v", userId).flatMap(UserRow::recoveryCodes);
            if (stored.isEmpty()) {
                return false;
            }
            List<String> hashes = new ArrayList<>(Arrays.asList(stored.get().split(",")));
            if (!hashes.remove(hash)) {
                return false;
            }
            int changed = database.jdbi().withHandle(h -> h.createUpdate(
                            "UPDATE users SET otp_recovery_codes = :next WHERE id = :id AND otp_recovery_codes = :previous")
                    .bind("next", String.join(",", hashes)).bind("id", userId).bind("previous", stored.get()).execute());
            if (changed == 1) {
                forget(userId);
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Default admin

    /**
     * The password generated for the default admin on this boot, once: the first call returns it, later calls
     * return nothing. The server prints it on its console; it is never logged.
     */
    public Optional<String> takeInitialAdminPassword() {
        return Optional.ofNullable(initialAdminPassword.getAndSet(null));
    }

    /** The banner operators know from Puter, around the admin's initial password. */
    public static String adminBanner(String password) {
        return "password for admin is: " + password + "\n\n"
                + "************************************************************\n"
                + "* Your default login credentials are:\n"
                + "* Username: admin\n"
                + "* Password: " + password + "\n"
                + "* (change the password to remove this message)\n"
                + "************************************************************\n";
    }

    // ---------------------------------------------------------------------------------------------------------------

    User require(long userId) {
        return byId(userId).orElseThrow(AccountErrors::userNotFound);
    }

    private void update(long userId, String assignments, Map<String, Object> values) {
        database.jdbi().useHandle(h -> {
            var update = h.createUpdate("UPDATE users SET " + assignments + " WHERE id = :id").bind("id", userId);
            values.forEach(update::bind);
            update.execute();
        });
        forget(userId);
    }

    private void audit(long userId, String reason, String oldValue, String newValue) {
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO user_update_audit (user_id, reason, old_value,"
                        + " new_value, created_at) VALUES (:u, :r, :o, :n, :t)")
                .bind("u", userId).bind("r", reason).bind("o", oldValue).bind("n", newValue).bind("t", clock.millis())
                .execute());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private EventBus events() {
        return context.events();
    }

    /** A user row with the secrets the record leaves out. */
    record UserRow(User user, Optional<String> passwordHash, Optional<String> otpSecret, Optional<String> recoveryCodes) {}

    Optional<UserRow> row(String condition, Object value) {
        return database.jdbi().withHandle(h -> findRow(h, condition, value));
    }

    static Optional<UserRow> findRow(Handle h, String condition, Object value) {
        return h.createQuery("SELECT * FROM users WHERE " + condition + " ORDER BY id LIMIT 1").bind("v", value)
                .map(Users::mapRow).findFirst();
    }

    static UserRow mapRow(ResultSet r, StatementContext ctx) throws SQLException {
        Map<String, String> folders = new LinkedHashMap<>();
        for (String f : List.of("desktop", "appdata", "documents", "pictures", "videos", "trash", "public")) {
            String v = r.getString(f + "_uuid");
            if (v != null) {
                folders.put(f, v);
            }
        }
        long lastActivity = r.getLong("last_activity_at");
        boolean noActivity = r.wasNull();
        User user = new User(r.getLong("id"), r.getString("uuid"), r.getString("username"),
                Optional.ofNullable(r.getString("email")), Optional.ofNullable(r.getString("clean_email")),
                r.getString("password") != null, r.getInt("email_confirmed") != 0,
                r.getInt("requires_email_confirmation") != 0, Optional.ofNullable(r.getString("unconfirmed_change_email")),
                r.getInt("suspended") != 0, r.getInt("unsubscribed") != 0, r.getInt("otp_enabled") != 0,
                optionalLong(r, "free_storage"), optionalLong(r, "max_subdomains"),
                Optional.ofNullable(r.getString("taskbar_items")), Optional.ofNullable(r.getString("desktop_bg_url")),
                Optional.ofNullable(r.getString("desktop_bg_color")), Optional.ofNullable(r.getString("desktop_bg_fit")),
                folders, Optional.ofNullable(r.getString("referrer")), Optional.ofNullable(r.getString("referral_code")),
                r.getString("metadata"), Instant.ofEpochMilli(r.getLong("created_at")),
                noActivity ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastActivity)));
        return new UserRow(user, Optional.ofNullable(r.getString("password")),
                Optional.ofNullable(r.getString("otp_secret")),
                Optional.ofNullable(r.getString("otp_recovery_codes")).filter(s -> !s.isEmpty()));
    }

    private static OptionalLong optionalLong(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    static String randomUsername() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + NOUNS.get(RANDOM.nextInt(NOUNS.size())) + "_"
                + RANDOM.nextInt(10_000);
    }

    static String randomPassword(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }
}
