package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import tools.jackson.databind.JsonNode;

/** The account, session and token endpoints over HTTP, on a real database. */
abstract class AccountsHttpContract extends HttpFixture {

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    static Map<String, Object> claims(String jwt) {
        return dev.hearth.kernel.Json.mapper().readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                new tools.jackson.core.type.TypeReference<Map<String, Object>>() {});
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sign-up, login, whoami, logout

    @Test
    void signupAnswersTheGuiTokenAndSetsTheSessionCookieOfOneSession() throws IOException {
        int before = recorder.created.size();
        Account a = signup();
        assertThat(fields(a.body())).containsExactly("token", "user");
        assertThat(fields(a.body().get("user"))).containsExactly("username", "uuid", "email", "email_confirmed",
                "requires_email_confirmation", "is_temp", "taskbar_items");
        assertThat(a.body().get("user").get("email_confirmed").asInt()).isZero();
        assertThat(a.body().get("user").get("is_temp").asBoolean()).isFalse();
        assertThat(claims(a.token())).containsEntry("type", "gui").doesNotContainKey("exp");
        assertThat(claims(a.cookie())).containsEntry("type", "session")
                .containsEntry("uuid", claims(a.token()).get("uuid"));
        // The user.created event (default folders) has been handled before /signup answered.
        assertThat(recorder.created.subList(before, recorder.created.size()))
                .anyMatch(e -> e.username().equals(a.username()));
    }

    @Test
    void theSessionCookieIsHttpOnlyAndLaxOverHttp() throws IOException {
        String name = unique("c");
        HttpClient.Reply r = http.send("POST", "/signup", json(Map.of("username", name, "email", name + "@example.com",
                "password", "password1", "p102xyzname", "")), own(), "X-Forwarded-For: " + address());
        assertThat(r.all("set-cookie")).singleElement().satisfies(c -> assertThat(c)
                .startsWith(COOKIE + "=").endsWith("; Path=/; HttpOnly; SameSite=Lax"));
    }

