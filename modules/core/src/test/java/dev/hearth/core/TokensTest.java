package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.ServiceContext;

/** Issuing and verifying tokens, and every way a token must be refused. */
class TokensTest {

    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
    private static final Config CONFIG = TestSecrets.config(Path.of("/tmp/unused"));

    private static Tokens tokens(Config config, Instant now) {
        return new Tokens(new ServiceContext("tokens", "core", config, null, null), Clock.fixed(now, ZoneOffset.UTC));
    }

    private final Tokens tokens = tokens(CONFIG, NOW);

    @Test
    void aVerifiedTokenIsRememberedOnlyUntilItExpiresAndAForgeryNever() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(NOW);
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Tokens t = new Tokens(new ServiceContext("tokens", "core", CONFIG, null, null), moving);
        String jwt = t.issueAccessToken("t-1", "u-1", Optional.empty(), Optional.of(NOW.plusSeconds(60)));
        assertThat(t.verify(jwt)).isInstanceOf(TokenClaims.AccessToken.class);
        assertThat(t.verify(jwt)).isInstanceOf(TokenClaims.AccessToken.class);
        now.set(NOW.plusSeconds(60));
        authFails(() -> t.verify(jwt));

        // The same claims signed with another key: never accepted, however often it comes.
        String forged = signed(JWSAlgorithm.HS256, "x".repeat(40), payload(t.issueGui("s-1", "u-1")));
        authFails(() -> t.verify(forged));
        authFails(() -> t.verify(forged));
    }

    private static Map<String, Object> payload(String jwt) {
        String json = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return Json.mapper().readValue(json, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {});
    }

    private static Map<String, Object> header(String jwt) {
        String json = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        return Json.mapper().readValue(json, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {});
    }

    private static String signed(JWSAlgorithm alg, String secret, Map<String, Object> claims) throws Exception {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims.forEach(b::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), b.build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static void authFails(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("token_auth_failed");
            assertThat(e.getMessage()).isEqualTo("Authentication failed.");
        });
    }

    @Test
    void sessionAndGuiTokensCarryUpstreamsClaimsAndNoExpiry() {
        String session = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        String jwt = tokens.issueSession(session, user);

        assertThat(header(jwt)).containsEntry("alg", "HS256").containsEntry("typ", "JWT");
        assertThat(payload(jwt)).containsOnlyKeys("type", "version", "uuid", "user_uid", "iat")
                .containsEntry("type", "session").containsEntry("version", "0.0.0").containsEntry("uuid", session)
                .containsEntry("user_uid", user).containsEntry("iat", (int) NOW.getEpochSecond());
        assertThat(tokens.verify(jwt)).isEqualTo(new TokenClaims.Session(TokenType.SESSION, session, user));
        assertThat(tokens.verify(tokens.issueGui(session, user))).isEqualTo(new TokenClaims.Session(TokenType.GUI, session, user));
        // No exp: still valid in ten years.
        assertThat(tokens(CONFIG, NOW.plus(Duration.ofDays(3650))).verify(jwt)).isInstanceOf(TokenClaims.Session.class);
    }

    @Test
    void appTokensHideTheSessionWithAKeyThatSurvivesARestart() {
        String session = UUID.randomUUID().toString();
        String jwt = tokens.issueAppUnderUser("u-1", "app-1", Optional.of(session));

        Map<String, Object> claims = payload(jwt);
        assertThat(claims).containsOnlyKeys("type", "version", "user_uid", "app_uid", "session", "iat")
                .containsEntry("type", "app-under-user");
        assertThat((String) claims.get("session")).matches("[0-9a-f-]{36}").isNotEqualTo(session);
        Tokens restarted = tokens(CONFIG, NOW);
        assertThat(restarted.verify(jwt)).isEqualTo(new TokenClaims.AppUnderUser("u-1", "app-1", Optional.of(session)));
        // Another key reads another session: the token no longer names the login session.
        Tokens otherKey = tokens(CONFIG.with("services.auth.uuid_fpe_key", UUID.randomUUID().toString()), NOW);
        assertThat(otherKey.verify(jwt, TokenClaims.AppUnderUser.class).sessionUuid()).isNotEqualTo(Optional.of(session));
        assertThat(payload(tokens.issueAppUnderUser("u", "app-2", Optional.empty()))).doesNotContainKey("session");
    }

    @Test
    void accessTokensMayExpire() {
        String jwt = tokens.issueAccessToken("t-1", "u-1", Optional.of("app-1"), Optional.of(NOW.plusSeconds(3600)));
        assertThat(payload(jwt)).containsEntry("type", "access-token").containsEntry("token_uid", "t-1")
                .containsEntry("exp", (int) NOW.plusSeconds(3600).getEpochSecond());
        assertThat(tokens.verify(jwt)).isEqualTo(new TokenClaims.AccessToken("t-1", "u-1", Optional.of("app-1"),
                Optional.of(NOW.plusSeconds(3600))));
        authFails(() -> tokens(CONFIG, NOW.plusSeconds(3600)).verify(jwt));
        assertThat(payload(tokens.issueAccessToken("t-2", "u-1", Optional.empty(), Optional.empty()))).doesNotContainKey("exp");
    }

    @Test
    void aTokenOfAnotherKindIsRefusedWhereOneKindIsExpected() {
        String gui = tokens.issueGui("s", "u");
        authFails(() -> tokens.verify(gui, TokenClaims.AppUnderUser.class));
        authFails(() -> tokens.verify(gui, TokenClaims.AccessToken.class));
        String purpose = tokens.issuePurpose("otp", Map.of("user_uid", "u"), Duration.ofMinutes(5));
        authFails(() -> tokens.verify(purpose));
        assertThat(tokens.verifyPurpose(gui, "otp")).isEmpty();
        assertThat(tokens.verifyPurpose(purpose, "recovery")).isEmpty();
        assertThat(tokens.verifyPurpose(purpose, "otp")).get().satisfies(c -> assertThat(c).containsEntry("user_uid", "u"));
        assertThat(tokens(CONFIG, NOW.plusSeconds(300)).verifyPurpose(purpose, "otp")).isEmpty();
        assertThatThrownBy(() -> tokens.issuePurpose("x", Map.of("type", "session"), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        String hosted = tokens.issueHosted(TokenType.APP_PRIVATE_ASSET, "app-1", "u", Optional.empty(), Map.of(),
                Duration.ofHours(1));
        assertThat(tokens.verify(hosted)).isInstanceOf(TokenClaims.Hosted.class);
    }

    @Test
    void forgedUnsignedAndForeignAlgorithmTokensAreRefused() throws Exception {
        Map<String, Object> claims = Map.of("type", "gui", "version", "0.0.0", "uuid", "s", "user_uid", "u");
        String genuine = signed(JWSAlgorithm.HS256, TestSecrets.JWT_SECRET, claims);
        assertThat(tokens.verify(genuine)).isInstanceOf(TokenClaims.Session.class);

        authFails(() -> tokens.verify(unchecked(() -> signed(JWSAlgorithm.HS256, "another-secret-of-at-least-32-bytes!!", claims))));
        authFails(() -> tokens.verify(unchecked(() -> signed(JWSAlgorithm.HS512, TestSecrets.JWT_SECRET + TestSecrets.JWT_SECRET, claims))));
        authFails(() -> tokens.verify(unchecked(() -> signed(JWSAlgorithm.HS512, TestSecrets.JWT_SECRET, claims))));

        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        RSAPrivateKey key = (RSAPrivateKey) rsa.generateKeyPair().getPrivate();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims.forEach(b::claim);
        SignedJWT rs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), b.build());
        rs256.sign(new RSASSASigner(key));
        authFails(() -> tokens.verify(rs256.serialize()));

        String[] parts = genuine.split("\\.");
        String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8));
        authFails(() -> tokens.verify(noneHeader + "." + parts[1] + "."));
        authFails(() -> tokens.verify(noneHeader + "." + parts[1] + "." + parts[2]));
        authFails(() -> tokens.verify(parts[0] + "." + parts[1] + "."));
        authFails(() -> tokens.verify(parts[0] + "." + parts[1]));
        // The signature of another payload.
        String other = tokens.issueGui("s2", "u2");
        authFails(() -> tokens.verify(parts[0] + "." + other.split("\\.")[1] + "." + parts[2]));
        authFails(() -> tokens.verify("garbage"));
        authFails(() -> tokens.verify(""));
        // An unknown type, and a known one with missing claims.
        authFails(() -> tokens.verify(unchecked(() -> signed(JWSAlgorithm.HS256, TestSecrets.JWT_SECRET,
                Map.of("type", "superuser", "user_uid", "u")))));
        authFails(() -> tokens.verify(unchecked(() -> signed(JWSAlgorithm.HS256, TestSecrets.JWT_SECRET,
                Map.of("type", "session", "user_uid", "u")))));
    }

    @Test
    void legacyShortKeysAreExpanded() throws Exception {
        UUID session = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID app = UUID.randomUUID();
        String b64 = Base64.getEncoder().encodeToString(Uuids.bytes(session));
        String u64 = Base64.getEncoder().encodeToString(Uuids.bytes(user));
        String a64 = Base64.getEncoder().encodeToString(Uuids.bytes(app));

        assertThat(tokens.verify(signed(JWSAlgorithm.HS256, TestSecrets.JWT_SECRET, Map.of("t", "s", "v", "0.0.0",
                "u", b64, "uu", u64)))).isEqualTo(new TokenClaims.Session(TokenType.SESSION, session.toString(), user.toString()));
        assertThat(tokens.verify(signed(JWSAlgorithm.HS256, TestSecrets.JWT_SECRET, Map.of("t", "au", "uu", u64, "au", a64))))
                .isEqualTo(new TokenClaims.AppUnderUser(user.toString(), "app-" + app, Optional.empty()));
        // Values that already look like UUIDs stay as they are.
        assertThat(tokens.verify(signed(JWSAlgorithm.HS256, TestSecrets.JWT_SECRET, Map.of("t", "t", "token_uid", "tok",
                "uu", user.toString())))).isEqualTo(new TokenClaims.AccessToken("tok", user.toString(), Optional.empty(),
                Optional.empty()));
        assertThat(tokens.verify(signed(JWSAlgorithm.HS256, TestSecrets.JWT_SECRET, Map.of("u", u64))))
                .isEqualTo(new TokenClaims.Legacy(user.toString()));
    }

    @Test
    void aShortOrMissingSecretFailsTheConstruction() {
        assertThatThrownBy(() -> tokens(CONFIG.with("jwt_secret", "too-short"), NOW))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("jwt_secret"))
                .hasMessageNotContaining("too-short");
        assertThatThrownBy(() -> tokens(CONFIG.with("services.auth.uuid_fpe_key", "xyz"), NOW))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("services.auth.uuid_fpe_key"));
        // A UUID-shaped key (upstream's format) is accepted.
        assertThat(tokens(CONFIG.with("services.auth.uuid_fpe_key", UUID.randomUUID().toString()), NOW)).isNotNull();
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T unchecked(Call<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
