package dev.hearth.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.Handler;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import dev.hearth.web.Stage;
import tools.jackson.databind.JsonNode;

/**
 * The {@code accounts-http} service: the authentication middleware ({@link HttpAuth}) and the account life cycle
 * over HTTP (spec 1.3–1.12): sign-up, login with 2FA, logout, {@code /whoami}, the GUI token and the cookie,
 * passwords and their recovery, email confirmation and change, username change, account deletion, 2FA set-up.
 *
 * <p>Routes marked "any host" by the spec are served on the {@linkplain Router#platform() platform} hosts (the API
 * host and the main domain), "api" routes on the API host only. Emails are not sent here: the endpoints emit
 * {@value EmailMessage#EVENT} events ({@link EmailMessage}) for a mailer to deliver.
 */
final class AccountRoutes implements Service, HttpService {

    static final String OTP_PURPOSE = "otp";
    static final String RECOVERY_PURPOSE = "pass-recovery";
    static final String EMAIL_CHANGE_PURPOSE = "change-email";
    static final String REVALIDATE_PURPOSE = "revalidate";
    static final String REVALIDATION_COOKIE = "puter_revalidation";

    private static final Set<String> ICON_SIZES = Set.of("16", "32", "64", "128", "256", "512");

    /** An email for the mailer: a template of Puter's list and its values. */

    private final ServiceContext context;
    private final AccountHttpSettings settings;
    private final boolean httpsConfigured;
    private final Clock clock = Clock.systemUTC();
    private volatile EdgeLimits limits;
    private volatile Users users;
    private volatile Sessions sessions;
    private volatile Tokens tokens;
    private volatile Authenticator authenticator;
    private volatile Permissions permissions;
    private volatile AntiCsrfTokens antiCsrf;
    private volatile LoginThrottle throttle;

    AccountRoutes(ServiceContext context) {
        this.context = context;
        this.settings = AccountHttpSettings.from(context.config());
        this.httpsConfigured = context.config().string("protocol").map(p -> p.equalsIgnoreCase("https")).orElse(false);
    }

    @Override
    public void init() {
        users = context.services().get(Users.class);
        sessions = context.services().get(Sessions.class);
        tokens = context.services().get(Tokens.class);
        authenticator = context.services().get(Authenticator.class);
        permissions = context.services().get(Permissions.class);
        antiCsrf = context.services().get(AntiCsrfTokens.class);
        throttle = context.services().get(LoginThrottle.class);
        limits = context.services().get(EdgeLimits.class);
    }

    @Override
    public void routes(Router router) {
        router.use(Stage.AUTH, HttpAuth.middleware(authenticator, settings.cookieName()));
        if (settings.qrLogin()) {
            router.use(Stage.EARLY, this::qrLogin);
        }
        Router platform = router.platform();
        platform.post("/signup", legacyText(this::signup));
        platform.post("/login", legacyText(this::login));
        platform.post("/login/otp", legacyText(this::loginOtp));
        platform.post("/login/recovery-code", legacyText(this::loginRecoveryCode));
        platform.post("/logout", HttpAuth.userOnly(this::logout));
        router.api().get("/whoami", this::whoami);
        router.api().post("/whoami", this::whoami);
        platform.get("/get-gui-token", this::guiToken);
        platform.get("/session/sync-cookie", this::syncCookie);
        router.gui().get("/get-anticsrf-token", this::antiCsrfToken);
        platform.post("/passwd", HttpAuth.userOnly(legacyText(this::passwd)));
        platform.post("/send-pass-recovery-email", legacyText(this::sendRecoveryEmail));
        platform.post("/verify-pass-recovery-token", legacyText(this::verifyRecoveryToken));
        platform.post("/set-pass-using-token", legacyText(this::setPasswordWithToken));
        platform.post("/send-confirm-email", HttpAuth.userOnly(this::sendConfirmEmail));
        platform.post("/confirm-email", HttpAuth.userOnly(legacyText(this::confirmEmail)));
        platform.get("/change_email/confirm", this::confirmEmailChange);
        platform.post("/user-protected/change-password", userProtected("change-password", legacyText(this::changePassword)));
        platform.post("/user-protected/change-email", userProtected("change-email", this::changeEmail));
        platform.post("/user-protected/change-username", userProtected("change-username", this::changeUsername));
        platform.post("/user-protected/disable-2fa", userProtected("disable-2fa", this::disableTwoFactor));
        platform.post("/user-protected/delete-own-user", userProtected("delete-own-user", this::deleteOwnUser));
        router.api().post("/change_username", HttpAuth.userOnly(this::changeUsernameLegacy));
        platform.post("/save_account", HttpAuth.userOnly(legacyText(this::saveAccount)));
        router.gui().get("/confirm-email-by-token", this::confirmEmailByToken);
        platform.get("/whoarewe", this::whoAreWe);
        router.api().post("/auth/configure-2fa/:action", HttpAuth.userOnly(this::configureTwoFactor));
    }

