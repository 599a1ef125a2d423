package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Kernel;

/** The users service on a real database. */
abstract class UsersContract extends AccountsFixture {

    private static ApiError apiError(Runnable r) {
        try {
            r.run();
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("no ApiError");
    }

    private static void refusedWith(Runnable signup, String text) {
        ApiError e = apiError(signup);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo(text);
    }

    private long members(String groupUid, long userId) {
        return get(Database.class).jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM group_members m"
                        + " JOIN user_groups g ON g.id = m.group_id WHERE g.uid = :g AND m.user_id = :u")
                .bind("g", groupUid).bind("u", userId).mapTo(Long.class).one());
    }

    @Test
    void theRowsTokensNameAreKeptASecondAndEveryWriteThroughHearthShowsAtOnce() throws InterruptedException {
        User user = newUser();
        assertThat(users().byUuidRecent(user.uuid())).contains(user);

        users().setSuspended(user.id(), true);
        assertThat(users().byUuidRecent(user.uuid()).orElseThrow().suspended()).isTrue();
        String renamed = unique("renamed");
        users().changeUsername(user.id(), renamed);
        assertThat(users().byUuidRecent(user.uuid()).orElseThrow().username()).isEqualTo(renamed);

        // An edit made outside Hearth (an operator's SQL) is not seen by the kept row, and is seen after a second.
        get(Database.class).jdbi().useHandle(h -> h.createUpdate("UPDATE users SET suspended = 0 WHERE id = :id")
                .bind("id", user.id()).execute());
        assertThat(users().byUuidRecent(user.uuid()).orElseThrow().suspended()).as("kept").isTrue();
        assertThat(users().byId(user.id()).orElseThrow().suspended()).as("byId reads the row").isFalse();
        Thread.sleep(Users.RECENT.toMillis() + 200);
        assertThat(users().byUuidRecent(user.uuid()).orElseThrow().suspended()).as("a second later").isFalse();

        users().delete(user.id());
        assertThat(users().byUuidRecent(user.uuid())).isEmpty();
    }

    @Test
    void aSignupCreatesAnAccountInTheUserGroupAndTellsTheOtherModules() {
        List<Object> events = new CopyOnWriteArrayList<>();
        var sub = kernel.events().on("user.*", (key, data, meta) -> events.add(data));
        String name = unique("Signup");
        User user = users().create(NewUser.account(name, "First.Last+tag@googlemail.com", "secret1"));
        sub.detach();

        assertThat(user.username()).isEqualTo(name);
        assertThat(user.uuid()).matches("[0-9a-f-]{36}");
        assertThat(user.email()).contains("First.Last+tag@googlemail.com");
        assertThat(user.cleanEmail()).contains("FirstLast@gmail.com");
        assertThat(user.hasPassword()).isTrue();
        assertThat(user.isTemp()).isFalse();
        assertThat(user.emailConfirmed()).isFalse();
        assertThat(user.freeStorage()).hasValue(1024L * 1024 * 1024);
        assertThat(members(DefaultGroups.USER, user.id())).isEqualTo(1);
        assertThat(events).containsExactly(new UserEvents.Created(user.id(), user.uuid(), name, false));
        assertThat(users().byUuid(user.uuid())).contains(user);
        assertThat(users().byId(user.id())).contains(user);
    }

    @Test
    void aGuestHasAGeneratedNameNoEmailNoPasswordAndIsInTheTempGroup() {
        User guest = users().create(NewUser.guest());

        assertThat(guest.username()).matches("[a-z]+_[a-z]+_\\d{1,4}");
        assertThat(guest.email()).isEmpty();
        assertThat(guest.isTemp()).isTrue();
        assertThat(members(DefaultGroups.TEMP, guest.id())).isEqualTo(1);
        assertThat(users().authenticate(guest.username(), "anything")).isEqualTo(
                new LoginResult.Failure(LoginResult.Reason.NO_PASSWORD, 400, "Incorrect password."));
    }

    @Test
    void signupValidationFollowsTheSpecsOrderAndTexts() {
        String ok = unique("valid");
        refusedWith(() -> users().create(NewUser.account("", "a@example.com", "secret1")), "Username is required");
        refusedWith(() -> users().create(NewUser.account("bad name", "a@example.com", "secret1")),
                "Username can only contain letters, numbers and underscore (_).");
        refusedWith(() -> users().create(NewUser.account("x".repeat(46), "a@example.com", "secret1")),
                "Username cannot be longer than 45 characters.");
        refusedWith(() -> users().create(NewUser.account("Admin", "a@example.com", "secret1")),
                "This username is not available.");
        refusedWith(() -> users().create(NewUser.account(ok, null, "secret1")), "Email is required");
        refusedWith(() -> users().create(NewUser.account(ok, "not-an-email", "secret1")),
                "Please enter a valid email address.");
        refusedWith(() -> users().create(NewUser.account(ok, ok + "@example.com", null)), "Password is required");
        refusedWith(() -> users().create(NewUser.account(ok, ok + "@example.com", "short")),
                "Password must be at least 6 characters long.");

        User first = users().create(NewUser.account(ok, ok + "@example.com", "secret1"));
        refusedWith(() -> users().create(NewUser.account(ok, "other@example.com", "secret1")),
                "Username already taken. Try another one.");
        // An unconfirmed email does not block a second signup; a confirmed one does, also through its clean form.
        String other = unique("other");
        users().create(NewUser.account(other, ok + "@example.com", "secret1"));
        users().confirmEmail(first.id(), ok + "@example.com");
        refusedWith(() -> users().create(NewUser.account(unique("third"), ok + "+x@example.com", "secret1")),
                "This email already exists in our database. Please use another one.");
    }

    @Test
    void aListenerOfEmailValidateCanRefuseAnEmail() {
        var sub = kernel.events().on(EmailValidation.KEY, (key, data, meta) -> {
            if (((EmailValidation) data).email().endsWith("@blocked.test")) {
                ((EmailValidation) data).deny();
            }
        });
        try {
            refusedWith(() -> users().create(NewUser.account(unique("b"), "x@blocked.test", "secret1")),
                    "This email cannot be used. Please try a different email address.");
        } finally {
            sub.detach();
        }
    }

    @Test
    void usernamesCompareCaseSensitively() {
        String name = unique("CaseMe");
        User user = users().create(NewUser.account(name, name + "@example.com", "secret1"));

        assertThat(users().byUsername(name)).contains(user);
        assertThat(users().byUsername(name.toLowerCase())).isEmpty();
        assertThat(users().create(NewUser.account(name.toLowerCase(), name + "2@example.com", "secret1")).username())
                .isEqualTo(name.toLowerCase());
    }

    @Test
    void authenticationChecksInTheSpecsOrder() {
        User user = newUser();

        assertThat(users().authenticate(user.username(), "password1")).isEqualTo(new LoginResult.Success(user));
        assertThat(users().authenticate(user.email().orElseThrow(), "password1")).isEqualTo(new LoginResult.Success(user));
        assertThat(users().authenticate(user.username(), "password2")).isEqualTo(
                new LoginResult.Failure(LoginResult.Reason.WRONG_PASSWORD, 400, "Incorrect password."));
        assertThat(users().authenticate("nobody_" + user.username(), "password1")).isEqualTo(
                new LoginResult.Failure(LoginResult.Reason.UNKNOWN_USERNAME, 400, "Username not found."));
        assertThat(users().authenticate("nobody@nowhere.test", "password1")).isEqualTo(
                new LoginResult.Failure(LoginResult.Reason.UNKNOWN_EMAIL, 400, "Email not found."));
        assertThat(users().authenticate(User.SYSTEM_USERNAME, "whatever")).isEqualTo(
                new LoginResult.Failure(LoginResult.Reason.UNKNOWN_USERNAME, 400, "Username not found."));

        users().setSuspended(user.id(), true);
        assertThat(users().authenticate(user.username(), "password1")).isEqualTo(
                new LoginResult.Failure(LoginResult.Reason.SUSPENDED, 401, "This account is suspended."));
        users().setSuspended(user.id(), false);
        assertThat(users().authenticate(user.username(), "password1")).isInstanceOf(LoginResult.Success.class);
    }

    @Test
    void aNewPasswordReplacesTheOldOne() {
        User user = newUser();
        users().setPassword(user.id(), "another-secret");

        assertThat(users().verifyPassword(user, "password1")).isFalse();
        assertThat(users().verifyPassword(user, "another-secret")).isTrue();
        assertThatThrownBy(() -> users().setPassword(user.id(), "short")).isInstanceOf(ApiError.class)
                .hasMessage("Password must be at least 6 characters long.");
    }

    @Test
    void usernameChangesAreValidatedAndAnnounced() {
        User user = newUser();
        User other = newUser();
        List<Object> events = new CopyOnWriteArrayList<>();
        var sub = kernel.events().on(UserEvents.USERNAME_CHANGED, (key, data, meta) -> events.add(data));
        try {
            assertThat(apiError(() -> users().changeUsername(user.id(), "www")).body())
                    .containsEntry("code", "field_invalid").containsEntry("key", "new_username");
            assertThat(apiError(() -> users().changeUsername(user.id(), "a b")).code()).isEqualTo("field_invalid");
            assertThat(apiError(() -> users().changeUsername(user.id(), "x".repeat(46))).body())
                    .containsEntry("code", "field_too_long").containsEntry("max_length", 45);
            ApiError taken = apiError(() -> users().changeUsername(user.id(), other.username()));
            assertThat(taken.status()).isEqualTo(409);
            assertThat(taken.getMessage()).isEqualTo("Username `" + other.username() + "` is already in use.");

            String renamed = unique("renamed");
            assertThat(users().changeUsername(user.id(), renamed).username()).isEqualTo(renamed);
            assertThat(events).containsExactly(new UserEvents.UsernameChanged(user.id(), user.uuid(), user.username(), renamed));
        } finally {
            sub.detach();
        }
    }

    @Test
    void atMostTwoUsernameChangesAMonth() {
        User user = newUser();
        users().changeUsername(user.id(), unique("first"));
        users().changeUsername(user.id(), unique("second"));
        ApiError third = apiError(() -> users().changeUsername(user.id(), unique("third")));
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.body()).containsEntry("code", "too_many_username_changes")
                .containsEntry("message", "Too many username changes this month.");
    }

    @Test
    void emailChangesWaitForTheNewAddressOnceTheOldOneIsConfirmed() {
        User user = newUser();
        // Unconfirmed: replaced at once.
        String first = unique("first") + "@example.com";
        assertThat(users().requestEmailChange(user.id(), first)).isInstanceOf(Users.EmailChange.Replaced.class);
        assertThat(users().byId(user.id()).orElseThrow().email()).contains(first);

        String code = users().newEmailConfirmCode(user.id());
        assertThat(code).matches("\\d{6}");
        assertThat(users().confirmEmailWithCode(user.id(), "000000".equals(code) ? "111111" : "000000")).isFalse();
        assertThat(users().confirmEmailWithCode(user.id(), code)).isTrue();

        String second = unique("second") + "@example.com";
        Users.EmailChange change = users().requestEmailChange(user.id(), second);
        assertThat(change).isInstanceOf(Users.EmailChange.Pending.class);
        String nonce = ((Users.EmailChange.Pending) change).nonce();
        assertThat(nonce).matches("[0-9a-f]{8}");
        assertThat(users().byId(user.id()).orElseThrow().email()).contains(first);
        assertThat(apiError(() -> users().confirmEmailChange(user.id(), "deadbeef")).code()).isEqualTo("token_invalid");
        User changed = users().confirmEmailChange(user.id(), nonce);
        assertThat(changed.email()).contains(second);
        assertThat(changed.emailConfirmed()).isTrue();
        assertThat(changed.unconfirmedChangeEmail()).isEmpty();

        assertThat(apiError(() -> users().requestEmailChange(user.id(), null)).code()).isEqualTo("field_missing");
        assertThat(apiError(() -> users().requestEmailChange(user.id(), "nope")).code()).isEqualTo("field_invalid");
        assertThat(apiError(() -> users().requestEmailChange(newUser().id(), second)).status()).isEqualTo(409);
    }

    @Test
    void aRecoveryNonceSetsTheNewPasswordOnce() {
        User user = newUser();
        String nonce = users().startPasswordRecovery(user.id());
        assertThat(apiError(() -> users().resetPassword(user.uuid(), "wrong", "new-password")).getMessage())
                .isEqualTo("This password recovery token is no longer valid.");
        users().resetPassword(user.uuid(), nonce, "new-password");
        assertThat(users().verifyPassword(user, "new-password")).isTrue();
        assertThat(apiError(() -> users().resetPassword(user.uuid(), nonce, "other-password")).getMessage())
                .isEqualTo("This password recovery token is no longer valid.");
    }

    @Test
    void deletingAUserAnnouncesItAndRemovesItsRows() {
        User user = newUser();
        get(Sessions.class).create(user, SessionOrigin.UNKNOWN);
        List<String> keys = new CopyOnWriteArrayList<>();
        var sub = kernel.events().on("user.*", (key, data, meta) -> keys.add(key));
        users().delete(user.id());
        sub.detach();

        assertThat(keys).containsExactly(UserEvents.DELETING, UserEvents.DELETED);
        assertThat(users().byId(user.id())).isEmpty();
        assertThat(get(Sessions.class).list(user.id())).isEmpty();
        assertThat(members(DefaultGroups.USER, user.id())).isZero();
        assertThat(apiError(() -> users().delete(users().byUsername(User.SYSTEM_USERNAME).orElseThrow().id())).code())
                .isEqualTo("forbidden");
    }

    @Test
    void twoFactorSetUpEnableAndSingleUseRecoveryCodes() {
        User user = newUser();
        Totp.Setup setup = users().setUpTwoFactor(user.id());
        assertThat(setup.secret()).hasSize(24).matches("[A-Z2-7]+");
        assertThat(setup.recoveryCodes()).hasSize(10).allMatch(c -> c.matches("[A-Z2-7]{8}"));
        assertThat(setup.url()).isEqualTo("otpauth://totp/puter.com:" + user.username() + "?issuer=puter.com&secret="
                + setup.secret() + "&algorithm=SHA1&digits=6&period=30");

        assertThat(users().checkTwoFactorCode(user.id(), Totp.codeAt(setup.secret(), Instant.now()))).isTrue();
        assertThat(apiError(() -> users().enableTwoFactor(user.id())).code()).isEqualTo("email_must_be_confirmed");
        users().confirmEmail(user.id(), user.email().orElseThrow());
        users().enableTwoFactor(user.id());
        assertThat(users().byId(user.id()).orElseThrow().otpEnabled()).isTrue();
        assertThat(apiError(() -> users().enableTwoFactor(user.id())).code()).isEqualTo("2fa_already_enabled");
        assertThat(apiError(() -> users().setUpTwoFactor(user.id())).status()).isEqualTo(409);

        String code = setup.recoveryCodes().get(3);
        assertThat(users().useRecoveryCode(user.id(), code.toLowerCase())).isFalse();
        assertThat(users().useRecoveryCode(user.id(), code)).isTrue();
        assertThat(users().useRecoveryCode(user.id(), code)).isFalse();
        assertThat(users().useRecoveryCode(user.id(), setup.recoveryCodes().get(4))).isTrue();

        users().disableTwoFactor(user.id());
        assertThat(users().byId(user.id()).orElseThrow().otpEnabled()).isFalse();
        assertThat(users().checkTwoFactorCode(user.id(), Totp.codeAt(setup.secret(), Instant.now()))).isFalse();
        assertThat(apiError(() -> users().enableTwoFactor(user.id())).code()).isEqualTo("2fa_not_configured");
    }

    @Test
    void theFirstBootCreatesTheAdminWithAPasswordHandedOutOnce() {
        User admin = users().byUsername(User.ADMIN_USERNAME).orElseThrow();
        assertThat(admin.email()).isEmpty();
        assertThat(admin.freeStorage()).hasValue(10L * 1024 * 1024 * 1024);
        assertThat(members(DefaultGroups.ADMIN, admin.id())).isEqualTo(1);
        assertThat(members(DefaultGroups.USER, admin.id())).isZero();

        Optional<String> password = users().takeInitialAdminPassword();
        assertThat(password).get().asString().hasSize(20).matches("[A-Za-z0-9]+");
        assertThat(users().takeInitialAdminPassword()).isEmpty();
        assertThat(users().authenticate("admin", password.get())).isEqualTo(new LoginResult.Success(admin));
        assertThat(Users.adminBanner(password.get())).startsWith("password for admin is: " + password.get() + "\n")
                .contains("* Username: admin\n* Password: " + password.get() + "\n");

        // Another instance (or a restart) finds users: no second admin, no password to show.
        Kernel second = secondInstance();
        assertThat(second.services().get(Users.class).takeInitialAdminPassword()).isEmpty();
        assertThat(users().list(0, 1000).stream().filter(u -> u.username().equals("admin"))).hasSize(1);
    }

    @Test
    void anOperatorCanAddAndSuspendAccounts() {
        String name = unique("op");
        User added = users().add(name, Optional.of(name + "@example.com"), "operator-set", false);
        assertThat(added.emailConfirmed()).isTrue();
        assertThat(users().list(0, 10_000)).extracting(User::username).contains(name, "system", "admin");
        users().setSuspended(added.id(), true);
        assertThat(users().byId(added.id()).orElseThrow().suspended()).isTrue();
        assertThat(apiError(() -> users().add(name, Optional.empty(), "operator-set", false)).status()).isEqualTo(409);
    }

    @Test
    void otherModulesRecordProfileColumns() {
        User user = newUser();
        users().setFolders(user.id(), java.util.Map.of("desktop", "desk-1"));
        users().setProfile(user.id(), ProfileField.METADATA, Optional.of("{\"hasDevAccountAccess\":true}"));
        users().setProfile(user.id(), ProfileField.TASKBAR_ITEMS, Optional.of("[{\"name\":\"editor\",\"type\":\"app\"}]"));
        User read = users().byId(user.id()).orElseThrow();
        assertThat(read.folders()).containsExactly(java.util.Map.entry("desktop", "desk-1"));
        assertThat(read.metadata()).isEqualTo("{\"hasDevAccountAccess\":true}");
        assertThat(read.taskbarItems()).contains("[{\"name\":\"editor\",\"type\":\"app\"}]");
        assertThat(apiError(() -> users().setProfile(user.id(), ProfileField.METADATA, Optional.of("[]"))).code())
                .isEqualTo("field_invalid");
        assertThat(apiError(() -> users().setProfile(user.id(), ProfileField.TASKBAR_ITEMS, Optional.of("{"))).code())
                .isEqualTo("field_invalid");
    }

    @Test
    void theSystemUserIsSeededAndCannotLogIn() {
        User system = users().byUuid(User.SYSTEM_UUID).orElseThrow();
        assertThat(system.isSystem()).isTrue();
        assertThat(system.hasPassword()).isFalse();
    }
}