    @Test
    void signupRefusalsAreTheLegacyTexts() throws IOException {
        Account a = signup();
        HttpClient.Reply dup = http.send("POST", "/signup", json(Map.of("username", a.username(),
                "email", unique("x") + "@example.com", "password", "password1", "p102xyzname", "")), own(),
                "X-Forwarded-For: " + address());
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.text()).isEqualTo("Username already taken. Try another one.");
        assertThat(dup.header("content-type")).contains("text/html; charset=utf-8");
        HttpClient.Reply email = http.send("POST", "/signup", json(Map.of("username", unique("x"),
                "email", "not-an-email", "password", "password1", "p102xyzname", "")), own(),
                "X-Forwarded-For: " + address());
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.text()).isEqualTo("Please enter a valid email address.");
        HttpClient.Reply noPassword = http.send("POST", "/signup", json(Map.of("username", unique("x"),
                "email", unique("x") + "@example.com", "p102xyzname", "")), own(), "X-Forwarded-For: " + address());
        assertThat(noPassword.text()).isEqualTo("Password is required");
        HttpClient.Reply reserved = http.send("POST", "/signup", json(Map.of("username", "admin",
                "email", unique("x") + "@example.com", "password", "password1", "p102xyzname", "")), own(),
                "X-Forwarded-For: " + address());
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.text()).isEqualTo("{\"message\":\"This username is not available.\"}");
    }

    @Test
    void theBotTrapAnswersAnEmpty200AndCreatesNothing() throws IOException {
        String name = unique("bot");
        HttpClient.Reply r = http.send("POST", "/signup", json(Map.of("username", name, "email", name + "@example.com",
                "password", "password1", "p102xyzname", "gotcha")), own(), "X-Forwarded-For: " + address());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(get(Users.class).byUsername(name)).isEmpty();
    }

    @Test
    void aGuestSignsUpWithoutEmailOrPasswordAndLogoutDeletesIt() throws IOException {
        HttpClient.Reply r = http.send("POST", "/signup", json(Map.of("is_temp", true)), own(),
                "X-Forwarded-For: " + address());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode user = r.json().get("user");
        assertThat(user.get("is_temp").asBoolean()).isTrue();
        assertThat(user.get("email").isNull()).isTrue();
        String token = r.json().get("token").asString();
        // The same browser asking again keeps its guest account.
        HttpClient.Reply again = http.send("POST", "/signup", json(Map.of("is_temp", true)), own(),
                cookie(r.cookie(COOKIE).orElseThrow()), "X-Forwarded-For: " + address());
        assertThat(again.json().get("user").get("uuid").asString()).isEqualTo(user.get("uuid").asString());
        String anti = http.send("GET", "/get-anticsrf-token", null, bearer(token)).json().get("token").asString();
        assertThat(http.send("POST", "/logout", json(Map.of("anti_csrf", anti)), own(), bearer(token)).status())
                .isEqualTo(200);
        assertThat(get(Users.class).byUuid(user.get("uuid").asString())).isEmpty();
    }

    @Test
    void loginAnswersTheCapturedShapeAndItsTexts() throws IOException {
        Account a = signup();
        HttpClient.Reply ok = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                a.password())), own(), "X-Forwarded-For: " + address());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(fields(ok.json())).containsExactly("proceed", "next_step", "token", "user");
        assertThat(fields(ok.json().get("user"))).containsExactly("username", "uuid", "email", "email_confirmed", "is_temp");
        assertThat(ok.json().get("next_step").asString()).isEqualTo("complete");
        assertThat(ok.cookie(COOKIE)).isPresent();
        HttpClient.Reply byEmail = http.send("POST", "/login", json(Map.of("email", a.username() + "@example.com",
                "password", a.password())), own(), "X-Forwarded-For: " + address());
        assertThat(byEmail.status()).isEqualTo(200);
        HttpClient.Reply wrong = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                "WRONG-PASSWORD-000")), own(), "X-Forwarded-For: " + address());
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text()).isEqualTo("Incorrect password.");
        HttpClient.Reply unknown = http.send("POST", "/login", json(Map.of("username", unique("nobody"), "password",
                "whatever1")), own(), "X-Forwarded-For: " + address());
        assertThat(unknown.text()).isEqualTo("Username not found.");
        assertThat(http.send("POST", "/login", json(Map.of("password", "whatever1")), own()).text())
                .isEqualTo("Username or email is required.");
        assertThat(http.send("POST", "/login", json(Map.of("username", "x")), own()).text())
                .isEqualTo("Password is required.");
    }

    @Test
    void bruteForceIsThrottledPerAddressWhileAnotherAddressStillLogsIn() throws IOException {
        Account a = signup();
        String attacker = address();
        for (int i = 0; i < InProcessLoginThrottle.ADDRESS_FAILURES; i++) {
            HttpClient.Reply r = http.send("POST", "/login", json(Map.of("username", unique("guess"), "password",
                    "guess-" + i)), own(), "X-Forwarded-For: " + attacker);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
        }
        HttpClient.Reply blocked = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                a.password())), own(), "X-Forwarded-For: " + attacker);
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.text()).isEqualTo("{\"message\":\"Too many requests.\",\"code\":\"too_many_requests\"}");
        assertThat(blocked.header("retry-after")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        HttpClient.Reply elsewhere = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                a.password())), own(), "X-Forwarded-For: 192.0.2.77");
        assertThat(elsewhere.status()).isEqualTo(200);
    }

    @Test
    void whoamiAnswersTheCapturedShapeForAUser() throws IOException {
        Account a = signup();
        HttpClient.Reply r = http.send("GET", "/whoami", null, bearer(a.token()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fields(r.json())).containsExactly("username", "uuid", "email", "unconfirmed_email",
                "email_confirmed", "requires_email_confirmation", "desktop_bg_url", "desktop_bg_color", "desktop_bg_fit",
                "is_temp", "oidc_only", "taskbar_items", "referral_code", "otp", "human_readable_age",
                "hasDevAccountAccess", "is_user_token", "feature_flags", "directories", "last_activity_ts");
        assertThat(r.json().get("email_confirmed").isBoolean()).isTrue();
        assertThat(r.json().get("human_readable_age").asString()).isEqualTo("just now");
        assertThat(r.json().get("taskbar_items").get(0).has("icon")).isFalse();
        assertThat(http.send("GET", "/whoami?icon_size=64", null, bearer(a.token())).json().get("taskbar_items").get(0)
                .get("icon").asString()).endsWith("/64");
        // The folders the user.created listener recorded before /signup answered.
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        assertThat(r.json().get("directories").get("/" + a.username() + "/Desktop").asString())
                .isEqualTo("desktop-" + user.uuid());
        assertThat(fields(r.json().get("directories"))).containsExactly("/" + a.username() + "/Desktop",
                "/" + a.username() + "/AppData");
        assertThat(fields(r.json().get("feature_flags"))).containsExactly("temp-users-disabled", "user-signup-disabled",
                "public-folders", "share");
        // The cookie's session token works too (a same-origin GET).
        assertThat(http.send("GET", "/whoami", null, cookie(a.cookie())).status()).isEqualTo(200);
        assertThat(http.send("GET", "/whoami?icon_size=17", null, bearer(a.token())).text())
                .isEqualTo("{\"error\":\"Invalid icon_size\"}");
    }

    @Test
    void logoutNeedsTheAntiCsrfTokenAndEndsTheSessionsTokensAtOnce() throws IOException {
        Account a = signup();
        HttpClient.Reply without = http.send("POST", "/logout", "{}", own(), bearer(a.token()));
        assertThat(without.status()).isEqualTo(400);
        assertThat(without.text()).isEqualTo("{\"message\":\"incorrect anti-CSRF token\"}");
        HttpClient.Reply anti = http.send("GET", "/get-anticsrf-token", null, bearer(a.token()));
        assertThat(anti.json().get("token").asString()).matches("[0-9a-f]{64}");
        HttpClient.Reply out = http.send("POST", "/logout", json(Map.of("anti_csrf", anti.json().get("token").asString())),
                own(), bearer(a.token()));
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.text()).isEqualTo("logged out");
        assertThat(out.all("set-cookie")).containsExactly(COOKIE + "=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        HttpClient.Reply gone = http.send("GET", "/whoami", null, bearer(a.token()));
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.text()).isEqualTo("{\"message\":\"Authentication failed.\",\"code\":\"token_auth_failed\"}");
        assertThat(http.send("GET", "/whoami", null, cookie(a.cookie())).status()).isEqualTo(401);
        // The anti-CSRF token was used up.
        assertThat(http.send("POST", "/logout", json(Map.of("anti_csrf", anti.json().get("token").asString())), own(),
                bearer(signup().token())).status()).isEqualTo(400);
    }

    @Test
    void guiTokenAndCookieSync() throws IOException {
        Account a = signup();
        HttpClient.Reply gui = http.send("GET", "/get-gui-token", null, cookie(a.cookie()));
        assertThat(gui.status()).isEqualTo(200);
        assertThat(claims(gui.json().get("token").asString())).containsEntry("type", "gui")
                .containsEntry("uuid", claims(a.cookie()).get("uuid"));
        assertThat(http.send("GET", "/get-gui-token", null).status()).isEqualTo(401);
        HttpClient.Reply sync = http.send("GET", "/session/sync-cookie", null, bearer(a.token()));
        assertThat(sync.status()).isEqualTo(204);
        assertThat(claims(sync.cookie(COOKIE).orElseThrow())).containsEntry("type", "session")
                .containsEntry("uuid", claims(a.token()).get("uuid"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tokens that must not authenticate

    @Test
    void missingAndBadTokensAreRefused() throws IOException {
        assertThat(http.send("GET", "/whoami", null).text())
                .isEqualTo("{\"message\":\"Missing authentication token.\",\"code\":\"token_missing\"}");
        for (String absent : List.of("null", "undefined")) {
            assertThat(http.send("GET", "/whoami", null, bearer(absent)).json().get("code").asString())
                    .isEqualTo("token_missing");
        }
        assertThat(http.send("GET", "/whoami", null, bearer("not-a-real-token")).text())
                .isEqualTo("{\"message\":\"Authentication failed.\",\"code\":\"token_auth_failed\"}");
        assertThat(http.send("GET", "/whoami", null, "Authorization: Basic dXNlcjpwYXNz").json().get("code")
                .asString()).isEqualTo("token_missing");
    }

    @Test
    void forgedExpiredWrongTypeAndUnsignedTokensAreRefused() throws Exception {
        Account a = signup();
        Map<String, Object> gui = claims(a.token());
        // Forged: the right claims, another secret.
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        gui.forEach((k, v) -> set.claim(k, v));
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), set.build());
        forged.sign(new MACSigner("another-secret-another-secret-another-secret-!!".getBytes()));
        // alg=none: the same claims, no signature.
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        String unsigned = header + "." + a.token().split("\\.")[1] + ".";
        // Expired: an access token whose exp has passed.
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        String expired = get(Tokens.class).issueAccessToken("00000000-0000-4000-8000-000000000001", user.uuid(),
                Optional.empty(), Optional.of(Instant.now().minus(Duration.ofHours(1))));
        // Wrong type: a purpose token (the OTP step's) presented as an auth token.
        String purpose = get(Tokens.class).issuePurpose(AccountRoutes.OTP_PURPOSE, Map.of("user_uid", user.uuid()),
                Duration.ofMinutes(5));
        for (String token : List.of(forged.serialize(), unsigned, expired, purpose)) {
            HttpClient.Reply r = http.send("POST", "/auth/check-permissions", json(Map.of("permissions", List.of("x"))),
                    own(), bearer(token));
            assertThat(r.status()).as(token).isEqualTo(401);
            assertThat(r.json().get("code").asString()).isEqualTo("token_auth_failed");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // CSRF

    @Test
    void aCookieAuthenticatedCrossOriginPostIsRefusedWhileABearerOneIsAccepted() throws IOException {
        Account a = signup();
        String body = json(Map.of("permissions", List.of("fs:x:read")));
        HttpClient.Reply crossCookie = http.send("POST", "/auth/check-permissions", body,
                "Origin: https://evil.example", cookie(a.cookie()));
        assertThat(crossCookie.status()).isEqualTo(403);
        assertThat(crossCookie.json().get("code").asString()).isEqualTo("forbidden");
        HttpClient.Reply noOriginCookie = http.send("POST", "/auth/check-permissions", body, cookie(a.cookie()));
        assertThat(noOriginCookie.status()).isEqualTo(403);
        assertThat(http.send("POST", "/auth/check-permissions", body, own(), cookie(a.cookie())).status()).isEqualTo(200);
        assertThat(http.send("POST", "/auth/check-permissions", body, "Origin: https://evil.example",
                bearer(a.token())).status()).isEqualTo(200);
        // A foreign page may log in through the API, but it does not plant its session in the browser.
        HttpClient.Reply foreignLogin = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                a.password())), "Origin: https://evil.example", "X-Forwarded-For: " + address());
        assertThat(foreignLogin.status()).isEqualTo(200);
        assertThat(foreignLogin.cookie(COOKIE)).isEmpty();
        assertThat(http.send("GET", "/session/sync-cookie", null, "Origin: https://evil.example", bearer(a.token()))
                .cookie(COOKIE)).isEmpty();
        // A cross-origin page cannot read a GUI token out of the cookie either.
        assertThat(http.send("GET", "/get-gui-token", null, "Origin: https://evil.example", cookie(a.cookie())).status())
                .isEqualTo(401);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sessions

    @Test
    void sessionsAreListedAndOnlyTheOwnerRevokesThem() throws IOException {
        Account a = signup();
        Account b = signup();
        HttpClient.Reply second = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                a.password())), own(), "X-Forwarded-For: " + address());
        String secondToken = second.json().get("token").asString();
        HttpClient.Reply list = http.send("GET", "/auth/list-sessions", null, bearer(a.token()));
        assertThat(list.json()).hasSize(2);
        String current = claims(a.token()).get("uuid").toString();
        String other = claims(secondToken).get("uuid").toString();
        for (JsonNode s : list.json()) {
            assertThat(s.has("current")).isEqualTo(s.get("uuid").asString().equals(current));
            assertThat(s.get("meta").has("created")).isTrue();
        }
        // b cannot revoke a's session: {} and nothing happens.
        String antiB = http.send("GET", "/get-anticsrf-token", null, bearer(b.token())).json().get("token").asString();
        HttpClient.Reply foreign = http.send("POST", "/auth/revoke-session", json(Map.of("uuid", other, "anti_csrf", antiB)),
                own(), bearer(b.token()));
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.text()).isEqualTo("{}");
        assertThat(http.send("GET", "/whoami", null, bearer(secondToken)).status()).isEqualTo(200);
        // a revokes its own other session.
        String antiA = http.send("GET", "/get-anticsrf-token", null, bearer(a.token())).json().get("token").asString();
        assertThat(http.send("POST", "/auth/revoke-session", json(Map.of("uuid", other, "anti_csrf", antiA)), own(),
                bearer(a.token())).status()).isEqualTo(200);
        assertThat(http.send("GET", "/whoami", null, bearer(secondToken)).status()).isEqualTo(401);
        assertThat(http.send("POST", "/auth/revoke-session", json(Map.of("uuid", other)), own(), bearer(a.token())).text())
                .isEqualTo("{\"message\":\"incorrect anti-CSRF token\"}");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // App tokens and access tokens

    @Test
    void appTokensByOriginAndTheirLimits() throws IOException {
        Account a = signup();
        HttpClient.Reply r = http.send("POST", "/auth/get-user-app-token", json(Map.of("origin",
                "https://myapp.example.com")), own(), bearer(a.token()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fields(r.json())).containsExactly("token", "app_uid");
        assertThat(r.json().get("app_uid").asString()).isEqualTo("app-bd42d7be-02e1-5de1-9603-95506983a4ac");
        String app = r.json().get("token").asString();
        assertThat(claims(app)).containsEntry("type", "app-under-user").containsKey("session");
        HttpClient.Reply missing = http.send("POST", "/auth/get-user-app-token", "{}", own(), bearer(a.token()));
        assertThat(missing.text()).isEqualTo("{\"message\":\"Field `app_uid or origin` is required.\","
                + "\"key\":\"app_uid or origin\",\"code\":\"field_missing\"}");
        HttpClient.Reply unknown = http.send("POST", "/auth/get-user-app-token", json(Map.of("app_uid", "app-nope")),
                own(), bearer(a.token()));
        assertThat(unknown.status()).isEqualTo(422);
        // whoami as the app: no email, no desktop, the app's name.
        HttpClient.Reply who = http.send("GET", "/whoami", null, bearer(app));
        assertThat(fields(who.json())).containsExactly("username", "uuid", "email_confirmed",
                "requires_email_confirmation", "is_temp", "oidc_only", "referral_code", "otp", "hasDevAccountAccess",
                "feature_flags", "app_name", "last_activity_ts");
        assertThat(who.json().get("app_name").asString()).isEqualTo("app-bd42d7be-02e1-5de1-9603-95506983a4ac");
        // Beyond its app: user-only endpoints refuse it; it holds neither the user's email nor their files.
        for (String path : List.of("/auth/list-sessions", "/get-anticsrf-token")) {
            HttpClient.Reply refused = http.send("GET", path, null, bearer(app));
            assertThat(refused.status()).as(path).isEqualTo(403);
        }
        HttpClient.Reply grant = http.send("POST", "/auth/grant-user-app", json(Map.of("app_uid", "app-other",
                "permission", "fs:x:read")), own(), bearer(app));
        assertThat(grant.status()).isEqualTo(403);
        assertThat(grant.json().get("code").asString()).isEqualTo("forbidden");
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        HttpClient.Reply check = http.send("POST", "/auth/check-permissions", json(Map.of("permissions",
                List.of("user:" + user.uuid() + ":email:read"))), own(), bearer(app));
        assertThat(check.json().get("permissions").get("user:" + user.uuid() + ":email:read").asBoolean()).isFalse();
        HttpClient.Reply uid = http.send("GET", "/auth/app-uid-from-origin?origin=https://myapp.example.com", null,
                bearer(a.token()));
        assertThat(uid.text()).isEqualTo("{\"uid\":\"app-bd42d7be-02e1-5de1-9603-95506983a4ac\"}");
    }

    @Test
    void checkAppSaysWhetherTheAppWasAuthenticated() throws IOException {
        Account a = signup();
        above.addApp("app-" + unique("check"), Optional.empty());
        String appUid = above.apps.keySet().stream().filter(k -> k.startsWith("app-check")).findFirst().orElseThrow();
        HttpClient.Reply before = http.send("POST", "/auth/check-app", json(Map.of("app_uid", appUid)), own(),
                bearer(a.token()));
        assertThat(before.text()).isEqualTo("{\"app_uid\":\"" + appUid + "\",\"authenticated\":false}");
        http.send("POST", "/auth/get-user-app-token", json(Map.of("app_uid", appUid)), own(), bearer(a.token()));
        HttpClient.Reply after = http.send("POST", "/auth/check-app", json(Map.of("app_uid", appUid)), own(),
                bearer(a.token()));
        assertThat(fields(after.json())).containsExactly("token", "app_uid", "authenticated");
        assertThat(after.json().get("authenticated").asBoolean()).isTrue();
    }

    @Test
    void accessTokensAreCreatedUsedAndRevokedOnlyByTheirOwner() throws IOException {
        Account a = signup();
        Account b = signup();
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        String email = "user:" + user.uuid() + ":email:read";
        HttpClient.Reply created = http.send("POST", "/auth/create-access-token", json(Map.of("permissions",
                List.of(email), "expiresIn", "1h")), own(), bearer(a.token()));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(fields(created.json())).containsExactly("token");
        String token = created.json().get("token").asString();
        assertThat(claims(token)).containsEntry("type", "access-token").containsKey("exp");
        HttpClient.Reply check = http.send("POST", "/auth/check-permissions", json(Map.of("permissions",
                List.of(email, "user:" + user.uuid() + ":nothing"))), own(), bearer(token));
        assertThat(check.text()).isEqualTo("{\"permissions\":{\"" + email + "\":true,\"user:" + user.uuid()
                + ":nothing\":false}}");
        // An access token does not make access tokens.
        assertThat(http.send("POST", "/auth/create-access-token", json(Map.of("permissions", List.of(email))), own(),
                bearer(token)).status()).isEqualTo(403);
        assertThat(http.send("POST", "/auth/create-access-token", "{}", own(), bearer(a.token())).json().get("code")
                .asString()).isEqualTo("field_missing");
        // Another user cannot revoke it.
        HttpClient.Reply foreign = http.send("POST", "/auth/revoke-access-token", json(Map.of("tokenOrUuid", token)),
                own(), bearer(b.token()));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(http.send("POST", "/auth/revoke-access-token", json(Map.of("tokenOrUuid", token)), own(),
                bearer(a.token())).text()).isEqualTo("{\"ok\":true}");
        assertThat(http.send("POST", "/auth/check-permissions", json(Map.of("permissions", List.of(email))), own(),
                bearer(token)).json().get("permissions").get(email).asBoolean()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Permissions and groups

    @Test
    void checkPermissionsAnswersBooleans() throws IOException {
        Account a = signup();
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        HttpClient.Reply r = http.send("POST", "/auth/check-permissions", json(Map.of("permissions",
                List.of("user:" + user.uuid() + ":email:read", "fs:/bob/Desktop:write", "nonsense"))), own(),
                bearer(a.token()));
        assertThat(r.status()).isEqualTo(200);
        JsonNode p = r.json().get("permissions");
        assertThat(p.get("user:" + user.uuid() + ":email:read").isBoolean()).isTrue();
        assertThat(p.get("fs:/bob/Desktop:write").asBoolean()).isFalse();
        assertThat(p.get("nonsense").isBoolean()).isTrue();
        assertThat(http.send("POST", "/auth/check-permissions", json(Map.of("permissions", "x")), own(),
                bearer(a.token())).status()).isEqualTo(400);
    }

    @Test
    void grantsToUsersAppsAndGroups() throws IOException {
        Account a = signup();
        Account b = signup();
        User ua = get(Users.class).byUsername(a.username()).orElseThrow();
        String perm = "user:" + ua.uuid() + ":email:read";
        HttpClient.Reply missing = http.send("POST", "/auth/grant-user-user", "{}", own(), bearer(a.token()));
        assertThat(missing.json().get("code").asString()).isEqualTo("fields_missing");
        HttpClient.Reply nobody = http.send("POST", "/auth/grant-user-user", json(Map.of("target_username",
                unique("nobody"), "permission", perm)), own(), bearer(a.token()));
        assertThat(nobody.status()).isEqualTo(422);
        HttpClient.Reply self = http.send("POST", "/auth/grant-user-user", json(Map.of("target_username", a.username(),
                "permission", perm)), own(), bearer(a.token()));
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.json().get("key").asString()).isEqualTo("target_username");
        // b may not hand out a's email.
        HttpClient.Reply notManaged = http.send("POST", "/auth/grant-user-user", json(Map.of("target_username",
                a.username(), "permission", perm)), own(), bearer(b.token()));
        assertThat(notManaged.status()).isEqualTo(403);
        assertThat(notManaged.json().get("code").asString()).isEqualTo("permission_denied");
        // Grants to an app by origin, listed, then revoked.
        assertThat(http.send("POST", "/auth/grant-user-app", json(Map.of("origin", "https://myapp.example.com",
                "permission", perm)), own(), bearer(a.token())).status()).isIn(200, 422);
        HttpClient.Reply list = http.send("GET", "/auth/list-permissions", null, bearer(a.token()));
        assertThat(fields(list.json())).containsExactly("myself_to_app", "myself_to_user", "user_to_myself");
        // Groups.
        HttpClient.Reply group = http.send("POST", "/group/create", json(Map.of("metadata", Map.of("title", "friends"))),
                own(), bearer(a.token()));
        String uid = group.json().get("uid").asString();
        assertThat(http.send("POST", "/group/add-users", json(Map.of("uid", uid, "users", List.of(b.username()))), own(),
                bearer(a.token())).text()).isEqualTo("{}");
        assertThat(http.send("POST", "/group/add-users", json(Map.of("uid", uid, "users", List.of(a.username()))), own(),
                bearer(b.token())).status()).isEqualTo(403);
        assertThat(http.send("POST", "/group/add-users", json(Map.of("uid", uid, "users", "x")), own(),
                bearer(a.token())).json().get("code").asString()).isEqualTo("field_invalid");
        HttpClient.Reply groups = http.send("GET", "/group/list", null, bearer(b.token()));
        assertThat(groups.json().get("in_groups").findValuesAsString("uid")).contains(uid);
        assertThat(http.send("POST", "/group/remove-users", json(Map.of("uid", uid, "users", List.of(b.username()))),
                own(), bearer(a.token())).status()).isEqualTo(200);
        assertThat(http.send("GET", "/group/list", null, bearer(b.token())).json().get("in_groups")
                .findValuesAsString("uid")).doesNotContain(uid);
        assertThat(http.send("GET", "/group/public-groups", null, bearer(a.token())).text())
                .isEqualTo("{\"user\":\"78b1b1dd-c959-44d2-b02c-8735671f9997\",\"temp\":\"b7220104-7905-4985-b996-649fdcdb3c8f\"}");
        assertThat(http.send("POST", "/auth/grant-user-group", json(Map.of("group_uid", unique("nogroup"),
                "permission", perm)), own(), bearer(a.token())).status()).isEqualTo(422);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Passwords, recovery, 2FA, account deletion

    @Test
    void userProtectedNeedsTheSessionCookieAndThePassword() throws IOException {
        Account a = signup();
        HttpClient.Reply second = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                a.password())), own(), "X-Forwarded-For: " + address());
        String otherToken = second.json().get("token").asString();
        String newPass = "N3w-Passw0rd!";
        HttpClient.Reply gui = http.send("POST", "/user-protected/change-password", json(Map.of("password", a.password(),
                "new_pass", newPass)), own(), bearer(a.token()));
        assertThat(gui.status()).isEqualTo(403);
        assertThat(gui.json().get("code").asString()).isEqualTo("session_required");
        HttpClient.Reply noPassword = http.send("POST", "/user-protected/change-password", json(Map.of("new_pass",
                newPass)), own(), cookie(a.cookie()));
        assertThat(noPassword.json().get("code").asString()).isEqualTo("password_required");
        HttpClient.Reply wrong = http.send("POST", "/user-protected/change-password", json(Map.of("password", "nope-nope",
                "new_pass", newPass)), own(), cookie(a.cookie()));
        assertThat(wrong.json().get("code").asString()).isEqualTo("password_mismatch");
        HttpClient.Reply weak = http.send("POST", "/user-protected/change-password", json(Map.of("password",
                a.password(), "new_pass", "weak")), own(), cookie(a.cookie()));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.text()).isEqualTo("Password does not meet requirements.");
        HttpClient.Reply ok = http.send("POST", "/user-protected/change-password", json(Map.of("password",
                a.password(), "new_pass", newPass)), own(), cookie(a.cookie()));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.text()).isEqualTo("Password successfully updated.");
        // The other session is gone, the current one stays.
        assertThat(http.send("GET", "/whoami", null, bearer(otherToken)).status()).isEqualTo(401);
        assertThat(http.send("GET", "/whoami", null, bearer(a.token())).status()).isEqualTo(200);
        assertThat(http.send("POST", "/login", json(Map.of("username", a.username(), "password", newPass)), own(),
                "X-Forwarded-For: " + address()).status()).isEqualTo(200);
    }

    @Test
    void changeUsernameAndDeleteOwnUser() throws IOException {
        Account a = signup();
        String renamed = unique("r");
        HttpClient.Reply r = http.send("POST", "/user-protected/change-username", json(Map.of("password", a.password(),
                "new_username", renamed)), own(), cookie(a.cookie()));
        assertThat(r.text()).isEqualTo("{}");
        assertThat(get(Users.class).byUsername(renamed)).isPresent();
        HttpClient.Reply reserved = http.send("POST", "/user-protected/change-username", json(Map.of("password",
                a.password(), "new_username", "admin")), own(), cookie(a.cookie()));
        assertThat(reserved.json().get("code").asString()).isEqualTo("field_invalid");
        HttpClient.Reply deleted = http.send("POST", "/user-protected/delete-own-user", json(Map.of("password",
                a.password())), own(), cookie(a.cookie()));
        assertThat(deleted.text()).isEqualTo("{\"success\":true}");
        assertThat(get(Users.class).byUsername(renamed)).isEmpty();
        assertThat(http.send("GET", "/whoami", null, bearer(a.token())).status()).isEqualTo(401);
    }

    @Test
    void passwordRecoveryByEmailLink() throws IOException {
        Account a = signup();
        String client = address();
        HttpClient.Reply sent = http.send("POST", "/send-pass-recovery-email", json(Map.of("username", a.username())),
                own(), "X-Forwarded-For: " + client);
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.json().get("message").asString()).contains("<strong>" + a.username() + "</strong>");
        EmailMessage mail = recorder.emails.stream()
                .filter(e -> e.template().equals("email_password_recovery") && e.to().startsWith(a.username() + "@"))
                .reduce((x, y) -> y).orElseThrow();
        String token = mail.values().get("link").toString().replaceFirst(".*token=", "");
        HttpClient.Reply verify = http.send("POST", "/verify-pass-recovery-token", json(Map.of("token", token)), own(),
                "X-Forwarded-For: " + client);
        assertThat(verify.json().get("time_remaining").asLong()).isBetween(3000L, 3600L);
        assertThat(http.send("POST", "/verify-pass-recovery-token", json(Map.of("token", "bad")), own(),
                "X-Forwarded-For: " + client).text()).isEqualTo("This password recovery token is no longer valid.");
        HttpClient.Reply set = http.send("POST", "/set-pass-using-token", json(Map.of("token", token, "password",
                "recovered-1")), own(), "X-Forwarded-For: " + client);
        assertThat(set.text()).isEqualTo("Password successfully updated.");
        // Single use, and every session ended.
        assertThat(http.send("POST", "/set-pass-using-token", json(Map.of("token", token, "password", "again-again")),
                own(), "X-Forwarded-For: " + client).status()).isEqualTo(400);
        assertThat(http.send("GET", "/whoami", null, bearer(a.token())).status()).isEqualTo(401);
        assertThat(http.send("POST", "/login", json(Map.of("username", a.username(), "password", "recovered-1")), own(),
                "X-Forwarded-For: " + client).status()).isEqualTo(200);
        assertThat(http.send("POST", "/send-pass-recovery-email", json(Map.of("username", unique("nobody"))), own(),
                "X-Forwarded-For: " + client).text()).isEqualTo("Username not found.");
    }

    @Test
    void twoFactorSetUpEnableAndLogin() throws IOException {
        Account a = signup();
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        HttpClient.Reply setup = http.send("POST", "/auth/configure-2fa/setup", "{}", own(), bearer(a.token()));
        assertThat(fields(setup.json())).containsExactly("url", "secret", "codes");
        String secret = setup.json().get("secret").asString();
        String recovery = setup.json().get("codes").get(0).asString();
        assertThat(http.send("POST", "/auth/configure-2fa/test", json(Map.of("code", Totp.codeAt(secret, Instant.now()))),
                own(), bearer(a.token())).json().get("ok").asBoolean()).isTrue();
        HttpClient.Reply unconfirmed = http.send("POST", "/auth/configure-2fa/enable", "{}", own(), bearer(a.token()));
        assertThat(unconfirmed.json().get("code").asString()).isEqualTo("email_must_be_confirmed");
        get(Users.class).confirmEmail(user.id(), user.email().orElseThrow());
        assertThat(http.send("POST", "/auth/configure-2fa/enable", "{}", own(), bearer(a.token())).text())
                .isEqualTo("{}");
        assertThat(http.send("POST", "/auth/configure-2fa/bogus", "{}", own(), bearer(a.token())).json().get("code")
                .asString()).isEqualTo("invalid_action");
        HttpClient.Reply step = http.send("POST", "/login", json(Map.of("username", a.username(), "password",
                a.password())), own(), "X-Forwarded-For: " + address());
        assertThat(step.status()).isEqualTo(202);
        assertThat(fields(step.json())).containsExactly("proceed", "next_step", "otp_jwt_token");
        assertThat(step.cookie(COOKIE)).isEmpty();
        String otp = step.json().get("otp_jwt_token").asString();
        assertThat(http.send("POST", "/login/otp", json(Map.of("token", otp, "code", "000000")), own()).text())
                .isIn("{\"proceed\":false}", "{\"proceed\":true}");
        HttpClient.Reply done = http.send("POST", "/login/otp", json(Map.of("token", otp, "code",
                Totp.codeAt(secret, Instant.now()))), own());
        assertThat(done.json().get("next_step").asString()).isEqualTo("complete");
        assertThat(done.cookie(COOKIE)).isPresent();
        assertThat(http.send("POST", "/login/otp", json(Map.of("token", "junk", "code", "1")), own()).text())
                .isEqualTo("Invalid token.");
        assertThat(http.send("POST", "/login/recovery-code", json(Map.of("token", otp, "code", recovery)), own())
                .json().get("proceed").asBoolean()).isTrue();
        assertThat(http.send("POST", "/login/recovery-code", json(Map.of("token", otp, "code", recovery)), own()).text())
                .isEqualTo("{\"proceed\":false}");
    }

    @Test
    void passwdChangesThePasswordAndKeepsOnlyTheCurrentSession() throws IOException {
        Account a = signup();
        assertThat(http.send("POST", "/passwd", json(Map.of("old_pass", "wrong-one", "new_pass", "newpass1")), own(),
                bearer(a.token())).text()).isEqualTo("old_pass does not match your current password.");
        HttpClient.Reply ok = http.send("POST", "/passwd", json(Map.of("old_pass", a.password(), "new_pass",
                "newpass1")), own(), bearer(a.token()));
        assertThat(ok.text()).isEqualTo("Password successfully updated.");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Guests saving their account, email confirmation and change, QR login

    @Test
    void aGuestSavesItsAccount() throws IOException {
        HttpClient.Reply guest = http.send("POST", "/signup", json(Map.of("is_temp", true)), own(),
                "X-Forwarded-For: " + address());
        String token = guest.json().get("token").asString();
        String name = unique("saved");
        HttpClient.Reply saved = http.send("POST", "/save_account", json(Map.of("username", name, "email",
                name + "@example.com", "password", "password1")), own(), bearer(token));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().get("user").get("username").asString()).isEqualTo(name);
        assertThat(saved.json().get("user").get("is_temp").asBoolean()).isFalse();
        assertThat(saved.cookie(COOKIE)).isPresent();
        assertThat(http.send("POST", "/login", json(Map.of("username", name, "password", "password1")), own(),
                "X-Forwarded-For: " + address()).status()).isEqualTo(200);
        HttpClient.Reply again = http.send("POST", "/save_account", json(Map.of("username", name, "email",
                name + "@example.com", "password", "password1")), own(), bearer(saved.json().get("token").asString()));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.text()).isEqualTo("User account already saved.");
    }

    @Test
    void emailConfirmationByCodeAndByLink() throws IOException {
        Account a = signup();
        assertThat(http.send("POST", "/confirm-email", json(Map.of("code", "000000")), own(), bearer(a.token())).text())
                .isIn("{\"email_confirmed\":false}");
        assertThat(http.send("POST", "/send-confirm-email", "{}", own(), bearer(a.token())).status()).isEqualTo(200);
        String code = recorder.emails.stream().filter(e -> e.to().startsWith(a.username() + "@")
                && e.template().equals("email_verification_code")).reduce((x, y) -> y).orElseThrow()
                .values().get("code").toString().replace("-", "");
        HttpClient.Reply confirmed = http.send("POST", "/confirm-email", json(Map.of("code", code)), own(),
                bearer(a.token()));
        assertThat(confirmed.json().get("email_confirmed").asBoolean()).isTrue();
        assertThat(http.send("GET", "/whoami", null, bearer(a.token())).json().get("email_confirmed").asBoolean())
                .isTrue();
        // A confirmed address changes through a link sent to the new address.
        String newEmail = unique("new") + "@example.com";
        HttpClient.Reply change = http.send("POST", "/user-protected/change-email", json(Map.of("password", a.password(),
                "new_email", newEmail)), own(), cookie(a.cookie()));
        assertThat(change.text()).isEqualTo("{\"success\":true}");
        String link = recorder.emails.stream().filter(e -> e.to().equals(newEmail)).findFirst().orElseThrow()
                .values().get("confirm_url").toString();
        HttpClient.Reply done = http.send("GET", link.substring(link.indexOf("/change_email")), null);
        assertThat(done.text()).contains("Your email has been successfully confirmed.");
        assertThat(get(Users.class).byUsername(a.username()).orElseThrow().email()).contains(newEmail);
        assertThat(http.send("GET", "/change_email/confirm?token=junk", null).json().get("code").asString())
                .isEqualTo("token_invalid");
    }

    @Test
    void anUnconfirmedEmailIsReplacedAndConfirmedByTheLinksToken() throws IOException {
        Account a = signup();
        String newEmail = unique("fresh") + "@example.com";
        assertThat(http.send("POST", "/user-protected/change-email", json(Map.of("password", a.password(),
                "new_email", newEmail)), own(), cookie(a.cookie())).status()).isEqualTo(200);
        String link = recorder.emails.stream().filter(e -> e.to().equals(newEmail)).findFirst().orElseThrow()
                .values().get("link").toString();
        String path = link.substring(link.indexOf("/confirm-email-by-token"));
        assertThat(http.send("GET", path, null).text()).isEqualTo("Your email has been successfully confirmed.");
        assertThat(http.send("GET", path, null).text()).isEqualTo("Email already confirmed.");
        assertThat(http.send("GET", "/confirm-email-by-token?user_uuid=x", null).text()).isEqualTo("token is required");
    }

    @Test
    void whoAreWeAndQrLogin() throws IOException {
        HttpClient.Reply we = http.send("GET", "/whoarewe", null);
        assertThat(fields(we.json())).containsExactly("disable_user_signup", "disable_temp_users", "environmentInfo",
                "captchaRequired");
        Account a = signup();
        HttpClient.Reply qr = http.send("GET", "/whoarewe?auth_token=" + a.token(), null);
        assertThat(claims(qr.cookie(COOKIE).orElseThrow())).containsEntry("type", "session")
                .containsEntry("uuid", claims(a.token()).get("uuid"));
        // A browser already signed in keeps its session.
        Account b = signup();
        assertThat(http.send("GET", "/whoarewe?auth_token=" + a.token(), null, cookie(b.cookie())).cookie(COOKIE))
                .isEmpty();
    }

    @Test
    void whoamiUpgradesALegacyTokenToANewSession() throws Exception {
        Account a = signup();
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        SignedJWT legacy = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().claim("uuid", user.uuid()).build());
        legacy.sign(new MACSigner(TestSecrets.JWT_SECRET.getBytes()));
        HttpClient.Reply r = http.send("GET", "/whoami", null, bearer(legacy.serialize()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String upgraded = r.json().get("token").asString();
        assertThat(claims(upgraded)).containsEntry("type", "gui");
        assertThat(r.cookie(COOKIE)).isPresent();
        assertThat(http.send("GET", "/whoami", null, bearer(upgraded)).status()).isEqualTo(200);
        // Only /whoami accepts it.
        assertThat(http.send("GET", "/auth/list-sessions", null, bearer(legacy.serialize())).status()).isEqualTo(401);
    }

    @Test
    void grantsToAnAppAreListedAndRevoked() throws IOException {
        Account a = signup();
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        String appUid = "app-" + unique("granted");
        above.addApp(appUid, Optional.empty());
        String perm = "user:" + user.uuid() + ":email:read";
        assertThat(http.send("POST", "/auth/grant-user-app", json(Map.of("app_uid", appUid, "permission", perm)), own(),
                bearer(a.token())).text()).isEqualTo("{}");
        HttpClient.Reply app = http.send("POST", "/auth/get-user-app-token", json(Map.of("app_uid", appUid)), own(),
                bearer(a.token()));
        String appToken = app.json().get("token").asString();
        assertThat(http.send("GET", "/whoami", null, bearer(appToken)).json().has("email")).isTrue();
        HttpClient.Reply list = http.send("GET", "/auth/list-permissions", null, bearer(a.token()));
        assertThat(list.json().get("myself_to_app").findValuesAsString("permission")).contains(perm);
        assertThat(list.json().get("myself_to_app").get(0).get("extra").isString()).isTrue();
        assertThat(http.send("POST", "/auth/revoke-user-app", json(Map.of("app_uid", appUid, "permission", perm)), own(),
                bearer(a.token())).text()).isEqualTo("{}");
        assertThat(http.send("GET", "/whoami", null, bearer(appToken)).json().has("email")).isFalse();
        assertThat(http.send("POST", "/auth/grant-user-app", json(Map.of("permission", perm)), own(),
                bearer(a.token())).json().get("key").asString()).isEqualTo("app_uid");
    }

    @Test
    void tokensAreTakenInTheDocumentedOrder() throws IOException {
        Account a = signup();
        String check = json(Map.of("permissions", List.of("x"), "auth_token", a.token()));
        // The body's token comes first: a bad Bearer beside it does not matter.
        assertThat(http.send("POST", "/auth/check-permissions", check, own(), bearer("not-a-real-token")).status())
                .isEqualTo(200);
        // puter.js's text/plain;actually=json bodies count as JSON.
        assertThat(http.send("POST", "/auth/check-permissions", check, own(), "Content-Type: text/plain;actually=json")
                .status()).isEqualTo(200);
        // A null body token, a bare "Bearer" and "Bearer undefined" are absent: the next source is used.
        String nullBody = "{\"permissions\":[\"x\"],\"auth_token\":null}";
        assertThat(http.send("POST", "/auth/check-permissions", nullBody, own(), bearer(a.token())).status())
                .isEqualTo(200);
        assertThat(http.send("GET", "/whoami", null, "Authorization: Bearer", "x-api-key: " + a.token()).status())
                .isEqualTo(200);
        assertThat(http.send("GET", "/whoami", null, "Authorization: Bearer undefined", cookie(a.cookie())).status())
                .isEqualTo(200);
        // A non-string body token fails.
        assertThat(http.send("POST", "/auth/check-permissions", "{\"permissions\":[],\"auth_token\":5}", own(),
                bearer(a.token())).json().get("code").asString()).isEqualTo("token_auth_failed");
        // ?auth_token on GET only.
        assertThat(http.send("GET", "/whoami?auth_token=" + a.token(), null).status()).isEqualTo(200);
        assertThat(http.send("POST", "/auth/check-permissions?auth_token=" + a.token(), json(Map.of("permissions",
                List.of("x"))), own()).json().get("code").asString()).isEqualTo("token_missing");
        // A stale token does not stand in the way of routes that need none.
        assertThat(http.send("POST", "/login", json(Map.of("username", a.username(), "password", a.password())), own(),
                bearer("not-a-real-token"), "X-Forwarded-For: " + address()).status()).isEqualTo(200);
    }

    @Test
    void signupListenersMayRefuseOrRequireConfirmation() throws IOException {
        String name = unique("hook");
        HttpClient.Reply refused = http.send("POST", "/signup", json(Map.of("username", name, "email",
                name + "@example.com", "password", "password1", "p102xyzname", "")), own(),
                "X-Forwarded-For: " + REFUSED_ADDRESS);
        assertThat(refused.text()).isEqualTo("{\"message\":\"Not from there.\",\"code\":\"not_allowed_to_signup\"}");
        HttpClient.Reply confirming = http.send("POST", "/signup", json(Map.of("username", name, "email",
                name + "@example.com", "password", "password1", "p102xyzname", "")), own(),
                "X-Forwarded-For: " + CONFIRMING_ADDRESS);
        assertThat(confirming.json().get("user").get("requires_email_confirmation").asInt()).isEqualTo(1);
    }
}
