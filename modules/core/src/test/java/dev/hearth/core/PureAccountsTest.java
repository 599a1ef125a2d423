package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The parts of accounts without a database: bcrypt, TOTP, UUIDs, validation rules, the permission grammar. */
class PureAccountsTest {

    // Made with Node's `bcrypt` 6.0.0 (what Puter uses) and `bcryptjs` 2.4.3.
    private static final String NODE_2B_COST8 = "$2b$08$HCbK8rxa.K2RoN1WOIL9KOJb.EO97pa/7j05M5z7bTufHusxvxmca";
    private static final String NODE_2B_COST10 = "$2b$10$T7HEENXOHb/QPdPQGw6P2uZbPH79f4ebC.AiBfmMAFWzFSzr1Wiz2";
    private static final String NODE_2A_COST8 = "$2a$08$omnYk91HlQlqUF2qNgNsleyrGMR.Dl6SJo3JGLnNIpSHrmwit3tCy";
    private static final String NODE_PASSWORD = "correct horse battery staple";
    // bcrypt.hashSync("x".repeat(72) + "tail-ignored", 8): Node truncates at 72 bytes.
    private static final String NODE_LONG = "$2b$08$Ays3D9cw4V.hxni0Ew9IFuqMItV2ihnIPY5l3b8j974R2zT0WSR86";
    // bcrypt.hashSync("é".repeat(40), 8): 80 UTF-8 bytes, of which the first 72 (36 é) count.
    private static final String NODE_UTF8 = "$2b$08$2/K2u.voHExUvienHPxYQ.QkC5CklGr6g324nNE0OQ46cLO3ZzgMG";

    private final Passwords passwords = new Passwords(4);

    @Test
    void bcryptHashesFromNodeVerify() {
        assertThat(passwords.verify(NODE_PASSWORD, NODE_2B_COST8)).isTrue();
        assertThat(passwords.verify(NODE_PASSWORD, NODE_2B_COST10)).isTrue();
        assertThat(passwords.verify(NODE_PASSWORD, NODE_2A_COST8)).isTrue();
        assertThat(passwords.verify(NODE_PASSWORD + "!", NODE_2B_COST8)).isFalse();
        assertThat(passwords.verify(NODE_PASSWORD, "not a hash")).isFalse();
        assertThat(passwords.verify(NODE_PASSWORD, "$2b$08$short")).isFalse();
    }

    @Test
    void passwordsAreTruncatedAt72BytesLikeNode() {
        assertThat(passwords.verify("x".repeat(72), NODE_LONG)).isTrue();
        assertThat(passwords.verify("x".repeat(72) + "anything else", NODE_LONG)).isTrue();
        assertThat(passwords.verify("x".repeat(71), NODE_LONG)).isFalse();
        assertThat(passwords.verify("é".repeat(36), NODE_UTF8)).isTrue();
        assertThat(passwords.verify("é".repeat(35), NODE_UTF8)).isFalse();

        String ours = passwords.hash("y".repeat(100));
        assertThat(ours).startsWith("$2b$04$");
        assertThat(passwords.verify("y".repeat(72), ours)).isTrue();
    }

