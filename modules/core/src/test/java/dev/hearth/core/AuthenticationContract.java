package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.hearth.core.spi.SiteDirectory;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;

/** Sessions and the authentication of tokens on a real database. */
abstract class AuthenticationContract extends AccountsFixture {

    final FakeAbove above = new FakeAbove();

    @Override
    List<Module> extraModules() {
        return List.of(above);
    }

    Sessions sessions() {
        return get(Sessions.class);
    }

    Authenticator auth() {
        return get(Authenticator.class);
    }

    Tokens tokens() {
        return get(Tokens.class);
    }

    static void failsWith(Runnable r, int status, String code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void aLoginsTokensAuthenticateAsTheUserWithItsSession() {
        User user = newUser();
        Sessions.Login login = sessions().login(user, new SessionOrigin(Optional.of("203.0.113.9"), Optional.of("curl"),
                Optional.empty(), Optional.of("https://puter.localhost"), Optional.empty()));

        Actor viaCookie = auth().authenticate(login.sessionToken());
        Actor viaGui = auth().authenticate("  " + login.guiToken() + " ");
        assertThat(viaCookie).isEqualTo(new UserActor(user, Optional.of(login.session().uuid()), true));
        assertThat(viaGui).isEqualTo(new UserActor(user, Optional.of(login.session().uuid()), false));
        assertThat(viaCookie.uid()).isEqualTo("user:" + user.uuid());
        assertThat(login.session().meta()).containsEntry("ip", "203.0.113.9").containsEntry("user_agent", "curl")
                .containsEntry("origin", "https://puter.localhost").containsEntry("server", "localhost")
                .containsKeys("created", "created_unix");
        assertThat(sessions().list(user.id())).extracting(Session::uuid).containsExactly(login.session().uuid());
    }

    @Test
    void absentTokensAreMissing() {
        for (String absent : Arrays.asList(null, "", "  ", "null", "undefined", "Basic dXNlcjpwYXNz")) {
            failsWith(() -> auth().authenticate(absent), 401, "token_missing");
            assertThat(Authenticator.isAbsent(absent)).isTrue();
        }
        assertThat(auth().authenticateOptional("undefined")).isEmpty();
        failsWith(() -> auth().authenticateOptional("nonsense"), 401, "token_auth_failed");
    }

    @Test
    void aRevokedSessionsTokensFailAtOnce() {
        User user = newUser();
        Sessions.Login login = sessions().login(user, SessionOrigin.UNKNOWN);
        String app = tokens().issueAppUnderUser(user.uuid(), "app-one", Optional.of(login.session().uuid()));
        above.addApp("app-one", Optional.empty());
        auth().authenticate(login.guiToken());
        auth().authenticate(app);

        assertThat(sessions().revoke(user, login.session().uuid())).isTrue();

        failsWith(() -> auth().authenticate(login.guiToken()), 401, "token_auth_failed");
        failsWith(() -> auth().authenticate(login.sessionToken()), 401, "token_auth_failed");
        failsWith(() -> auth().authenticate(app), 401, "token_auth_failed");
    }

    @Test
    void nobodyRevokesAnotherUsersSession() {
        User alice = newUser();
        User mallory = newUser();
        Sessions.Login login = sessions().login(alice, SessionOrigin.UNKNOWN);

        assertThat(sessions().revoke(mallory, login.session().uuid())).isFalse();
        assertThat(sessions().revoke(mallory, "00000000-0000-4000-8000-000000000000")).isFalse();

        assertThat(auth().authenticate(login.guiToken())).isInstanceOf(UserActor.class);
        assertThat(sessions().list(alice.id())).hasSize(1);
    }

    @Test
    void revokingAllButTheCurrentSession() {
        User user = newUser();
        Sessions.Login keep = sessions().login(user, SessionOrigin.UNKNOWN);
        Sessions.Login other1 = sessions().login(user, SessionOrigin.UNKNOWN);
        Sessions.Login other2 = sessions().login(user, SessionOrigin.UNKNOWN);

        assertThat(sessions().revokeAllExcept(user.id(), keep.session().uuid())).isEqualTo(2);
        auth().authenticate(keep.guiToken());
        failsWith(() -> auth().authenticate(other1.guiToken()), 401, "token_auth_failed");
        failsWith(() -> auth().authenticate(other2.sessionToken()), 401, "token_auth_failed");
        assertThat(sessions().revokeAll(user.id())).isEqualTo(1);
        failsWith(() -> auth().authenticate(keep.guiToken()), 401, "token_auth_failed");
    }

    @Test
    void aRevocationOnOneInstanceReachesTheOtherAtItsNextPoll() {
        Kernel second = secondInstance();
        Authenticator secondAuth = second.services().get(Authenticator.class);
        User user = newUser();
        Sessions.Login login = sessions().login(user, SessionOrigin.UNKNOWN);
        assertThat(secondAuth.authenticate(login.guiToken())).isInstanceOf(UserActor.class); // now cached there

        sessions().revoke(user, login.session().uuid());
        second.services().get(CacheEpoch.class).poll(); // what its poller does every 2 s

        failsWith(() -> secondAuth.authenticate(login.guiToken()), 401, "token_auth_failed");
    }

    @Test
    void sessionActivityIsRecordedInBatches() {
        User user = newUser();
        Session s = sessions().create(user, SessionOrigin.UNKNOWN);
        sessions().touch(s.uuid());
        sessions().flushActivity();
        assertThat(sessions().list(user.id()).getFirst().lastActivity()).isAfterOrEqualTo(s.createdAt());
    }

    @Test
    void appTokensNeedTheirSessionTheirUserAndAKnownApp() {
        User user = newUser();
        above.addApp("app-known", Optional.empty());
        String sessionless = tokens().issueAppUnderUser(user.uuid(), "app-known", Optional.empty());
        Actor actor = auth().authenticate(sessionless);
        assertThat(actor).isEqualTo(new AppUnderUserActor(user, "app-known", Optional.empty()));
        assertThat(actor.uid()).isEqualTo("app-under-user:" + user.uuid() + ":app-known");

        failsWith(() -> auth().authenticate(tokens().issueAppUnderUser(user.uuid(), "app-unknown", Optional.empty())),
                401, "token_auth_failed");
        // A session of another user does not do.
        Session others = sessions().create(newUser(), SessionOrigin.UNKNOWN);
        failsWith(() -> auth().authenticate(tokens().issueAppUnderUser(user.uuid(), "app-known",
                Optional.of(others.uuid()))), 401, "token_auth_failed");

        users().delete(user.id());
        failsWith(() -> auth().authenticate(sessionless), 401, "user_not_found");
    }

    @Test
    void accessTokensActForTheirAuthorizer() {
        User user = newUser();
        above.addApp("app-tok", Optional.empty());
        Actor plain = auth().authenticate(tokens().issueAccessToken("tok-1", user.uuid(), Optional.empty(), Optional.empty()));
        assertThat(plain).isEqualTo(new AccessTokenActor("tok-1", UserActor.of(user), Optional.empty()));
        assertThat(plain.uid()).isEqualTo("access-token:user:" + user.uuid() + ":<none>:tok-1");
        assertThat(plain.actingUser()).contains(user);

        Actor viaApp = auth().authenticate(tokens().issueAccessToken("tok-2", user.uuid(), Optional.of("app-tok"),
                Optional.empty()));
        assertThat(((AccessTokenActor) viaApp).authorizer()).isEqualTo(new AppUnderUserActor(user, "app-tok", Optional.empty()));

        // The context's actor at authentication time is the authorized actor.
        User other = newUser();
        Actor authorized = Context.create().withActor(UserActor.of(other)).call(() ->
                auth().authenticate(tokens().issueAccessToken("tok-3", user.uuid(), Optional.empty(), Optional.empty())));
        assertThat(authorized.uid()).isEqualTo("access-token:user:" + user.uuid() + ":user:" + other.uuid() + ":tok-3");
    }

    @Test
    void suspendedUsersAreForbidden() {
        User user = newUser();
        Sessions.Login login = sessions().login(user, SessionOrigin.UNKNOWN);
        users().setSuspended(user.id(), true);

        failsWith(() -> auth().authenticate(login.guiToken()), 403, "forbidden");
        failsWith(() -> auth().authenticate(tokens().issueAccessToken("t", user.uuid(), Optional.empty(), Optional.empty())),
                403, "forbidden");
        users().setSuspended(user.id(), false);
        auth().authenticate(login.guiToken());
    }

    @Test
    void aSuspensionActsAtOnceOnATokenThatJustAuthenticated() {
        User user = newUser();
        Sessions.Login login = sessions().login(user, SessionOrigin.UNKNOWN);
        auth().authenticate(login.guiToken());
        auth().authenticate(login.guiToken());

        users().setSuspended(user.id(), true);
        failsWith(() -> auth().authenticate(login.guiToken()), 403, "forbidden");
    }


    @Test
    void siteTokensBecomeSiteActors() {
        above.sites.put("site-1", new SiteDirectory.Site("site-1", "myblog", Optional.of("root-1"), Optional.empty()));
        Actor site = auth().authenticate(tokens().issueSite("site-1", Duration.ofHours(1)));
        assertThat(site).isInstanceOfSatisfying(SiteActor.class, s -> {
            assertThat(s.uid()).isEqualTo("site:myblog");
            assertThat(s.rootDirUid()).contains("root-1");
        });
        failsWith(() -> auth().authenticate(tokens().issueSite("site-unknown", Duration.ofHours(1))), 401, "token_auth_failed");
        failsWith(() -> auth().authenticate(tokens().issueHosted(TokenType.APP_PUBLIC_HOSTED_ACTOR, "app-1", "u",
                Optional.empty(), Map.of(), Duration.ofMinutes(5))), 401, "token_auth_failed");
    }

    @Test
    void aLegacyTokenIsUpgradedOnlyWhereAllowed() throws Exception {
        User user = newUser();
        SignedJWT legacy = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .claim("uuid", user.uuid()).build());
        legacy.sign(new MACSigner(TestSecrets.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
        String raw = legacy.serialize();

        failsWith(() -> auth().authenticate(raw), 401, "token_auth_failed");
        Authenticator.Authenticated upgraded = auth().authenticate(raw, Optional.of(SessionOrigin.UNKNOWN));
        assertThat(upgraded.actor().actingUser()).contains(user);
        Sessions.Login login = upgraded.upgradedLegacy().orElseThrow();
        assertThat(auth().authenticate(login.sessionToken())).isEqualTo(new UserActor(user, Optional.of(login.session().uuid()), true));
    }

    @Test
    void privateUidsArePseudonymousAndStable() {
        User user = newUser();
        PrivateUids uids = get(PrivateUids.class);
        String id = uids.of(UserActor.of(user));
        assertThat(id).matches("[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}");
        assertThat(uids.of(new UserActor(user, Optional.of("s"), true))).isEqualTo(id);
        assertThat(uids.of(new AppUnderUserActor(user, "app-1", Optional.empty()))).isNotEqualTo(id);
        // Computed with Node's crypto and uuid@9 over the test secrets.
        User known = new User(1, "11111111-2222-4333-8444-555555555555", "x", Optional.empty(), Optional.empty(), false,
                false, false, Optional.empty(), false, false, false, java.util.OptionalLong.empty(),
                java.util.OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty(), "{}", java.time.Instant.EPOCH, Optional.empty());
        assertThat(uids.of(UserActor.of(known))).isEqualTo("40C843FC-2EB4-5939-86A9-C7894CAE4464");
    }

    @Test
    void antiCsrfTokensAreSingleUseAndPerUser() {
        AntiCsrfTokens csrf = get(AntiCsrfTokens.class);
        User alice = newUser();
        User bob = newUser();
        String token = csrf.issue(alice);
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(csrf.consume(bob, token)).isFalse();
        assertThat(csrf.consume(alice, token)).isTrue();
        assertThat(csrf.consume(alice, token)).isFalse();
        assertThat(csrf.consume(alice, null)).isFalse();

        java.util.List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < AntiCsrfTokens.KEPT_PER_USER + 2; i++) {
            many.add(csrf.issue(alice));
        }
        // Only the ten most recent stay.
        long alive = many.stream().filter(t -> csrf.consume(alice, t)).count();
        assertThat(alive).isEqualTo(AntiCsrfTokens.KEPT_PER_USER);
        assertThat(csrf.consume(alice, many.getLast())).isFalse();
    }

    @Test
    void purposeTokensDoNotAuthenticate() {
        User user = newUser();
        String otp = tokens().issuePurpose("otp", Map.of("user_uid", user.uuid(), "uuid", user.uuid()), Duration.ofMinutes(5));
        failsWith(() -> auth().authenticate(otp), 401, "token_auth_failed");
        failsWith(() -> auth().authenticate(otp, Optional.of(SessionOrigin.UNKNOWN)), 401, "token_auth_failed");
    }
}