    /**
     * QR login (spec 0.3 step 2, with 6.4's fix): a page of the main domain opened with {@code ?auth_token=<GUI token>}
     * gets the session cookie of that token's session, but only when the browser has no valid session cookie yet (so
     * that a link cannot swap a signed-in user's session). Errors are ignored.
     */
    private void qrLogin(Request req, Response res, dev.hearth.web.Middleware.Chain chain) throws Exception {
        Optional<String> token = req.query("auth_token").filter(t -> !Authenticator.isAbsent(t));
        if (token.isPresent() && req.method().equals("GET") && req.on(dev.hearth.web.HostScope.GUI)
                && req.cookie(settings.cookieName()).flatMap(this::cookieUser).isEmpty()) {
            try {
                if (authenticator.authenticate(token.get()) instanceof UserActor u && u.session().isPresent()) {
                    setCookie(req, res, tokens.issueSession(u.session().get(), u.user().uuid()));
                }
            } catch (ApiError e) {
                // not a usable token: no cookie
            }
        }
        chain.proceed();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sign-up (1.3)

    private void signup(Request req, Response res) throws Exception {
        if (limited(res, EdgeLimits.SIGNUP, req)) {
            return;
        }
        JsonNode body = req.jsonTree();
        boolean temp = body.path("is_temp").asBoolean(false);
        JsonNode trap = body.get("p102xyzname");
        if (!temp && (trap == null || !trap.isString() || !trap.asString().isEmpty())) {
            res.status(200).text(""); // the bot trap: answer as if nothing happened
            return;
        }
        SignupCheck check = new SignupCheck(req.clientAddress(), req.header("User-Agent"), temp);
        context.events().emit(SignupCheck.KEY, check);
        if (!check.allowed()) {
            throw ApiError.of(400, "not_allowed_to_signup", check.error().orElse("You are not allowed to sign up."));
        }
        if (temp && req.fromOwnOrigin()) {
            // Already signed in (the cookie, from our own pages only): the same session again, with a session token in
            // the cookie (upstream puts the GUI token there, which breaks /user-protected/*).
            Optional<UserActor> signedIn = req.cookie(settings.cookieName()).flatMap(this::cookieUser)
                    .filter(u -> u.session().isPresent());
            if (signedIn.isPresent()) {
                User user = signedIn.get().user();
                String session = signedIn.get().session().get();
                setCookie(req, res, tokens.issueSession(session, user.uuid()));
                res.json(HttpReplies.object("token", tokens.issueGui(session, user.uuid()), "user", signupUser(user)));
                return;
            }
        }
        if (settings.signupDisabled() && settings.tempUsersDisabled()) {
            throw ApiError.of(403, "user_signup_and_temp_users_disabled", "User signup and Temporary users are disabled.");
        }
        if (!temp && settings.signupDisabled()) {
            throw ApiError.of(403, "user_signup_disabled", "User signup is disabled.");
        }
        if (temp && settings.tempUsersDisabled()) {
            throw ApiError.of(403, "temp_users_disabled", "Temporary users are disabled.");
        }
        if (temp && check.noTempUser()) {
            throw ApiError.of(403, "must_login_or_signup", "You must login or signup.");
        }
        Optional<String> username = stringField(body, "username", "username must be a string.");
        Optional<String> email = temp ? Optional.empty() : stringField(body, "email", "email must be a string.");
        Optional<String> password = temp ? Optional.empty() : stringField(body, "password", "password must be a string.");
        NewUser request = new NewUser(username, email, password, temp, check.requiresEmailConfirmation(),
                new NewUser.SignupOrigin(
                Optional.of(req.clientAddress()), req.header("X-Forwarded-For"), req.header("User-Agent"),
                req.origin(), text(body, "referrer")));
        User user;
        try {
            user = users.create(request);
        } catch (ApiError e) {
            if (e.getMessage().equals("This username is not available.")) {
                res.status(400).json(HttpReplies.object("message", e.getMessage()));
                return;
            }
            throw e;
        }
        if (user.requiresEmailConfirmation()) {
            String code = users.newEmailConfirmCode(user.id());
            email(user, "email_verification_code", Map.of("code", code.substring(0, 3) + "-" + code.substring(3)));
        }
        Sessions.Login login = sessions.login(user, sessionOrigin(req));
        setCookie(req, res, login.sessionToken());
        res.json(HttpReplies.object("token", login.guiToken(), "user", signupUser(user)));
    }

    private Map<String, Object> signupUser(User user) {
        Map<String, Object> u = HttpReplies.object("username", user.username(), "uuid", user.uuid(),
                "email", user.email().orElse(null), "email_confirmed", user.emailConfirmed() ? 1 : 0,
                "requires_email_confirmation", user.requiresEmailConfirmation() ? 1 : 0, "is_temp", user.isTemp(),
                "taskbar_items", taskbar(user, java.util.OptionalInt.of(256)));
        user.referralCode().ifPresent(c -> u.put("referral_code", c));
        return u;
    }

    private Optional<UserActor> cookieUser(String cookie) {
        try {
            return authenticator.authenticateOptional(cookie).filter(UserActor.class::isInstance)
                    .map(UserActor.class::cast);
        } catch (ApiError e) {
            return Optional.empty(); // an invalid cookie is "not logged in"
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Login (1.6)

    private void login(Request req, Response res) throws Exception {
        JsonNode body = req.jsonTree();
        JsonNode username = body.get("username");
        JsonNode email = body.get("email");
        JsonNode password = body.get("password");
        boolean hasUsername = username != null && !username.isNull();
        if (!hasUsername && (email == null || email.isNull())) {
            throw ApiError.badRequest("Username or email is required.");
        }
        if (password == null || password.isNull() || password.isString() && password.asString().isEmpty()) {
            throw ApiError.badRequest("Password is required.");
        }
        if (!password.isString()) {
            throw ApiError.badRequest("Password must be a string.");
        }
        if (password.asString().length() < AccountRules.MIN_PASSWORD_LENGTH) {
            throw ApiError.badRequest("Invalid password.");
        }
        String account;
        if (hasUsername) {
            if (!username.isString()) {
                throw ApiError.badRequest("username must be a string.");
            }
            if (!AccountRules.USERNAME.matcher(username.asString()).matches()) {
                throw ApiError.badRequest("Invalid username.");
            }
            account = username.asString();
        } else {
            if (!email.isString()) {
                throw ApiError.badRequest("email must be a string.");
            }
            if (!AccountRules.isValidEmail(email.asString())) {
                throw ApiError.badRequest("Invalid email.");
            }
            account = email.asString();
        }
        String client = req.clientAddress();
        Optional<Duration> wait = throttle.check(account, client);
        if (wait.isPresent()) {
            HttpReplies.tooManyRequests(res, wait.get());
            return;
        }
        LoginResult result = users.authenticate(account, password.asString());
        switch (result) {
            case LoginResult.Failure f -> {
                throttle.recordFailure(account, client);
                HttpReplies.text(res, f.status(), f.message());
            }
            case LoginResult.Success s -> {
                throttle.recordSuccess(account, client);
                if (s.user().otpEnabled()) {
                    String otp = tokens.issuePurpose(OTP_PURPOSE, Map.of("user_uid", s.user().uuid()), Duration.ofMinutes(5));
                    res.status(202).json(HttpReplies.object("proceed", true, "next_step", "otp", "otp_jwt_token", otp));
                    return;
                }
                completeLogin(req, res, s.user());
            }
        }
    }

    private void completeLogin(Request req, Response res, User user) {
        Sessions.Login login = sessions.login(user, sessionOrigin(req));
        setCookie(req, res, login.sessionToken());
        res.json(HttpReplies.object("proceed", true, "next_step", "complete", "token", login.guiToken(),
                "user", HttpReplies.object("username", user.username(), "uuid", user.uuid(),
                        "email", user.email().orElse(null), "email_confirmed", user.emailConfirmed() ? 1 : 0,
                        "is_temp", user.isTemp())));
    }

    private void loginOtp(Request req, Response res) throws Exception {
        secondFactor(req, res, EdgeLimits.LOGIN_OTP, (user, code) -> users.checkTwoFactorCode(user.id(), code));
    }

    private void loginRecoveryCode(Request req, Response res) throws Exception {
        secondFactor(req, res, EdgeLimits.LOGIN_RECOVERY, (user, code) -> users.useRecoveryCode(user.id(), code));
    }

    private interface CodeCheck {
        boolean accepts(User user, String code);
    }

    private void secondFactor(Request req, Response res, EdgeLimits.Scope scope, CodeCheck check) {
        if (limited(res, scope, req)) {
            return;
        }
        JsonNode body = req.jsonTree();
        String token = text(body, "token").orElseThrow(() -> ApiError.badRequest("token is required."));
        String code = body.has("code") && !body.get("code").isNull() ? body.get("code").asString() : null;
        if (code == null || code.isEmpty()) {
            throw ApiError.badRequest("code is required.");
        }
        Object uuid = tokens.verifyPurpose(token, OTP_PURPOSE).map(c -> c.get("user_uid"))
                .orElseThrow(() -> ApiError.badRequest("Invalid token."));
        User user = users.byUuid(String.valueOf(uuid)).orElseThrow(() -> ApiError.badRequest("User not found."));
        if (!check.accepts(user, code)) {
            res.json(HttpReplies.object("proceed", false));
            return;
        }
        completeLogin(req, res, user);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Logout, GUI token, cookie (1.7, 2.6.1, 2.6.2, 2.6.9)

    private void logout(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        String token = text(req.jsonTree(), "anti_csrf").orElse("");
        if (!antiCsrf.consume(actor.user(), token)) {
            res.status(400).json(HttpReplies.object("message", "incorrect anti-CSRF token"));
            return;
        }
        HttpReplies.clearCookie(res, settings.cookieName());
        actor.session().ifPresent(s -> sessions.revoke(actor.user(), s));
        if (actor.user().isTemp()) {
            users.delete(actor.user().id());
        }
        HttpReplies.text(res, 200, "logged out");
    }

    private void guiToken(Request req, Response res) {
        Optional<Actor> actor = HttpAuth.optionalActor();
        if (actor.isEmpty()) {
            res.status(401).json(Map.of());
            return;
        }
        if (!(actor.get() instanceof UserActor u)) {
            res.status(403).json(Map.of());
            return;
        }
        if (u.session().isEmpty()) {
            res.status(400).json(HttpReplies.object("error", "No session bound to this actor"));
            return;
        }
        res.json(HttpReplies.object("token", tokens.issueGui(u.session().get(), u.user().uuid())));
    }

    private void syncCookie(Request req, Response res) {
        Optional<Actor> actor = HttpAuth.optionalActor();
        if (actor.isEmpty()) {
            res.status(401).text("");
            return;
        }
        if (!(actor.get() instanceof UserActor u) || u.session().isEmpty()) {
            res.status(400).text("");
            return;
        }
        setCookie(req, res, tokens.issueSession(u.session().get(), u.user().uuid()));
        res.status(204);
    }

    private void antiCsrfToken(Request req, Response res) {
        Actor actor = HttpAuth.actor();
        if (!(actor instanceof UserActor u)) {
            res.status(403).json(Map.of());
            return;
        }
        res.json(HttpReplies.object("token", antiCsrf.issue(u.user())));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // whoami (1.8)

    private void whoami(Request req, Response res) {
        Optional<String> iconSize = req.query("icon_size");
        Actor actor;
        Optional<String> upgradedToken = Optional.empty();
        HttpAuth.Attempt attempt = HttpAuth.attempt();
        Optional<Actor> found = currentActor();
        if (found.isPresent()) {
            actor = found.get();
        } else if (attempt.failure().isPresent() && attempt.token().isPresent() && settings.legacyTokenMigrate()
                && attempt.failure().get().code().equals("token_auth_failed")) {
            Authenticator.Authenticated a = authenticator.authenticate(attempt.token().get(), Optional.of(sessionOrigin(req)));
            actor = a.actor();
            if (a.upgradedLegacy().isPresent()) {
                setCookie(req, res, a.upgradedLegacy().get().sessionToken());
                upgradedToken = Optional.of(a.upgradedLegacy().get().guiToken());
            }
        } else {
            actor = HttpAuth.actor();
        }
        if (iconSize.isPresent() && !ICON_SIZES.contains(iconSize.get())) {
            res.status(400).json(HttpReplies.object("error", "Invalid icon_size"));
            return;
        }
        User user = actor.actingUser().flatMap(u -> users.byId(u.id())).orElseThrow(ApiError::forbidden);
        boolean isUser = actor instanceof UserActor;
        boolean post = req.method().equals("POST");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", user.username());
        out.put("uuid", user.uuid());
        boolean emailVisible = isUser || permissions.check(actor, "user:" + user.uuid() + ":email:read");
        if (emailVisible) {
            out.put("email", user.email().orElse(null));
            if (!post) {
                out.put("unconfirmed_email", user.email().orElse(null));
            }
        }
        out.put("email_confirmed", user.emailConfirmed() || user.username().equals(User.ADMIN_USERNAME));
        out.put("requires_email_confirmation", user.requiresEmailConfirmation() ? 1 : 0);
        if (isUser) {
            out.put("desktop_bg_url", user.desktopBgUrl().orElse(null));
            out.put("desktop_bg_color", user.desktopBgColor().orElse(null));
            out.put("desktop_bg_fit", user.desktopBgFit().orElse(null));
        }
        out.put("is_temp", user.isTemp());
        out.put("oidc_only", user.isOidcOnly());
        if (isUser) {
            out.put("taskbar_items", taskbar(user, iconSize.map(Integer::parseInt)
                    .map(java.util.OptionalInt::of).orElse(java.util.OptionalInt.empty())));
        }
        out.put("referral_code", user.referralCode().orElse(null));
        if (!post) {
            out.put("otp", user.otpEnabled());
            if (isUser) {
                out.put("human_readable_age", age(user.createdAt(), clock.instant()));
            }
        }
        out.put("hasDevAccountAccess", hasDevAccountAccess(user));
        upgradedToken.ifPresent(t -> out.put("token", t));
        if (isUser) {
            out.put("is_user_token", true);
        }
        if (!post) {
            out.put("feature_flags", HttpReplies.object("temp-users-disabled", settings.tempUsersDisabled(),
                    "user-signup-disabled", settings.signupDisabled(), "public-folders", settings.publicFolders(),
                    "share", user.emailConfirmed()));
        }
        if (isUser) {
            out.put("directories", directories(user));
        }
        if (actor instanceof AppUnderUserActor app) {
            out.put("app_name", context.services().find(dev.hearth.core.spi.AppDirectory.class)
                    .flatMap(d -> d.appByUid(app.appUid())).map(dev.hearth.core.spi.AppDirectory.App::name)
                    .orElse(app.appUid()));
        }
        if (post && isUser && req.query("return_desktop_items").map(v -> v.equals("1") || v.equals("true")).orElse(false)) {
            out.put("desktop_items", List.of()); // the filesystem module lists the desktop
        }
        user.lastActivity().ifPresent(t -> out.put("last_activity_ts", t.getEpochSecond()));
        res.json(out);
    }

    /** The taskbar apps, from the apps module; none without it. */
    private List<Map<String, Object>> taskbar(User user, java.util.OptionalInt iconSize) {
        return context.services().find(dev.hearth.core.spi.AppDirectory.class)
                .map(d -> d.taskbarItems(user, iconSize)).orElse(List.of());
    }

    private static Optional<Actor> currentActor() {
        return dev.hearth.kernel.Context.current().flatMap(dev.hearth.kernel.Context::actor)
                .filter(Actor.class::isInstance).map(Actor.class::cast);
    }

    private static boolean hasDevAccountAccess(User user) {
        try {
            JsonNode m = Json.mapper().readTree(user.metadata() == null || user.metadata().isBlank() ? "{}" : user.metadata());
            JsonNode v = m.get("hasDevAccountAccess");
            return v != null && (v.asBoolean(false) || v.isString() && !v.asString().isEmpty()
                    || v.isNumber() && v.asInt() != 0);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Map<String, String> directories(User user) {
        Map<String, String> out = new LinkedHashMap<>();
        String home = "/" + user.username();
        for (String[] f : new String[][] {{"desktop", "Desktop"}, {"appdata", "AppData"}, {"documents", "Documents"},
                {"pictures", "Pictures"}, {"videos", "Videos"}, {"trash", "Trash"}}) {
            String uuid = user.folders().get(f[0]);
            if (uuid != null) {
                out.put(home + "/" + f[1], uuid);
            }
        }
        return out;
    }

    /** The account's age in the words of {@code javascript-time-ago} ("just now", "3 days ago"). */
    static String age(Instant created, Instant now) {
        long s = Math.max(0, Duration.between(created, now).getSeconds());
        if (s < 60) {
            return "just now";
        }
        long[] limits = {3600, 86_400, 604_800, 2_629_800, 31_557_600, Long.MAX_VALUE};
        long[] units = {60, 3600, 86_400, 604_800, 2_629_800, 31_557_600};
        String[] names = {"minute", "hour", "day", "week", "month", "year"};
        for (int i = 0; i < units.length; i++) {
            if (s < limits[i]) {
                long n = Math.max(1, Math.round((double) s / units[i]));
                if (i + 1 < units.length && n * units[i] >= limits[i]) {
                    continue;
                }
                return n + " " + names[i] + (n == 1 ? "" : "s") + " ago";
            }
        }
        return "long ago";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Passwords (1.9)

    private void passwd(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        JsonNode body = req.jsonTree();
        String oldPass = requiredText(body, "old_pass");
        String newPass = requiredText(body, "new_pass");
        if (limited(res, EdgeLimits.PASSWD, req)) {
            return;
        }
        if (!users.verifyPassword(actor.user(), oldPass)) {
            throw ApiError.badRequest("old_pass does not match your current password.");
        }
        if (newPass.length() < AccountRules.MIN_PASSWORD_LENGTH) {
            throw ApiError.badRequest("new_pass must be at least 6 characters long.");
        }
        users.setPassword(actor.user().id(), newPass);
        revokeOthers(actor);
        email(actor.user(), "password_change_notification", Map.of());
        HttpReplies.text(res, 200, "Password successfully updated.");
    }

    private static String requiredText(JsonNode body, String key) {
        JsonNode n = body.get(key);
        if (n == null || n.isNull() || n.isString() && n.asString().isEmpty()) {
            throw ApiError.of(401, "bad_request", key + " is required");
        }
        if (!n.isString()) {
            throw ApiError.badRequest(key + " must be a string.");
        }
        return n.asString();
    }

    private void revokeOthers(UserActor actor) {
        if (actor.session().isPresent()) {
            sessions.revokeAllExcept(actor.user().id(), actor.session().get());
        } else {
            sessions.revokeAll(actor.user().id());
        }
    }

    private void sendRecoveryEmail(Request req, Response res) {
        JsonNode body = req.jsonTree();
        JsonNode username = body.get("username");
        JsonNode email = body.get("email");
        boolean byUsername = username != null && !username.isNull();
        if (!byUsername && (email == null || email.isNull())) {
            throw ApiError.badRequest("Username or email is required.");
        }
        if (byUsername && !username.isString()) {
            throw ApiError.badRequest("username must be a string.");
        }
        if (byUsername && !AccountRules.USERNAME.matcher(username.asString()).matches()) {
            throw ApiError.badRequest("Invalid username.");
        }
        if (!byUsername && !email.isString()) {
            throw ApiError.badRequest("email must be a string.");
        }
        if (!byUsername && !AccountRules.isValidEmail(email.asString())) {
            throw ApiError.badRequest("Invalid email.");
        }
        if (limited(res, EdgeLimits.SEND_RECOVERY, req)) {
            return;
        }
        Optional<User> user = (byUsername ? users.byUsername(username.asString()) : users.byEmail(email.asString()))
                .filter(u -> !u.isSystem());
        if (user.isEmpty()) {
            throw ApiError.badRequest(byUsername ? "Username not found." : "Email not found.");
        }
        if (user.get().suspended()) {
            throw ApiError.of(401, "bad_request", "Account suspended");
        }
        if (user.get().email().isEmpty()) {
            throw ApiError.of(422, "bad_request", "No email associated with this account.");
        }
        String nonce = users.startPasswordRecovery(user.get().id());
        String jwt = tokens.issuePurpose(RECOVERY_PURPOSE, Map.of("user_uid", user.get().uuid(), "token", nonce,
                "email", user.get().email().get()), Duration.ofHours(1));
        email(user.get(), "email_password_recovery", Map.of("link", origin(req) + "/action/set-new-password?token=" + jwt));
        res.json(HttpReplies.object("message", byUsername
                ? "Password recovery sent to the email associated with <strong>" + user.get().username()
                        + "</strong>. Please check your email for instructions on how to reset your password."
                : "Password recovery email sent to <strong>" + user.get().email().get()
                        + "</strong>. Please check your email for instructions on how to reset your password."));
    }

    private Optional<User> recoveryUser(String token) {
        Optional<Map<String, Object>> claims = tokens.verifyPurpose(token, RECOVERY_PURPOSE);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        return users.byUuid(String.valueOf(claims.get().get("user_uid")))
                .filter(u -> u.email().map(e -> e.equals(claims.get().get("email"))).orElse(false));
    }

    private void verifyRecoveryToken(Request req, Response res) {
        String token = text(req.jsonTree(), "token").orElseThrow(() -> ApiError.of(401, "bad_request", "token is required"));
        if (limited(res, EdgeLimits.VERIFY_RECOVERY, req)) {
            return;
        }
        recoveryUser(token).orElseThrow(AccountRoutes::recoveryInvalid);
        long exp = ((Number) tokens.verifyPurpose(token, RECOVERY_PURPOSE).orElseThrow().get("exp")).longValue();
        res.json(HttpReplies.object("time_remaining", exp - clock.instant().getEpochSecond()));
    }

    private void setPasswordWithToken(Request req, Response res) {
        JsonNode body = req.jsonTree();
        JsonNode password = body.get("password");
        if (password == null || password.isNull()) {
            throw ApiError.of(401, "bad_request", "password is required");
        }
        String token = text(body, "token").orElseThrow(() -> ApiError.of(401, "bad_request", "token is required"));
        if (!password.isString()) {
            throw ApiError.badRequest("password must be a string.");
        }
        if (password.asString().length() < AccountRules.MIN_PASSWORD_LENGTH) {
            throw ApiError.badRequest("Password must be at least 6 characters long.");
        }
        if (limited(res, EdgeLimits.SET_PASS, req)) {
            return;
        }
        User user = recoveryUser(token).orElseThrow(AccountRoutes::recoveryInvalid);
        String nonce = String.valueOf(tokens.verifyPurpose(token, RECOVERY_PURPOSE).orElseThrow().get("token"));
        users.resetPassword(user.uuid(), nonce, password.asString());
        sessions.revokeAll(user.id());
        HttpReplies.text(res, 200, "Password successfully updated.");
    }

    private static ApiError recoveryInvalid() {
        return ApiError.badRequest("This password recovery token is no longer valid.");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Email confirmation (1.5) and change (1.10)

    private void sendConfirmEmail(Request req, Response res) {
        if (limited(res, EdgeLimits.SEND_CONFIRM_EMAIL, req)) {
            return;
        }
        User user = HttpAuth.userActor().user();
        String code = users.newEmailConfirmCode(user.id());
        email(user, "email_verification_code", Map.of("code", code.substring(0, 3) + "-" + code.substring(3)));
        res.status(200).text("");
    }

    private void confirmEmail(Request req, Response res) {
        JsonNode body = req.jsonTree();
        JsonNode code = body.get("code");
        if (code == null || code.isNull() || code.asString().isEmpty()) {
            throw ApiError.badRequest("code is required");
        }
        if (limited(res, EdgeLimits.CONFIRM_EMAIL, req)) {
            return;
        }
        User user = users.byId(HttpAuth.userActor().user().id()).orElseThrow(AccountErrors::userNotFound);
        // The GUI names its socket, so that the socket event user.email_confirmed says who caused it.
        Optional<String> socketId = text(body, "original_client_socket_id").filter(id -> !id.isEmpty());
        boolean confirmed = socketId.isEmpty() ? users.confirmEmailWithCode(user.id(), code.asString())
                : Context.current().orElseGet(Context::create).withSocketId(socketId.get())
                        .call(() -> users.confirmEmailWithCode(user.id(), code.asString()));
        if (!confirmed) {
            res.json(HttpReplies.object("email_confirmed", false));
            return;
        }
        res.json(HttpReplies.object("email_confirmed", true, "original_client_socket_id",
                text(body, "original_client_socket_id").orElse(null)));
    }

    private void confirmEmailByToken(Request req, Response res) {
        Optional<String> uuid = req.query("user_uuid").filter(v -> !v.isEmpty());
        Optional<String> token = req.query("token").filter(v -> !v.isEmpty());
        if (uuid.isEmpty() || token.isEmpty()) {
            res.status(400).html(uuid.isEmpty() ? "user_uuid is required" : "token is required");
            return;
        }
        String page = switch (users.confirmEmailWithToken(uuid.get(), token.get())) {
            case USER_NOT_FOUND -> "user not found.";
            case ALREADY_CONFIRMED -> "Email already confirmed.";
            case INVALID_TOKEN -> "invalid token.";
            case CONFIRMED_ELSEWHERE -> "This email was confirmed on a different account.";
            case CONFIRMED -> "Your email has been successfully confirmed.";
        };
        res.html(page);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Guests to accounts (1.4), and what the GUI asks first (6.2)

    private void saveAccount(Request req, Response res) {
        if (settings.signupDisabled()) {
            throw ApiError.of(403, "bad_request", "User signup is disabled.");
        }
        UserActor actor = HttpAuth.userActor();
        JsonNode body = req.jsonTree();
        String username = stringField(body, "username", "username must be a string.").orElse(null);
        String email = stringField(body, "email", "email must be a string.").orElse(null);
        String password = stringField(body, "password", "password must be a string.").orElse(null);
        if (limited(res, EdgeLimits.SAVE_ACCOUNT, req)) {
            return;
        }
        User user = users.saveAccount(actor.user().id(), username, email, password);
        String code = users.newEmailConfirmCode(user.id());
        email(user, "email_verification_code", Map.of("code", code.substring(0, 3) + "-" + code.substring(3)));
        Sessions.Login login = sessions.login(user, sessionOrigin(req));
        setCookie(req, res, login.sessionToken());
        Map<String, Object> u = HttpReplies.object("username", user.username(), "uuid", user.uuid(),
                "email", user.email().orElse(null), "is_temp", false,
                "requires_email_confirmation", user.requiresEmailConfirmation() ? 1 : 0,
                "email_confirmed", user.emailConfirmed() ? 1 : 0, "email_confirmation_required", 0,
                "taskbar_items", taskbar(user, java.util.OptionalInt.of(256)));
        user.referralCode().ifPresent(c -> u.put("referral_code", c));
        res.json(HttpReplies.object("token", login.guiToken(), "user", u));
    }

    private void whoAreWe(Request req, Response res) {
        res.json(HttpReplies.object("disable_user_signup", settings.signupDisabled(),
                "disable_temp_users", settings.tempUsersDisabled(),
                "environmentInfo", HttpReplies.object("env", context.config().string("env").orElse("prod"),
                        "version", context.config().string("version").orElse("hearth")),
                "captchaRequired", HttpReplies.object("login", false, "signup", false)));
    }

    private void confirmEmailChange(Request req, Response res) {
        String token = req.query("token").filter(t -> !t.isEmpty()).orElseThrow(() -> ApiError.fieldMissing("token"));
        if (limited(res, EdgeLimits.CHANGE_EMAIL_CONFIRM, req)) {
            return;
        }
        Map<String, Object> claims = tokens.verifyPurpose(token, EMAIL_CHANGE_PURPOSE)
                .orElseThrow(() -> ApiError.of(400, "token_invalid", "Invalid token."));
        users.confirmEmailChange(((Number) claims.get("user_id")).longValue(), String.valueOf(claims.get("token")));
        res.html("<p style=\"text-align:center; color:green;\">Your email has been successfully confirmed.</p>");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // /user-protected/* (1.9.2)

    private interface Protected {
        void handle(Request req, Response res, UserActor actor, User user) throws Exception;
    }

    private Handler userProtected(String name, Protected handler) {
        EdgeLimits.Scope scope = EdgeLimits.userProtected(name);
        return (req, res) -> {
            if (limited(res, scope, req)) {
                return;
            }
            if (!(HttpAuth.actor() instanceof UserActor actor)) {
                throw AccountErrors.userTokensOnly();
            }
            if (!actor.hasHttpOnlyCookie()) {
                throw AccountErrors.sessionRequired();
            }
            User user = users.byId(actor.user().id()).orElseThrow(AccountErrors::userNotFound);
            if (user.isTemp() && !name.equals("delete-own-user")) {
                throw AccountErrors.temporaryAccount();
            }
            if (!user.isTemp()) {
                revalidate(req, user);
            }
            handler.handle(req, res, actor, user);
        };
    }

    private Protected legacyText(Protected handler) {
        return (req, res, actor, user) -> {
            try {
                handler.handle(req, res, actor, user);
            } catch (ApiError e) {
                if (!e.code().equals("bad_request")) {
                    throw e;
                }
                HttpReplies.text(res, e.status(), e.getMessage());
            }
        };
    }

    private void revalidate(Request req, User user) {
        JsonNode password = req.jsonTree().get("password");
        if (password != null && !password.isNull()) {
            if (user.isOidcOnly()) {
                throw ApiError.of(403, "oidc_revalidation_required",
                        "Re-validate by signing in with your linked account (e.g. Google).");
            }
            if (!password.isString() || !users.verifyPassword(user, password.asString())) {
                throw AccountErrors.passwordMismatch();
            }
            return;
        }
        boolean revalidated = req.cookie(REVALIDATION_COOKIE).flatMap(c -> tokens.verifyPurpose(c, REVALIDATE_PURPOSE))
                .map(c -> c.get("user_id") instanceof Number n && n.longValue() == user.id()).orElse(false);
        if (revalidated) {
            return;
        }
        if (user.isOidcOnly()) {
            throw ApiError.of(403, "oidc_revalidation_required",
                    "Re-validate by signing in with your linked account (e.g. Google).");
        }
        throw AccountErrors.passwordRequired();
    }

    private void changePassword(Request req, Response res, UserActor actor, User user) {
        JsonNode newPass = req.jsonTree().get("new_pass");
        if (newPass == null || !newPass.isString() || !AccountRules.isStrong(newPass.asString())) {
            throw ApiError.badRequest("Password does not meet requirements.");
        }
        users.setPassword(user.id(), newPass.asString());
        revokeOthers(actor);
        email(user, "password_change_notification", Map.of());
        HttpReplies.text(res, 200, "Password successfully updated.");
    }

    private void changeEmail(Request req, Response res, UserActor actor, User user) {
        JsonNode node = req.jsonTree().get("new_email");
        if (node != null && !node.isNull() && !node.isString()) {
            throw ApiError.fieldInvalid("new_email", "a valid email address", null);
        }
        String newEmail = node == null || node.isNull() ? null : node.asString();
        switch (users.requestEmailChange(user.id(), newEmail)) {
            case Users.EmailChange.Replaced r -> context.events().emit(EmailMessage.EVENT, new EmailMessage(newEmail,
                    "email_verification_link", Map.of("link", origin(req) + "/confirm-email-by-token?user_uuid="
                            + user.uuid() + "&token=" + r.emailConfirmToken())));
            case Users.EmailChange.Pending p -> {
                String jwt = tokens.issuePurpose(EMAIL_CHANGE_PURPOSE, Map.of("user_id", user.id(), "token", p.nonce()),
                        Duration.ofHours(24));
                context.events().emit(EmailMessage.EVENT, new EmailMessage(newEmail, "email_change_request", Map.of(
                        "confirm_url", origin(req) + "/change_email/confirm?token=" + jwt, "username", user.username())));
                email(user, "email_change_notification", Map.of("new_email", newEmail));
            }
        }
        res.json(HttpReplies.object("success", true));
    }

    private void changeUsername(Request req, Response res, UserActor actor, User user) {
        JsonNode node = req.jsonTree().get("new_username");
        if (node != null && !node.isNull() && !node.isString()) {
            throw ApiError.fieldInvalid("new_username", "a string", null);
        }
        users.changeUsername(user.id(), node == null || node.isNull() ? null : node.asString());
        res.json(Map.of());
    }

    private void changeUsernameLegacy(Request req, Response res) {
        if (limited(res, EdgeLimits.CHANGE_USERNAME, req)) {
            return;
        }
        changeUsername(req, res, HttpAuth.userActor(), HttpAuth.userActor().user());
    }

    private void disableTwoFactor(Request req, Response res, UserActor actor, User user) {
        users.disableTwoFactor(user.id());
        email(user, "disabled_2fa", Map.of("username", user.username()));
        res.json(HttpReplies.object("success", true));
    }

    private void deleteOwnUser(Request req, Response res, UserActor actor, User user) {
        HttpReplies.clearCookie(res, settings.cookieName());
        HttpReplies.clearCookie(res, REVALIDATION_COOKIE);
        users.delete(user.id());
        res.json(HttpReplies.object("success", true));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2FA set-up (1.6.3)

    private void configureTwoFactor(Request req, Response res) {
        User user = users.byId(HttpAuth.userActor().user().id()).orElseThrow(AccountErrors::userNotFound);
        String action = req.pathParam("action").orElse("");
        switch (action) {
            case "setup" -> {
                Totp.Setup setup = users.setUpTwoFactor(user.id());
                res.json(HttpReplies.object("url", setup.url(), "secret", setup.secret(), "codes", setup.recoveryCodes()));
            }
            case "test" -> res.json(HttpReplies.object("ok",
                    users.checkTwoFactorCode(user.id(), text(req.jsonTree(), "code").orElse(""))));
            case "enable" -> {
                if (limited(res, EdgeLimits.ENABLE_2FA, req)) {
                    return;
                }
                users.enableTwoFactor(user.id());
                email(user, "enabled_2fa", Map.of("username", user.username()));
                res.json(Map.of());
            }
            default -> throw ApiError.of(400, "invalid_action", "Invalid action: `" + action + "`.")
                    .with("action", action);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Counts a hit on {@code scope}; if over the limit, answers {@code 429} and returns true. */
    private boolean limited(Response res, EdgeLimits.Scope scope, Request req) {
        return limits.refused(scope, req, res);
    }

    /** Answers the domain's plain {@code 400 bad_request} errors as the legacy text bodies. */
    private static Handler legacyText(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (ApiError e) {
                if (!e.code().equals("bad_request")) {
                    throw e;
                }
                HttpReplies.text(res, e.status(), e.getMessage());
            }
        };
    }

    /**
     * Sets the session cookie, except for requests from a foreign origin: a third-party page may log in through the API
     * and get the token in the body, but it may not plant a session in the browser (login CSRF).
     */
    private void setCookie(Request req, Response res, String sessionToken) {
        if (req.origin().isPresent() && !req.fromOwnOrigin()) {
            return;
        }
        HttpReplies.setSessionCookie(res, settings.cookieName(), sessionToken,
                httpsConfigured || req.scheme().equals("https"));
    }

    private void email(User user, String template, Map<String, Object> values) {
        user.email().ifPresent(to -> context.events().emit(EmailMessage.EVENT, new EmailMessage(to, template, values)));
    }

    /** The GUI origin, for links in emails: the configured public one once the server runs. */
    private String origin(Request req) {
        return context.services().find(dev.hearth.web.WebServer.class).map(w -> w.urls().origin())
                .orElseGet(() -> req.scheme() + "://" + req.header("Host").orElse(req.host()));
    }

    static SessionOrigin sessionOrigin(Request req) {
        return new SessionOrigin(Optional.of(req.clientAddress()), req.header("User-Agent"), req.header("Referer"),
                req.origin(), Optional.of(req.scheme() + "://" + req.header("Host").orElse(req.host())));
    }

    static Optional<String> text(JsonNode body, String key) {
        JsonNode n = body.get(key);
        return n != null && n.isString() && !n.asString().isEmpty() ? Optional.of(n.asString()) : Optional.empty();
    }

    private static Optional<String> stringField(JsonNode body, String key, String notString) {
        JsonNode n = body.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isString()) {
            throw ApiError.badRequest(notString);
        }
        return Optional.of(n.asString());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