    @Test
    void newHashesAre2bAndVerify() {
        String hash = new Passwords(8).hash(NODE_PASSWORD);
        assertThat(hash).startsWith("$2b$08$").hasSize(60);
        assertThat(passwords.verify(NODE_PASSWORD, hash)).isTrue();
        assertThatThrownBy(() -> new Passwords(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void totpMatchesRfc6238TestVectors() {
        byte[] sha1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        byte[] sha256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
        byte[] sha512 = ("1234567890".repeat(6) + "1234").getBytes(StandardCharsets.US_ASCII);
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] expected1 = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        String[] expected256 = {"46119246", "68084774", "67062674", "91819424", "90698825", "77737706"};
        String[] expected512 = {"90693936", "25091201", "99943326", "93441116", "38618901", "47863826"};
        for (int i = 0; i < times.length; i++) {
            long step = times[i] / 30;
            assertThat(Totp.code(sha1, step, 8, "HmacSHA1")).as("SHA1 at %d", times[i]).isEqualTo(expected1[i]);
            assertThat(Totp.code(sha256, step, 8, "HmacSHA256")).as("SHA256 at %d", times[i]).isEqualTo(expected256[i]);
            assertThat(Totp.code(sha512, step, 8, "HmacSHA512")).as("SHA512 at %d", times[i]).isEqualTo(expected512[i]);
        }
    }

    @Test
    void totpAcceptsOneStepEitherWayAndNoMore() {
        // The RFC's SHA1 seed in base32, with 6 digits: the last 6 of the 8-digit vectors.
        String secret = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        assertThat(secret).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        Instant t = Instant.ofEpochSecond(1111111109L);
        assertThat(Totp.codeAt(secret, t)).isEqualTo("081804");
        assertThat(Totp.verify(secret, "081804", t)).isTrue();
        assertThat(Totp.verify(secret, "081804", t.plusSeconds(30))).isTrue();
        assertThat(Totp.verify(secret, "081804", t.minusSeconds(30))).isTrue();
        assertThat(Totp.verify(secret, "081804", t.plusSeconds(60))).isFalse();
        assertThat(Totp.verify(secret, "081805", t)).isFalse();
        assertThat(Totp.verify(secret, "08180", t)).isFalse();
        assertThat(Totp.verify(secret, null, t)).isFalse();
        assertThat(Totp.verify("not base32!", "081804", t)).isFalse();
    }

    @Test
    void totpSecretsAndRecoveryCodes() {
        assertThat(Totp.newSecret()).hasSize(24).matches("[A-Z2-7]+");
        List<String> codes = Totp.newRecoveryCodes();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[A-Z2-7]{8}"));
        // base64(sha256("ABCDEFGH")) = "nt0F3r1kqa4+gXnH8AISO8IUYmjGf8bSMkQFlazsWEU=" → first 22 characters.
        assertThat(Totp.hashRecoveryCode("ABCDEFGH")).hasSize(22);
        assertThat(Totp.base32Decode(Totp.base32(new byte[] {1, 2, 3, 4, 5, 6, 7}))).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void appUidsFromOriginsAreUpstreamsUuidV5() {
        assertThat(Uuids.appUidFromOrigin("https://localhost")).isEqualTo("app-a392f3e5-35ca-5dac-ae10-785696cc7dec");
        assertThat(Uuids.appUidFromOrigin("http://localhost")).isEqualTo("app-26149f0b-8304-5228-b995-772dadcf410e");
        assertThat(Uuids.appUidFromOrigin("https://127.0.0.1")).isEqualTo("app-a6263561-6a84-5d52-9891-02956f9fac65");
        UUID u = UUID.randomUUID();
        assertThat(Uuids.uuid(Uuids.bytes(u))).isEqualTo(u);
    }

    @Test
    void originsAndTheirCanonicalForms() {
        assertThat(AppOrigins.origin("HTTPS://Example.COM:443/path?q=1")).isEqualTo("https://example.com");
        assertThat(AppOrigins.origin("http://localhost:8080/x")).isEqualTo("http://localhost:8080");
        assertThat(AppOrigins.origin("http://example.com:80")).isEqualTo("http://example.com");
        assertThatThrownBy(() -> AppOrigins.origin("not a url")).isInstanceOfSatisfying(dev.hearth.kernel.ApiError.class,
                e -> assertThat(e.body()).containsEntry("code", "no_origin_for_app")
                        .containsEntry("message", "Puter apps must have a valid URL."));
        List<String> hosting = List.of("puter.site", "puter.app", "app.puter.com");
        assertThat(AppOrigins.canonical("https://foo.puter.app", hosting, "puter.com")).isEqualTo("https://foo.puter.site");
        assertThat(AppOrigins.canonical("https://foo.app.puter.com", hosting, "puter.com")).isEqualTo("https://foo.puter.site");
        assertThat(AppOrigins.canonical("https://api.puter.com", hosting, "puter.com")).isEqualTo("https://api.puter.com");
        assertThat(AppOrigins.canonical("https://example.org", hosting, "puter.com")).isEqualTo("https://example.org");
        assertThat(AppOrigins.hostedSubdomain("https://foo.puter.app", hosting)).contains("foo");
        assertThat(AppOrigins.appUid("https://localhost")).isEqualTo("app-a392f3e5-35ca-5dac-ae10-785696cc7dec");
    }

    @Test
    void usernameAndEmailRules() {
        assertThat(AccountRules.usernameProblem("alice_01")).isEmpty();
        assertThat(AccountRules.usernameProblem("alice-01")).contains(AccountRules.UsernameProblem.INVALID);
        assertThat(AccountRules.usernameProblem("ünïcode")).contains(AccountRules.UsernameProblem.INVALID);
        assertThat(AccountRules.usernameProblem("a".repeat(45))).isEmpty();
        assertThat(AccountRules.usernameProblem("a".repeat(46))).contains(AccountRules.UsernameProblem.TOO_LONG);
        assertThat(AccountRules.usernameProblem("WWW")).contains(AccountRules.UsernameProblem.RESERVED);
        assertThat(AccountRules.usernameProblem("ns7")).contains(AccountRules.UsernameProblem.RESERVED);
        assertThat(AccountRules.usernameProblem("q")).contains(AccountRules.UsernameProblem.RESERVED);

        assertThat(AccountRules.isValidEmail("a.b+c@example.co.uk")).isTrue();
        assertThat(AccountRules.isValidEmail("a..b@example.com")).isFalse();
        assertThat(AccountRules.isValidEmail("a@b")).isFalse();
        assertThat(AccountRules.isValidEmail("@example.com")).isFalse();

        assertThat(AccountRules.cleanEmail("J.Doe+news@gmail.com")).isEqualTo("JDoe@gmail.com");
        assertThat(AccountRules.cleanEmail("j.doe+x@googlemail.com")).isEqualTo("jdoe@gmail.com");
        assertThat(AccountRules.cleanEmail("j.doe+x@yahoo.com")).isEqualTo("j.doe+x@yahoo.com");
        assertThat(AccountRules.cleanEmail("j.doe+x@example.com")).isEqualTo("j.doe@example.com");
        assertThat(AccountRules.cleanEmail("j.d.oe@me.com")).isEqualTo("jdoe@me.com");

        assertThat(AccountRules.isStrong("Abcdef1!")).isTrue();
        assertThat(AccountRules.isStrong("abcdef1!")).isFalse();
        assertThat(AccountRules.isStrong("Abcdefg!")).isFalse();
        assertThat(AccountRules.isStrong("Abcdef12")).isFalse();
        assertThat(AccountRules.isStrong("Ab1!")).isFalse();
    }

    @Test
    void permissionGrammarRoundTripsWithEscaping() {
        Permission p = Permission.of("fs", "/alice/a:b\\c", "read");
        assertThat(p.raw()).isEqualTo("fs:/alice/a\\Cb\\\\c:read");
        assertThat(p.components()).containsExactly("fs", "/alice/a:b\\c", "read");
        assertThat(Permission.of(p.components())).isEqualTo(p);
        assertThat(Permission.parse("service:es\\Capp:ii:crud-q").components())
                .containsExactly("service", "es:app", "ii", "crud-q");
        assertThat(Permission.unescape("a\\xb")).isEqualTo("axb");
        assertThat(Permission.escape(":")).isEqualTo("\\C");
        for (String s : List.of("", ":", "\\", "\\C", "a:b:c", "::\\\\::")) {
            assertThat(Permission.unescape(Permission.escape(s))).as(s).isEqualTo(s);
        }
        assertThatThrownBy(() -> Permission.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPermissionIsImpliedByItsPrefixes() {
        Permission p = Permission.parse("service:es\\Capp:ii:crud-q");
        assertThat(p.withPrefixes()).extracting(Permission::raw)
                .containsExactly("service:es\\Capp:ii:crud-q", "service:es\\Capp:ii", "service:es\\Capp", "service");
        assertThat(Permission.parse("fs:U").implies(Permission.parse("fs:U:read"))).isTrue();
        assertThat(Permission.parse("fs:U").implies(Permission.parse("fs:UV:read"))).isFalse();
        assertThat(Permission.parse("fs:U:read").manage().raw()).isEqualTo("manage:fs:U:read");
    }
}
