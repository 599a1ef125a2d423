package dev.hearth.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code tokens} service: every JWT of the system, HS256 over {@code jwt_secret} (spec 2.1, 2.2).
 *
 * <ul>
 *   <li>Authentication tokens carry upstream's claim names ({@code type}, {@code version: "0.0.0"}, {@code uuid},
 *       {@code user_uid}, {@code app_uid}, {@code session}, {@code token_uid}, {@code site_uid}); session, GUI and
 *       app-under-user tokens have no {@code exp}. {@link #verify} also reads the legacy short keys. The {@code type}
 *       claim is the only thing that tells kinds apart, so every use names the kinds it accepts.</li>
 *   <li>Purpose tokens ({@link #issuePurpose}) are for everything else (the OTP step, password recovery, email change,
 *       re-validation, Wisp): they carry {@code purpose} and never {@code type}, always expire, and
 *       {@link #verifyPurpose} accepts only the purpose asked for. Neither kind passes for the other.</li>
 * </ul>
 *
 * Only HS256 is accepted: {@code alg: none}, RS256, HS512 and unsigned tokens fail. The session uuid inside app
 * tokens is hidden with AES-128 over its 16 bytes (a format-preserving permutation of UUIDs) keyed by the persisted
 * {@code services.auth.uuid_fpe_key}, so app tokens survive restarts and match an upstream installation with the same
 * key.
 */
public final class Tokens implements Service {

    static final String VERSION = "0.0.0";
    private static final String PURPOSE = "purpose";
    private static final Set<String> UUID_CLAIMS = Set.of("uuid", "session", "user_uid", "app_uid");

    private final byte[] secret;
    private final SecretKeySpec fpeKey;
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;
    /**
     * Tokens {@link #verify} accepted, with what they said: a token's signature and claims never change, and parsing
     * and checking them again was 5-10% of a {@code /stat}. Only a verified token gets in, so a forged one costs the
     * full check every time; an expiring one is served until its {@code exp} only. Revocation is not the signature's
     * business: a session is looked up on every use, an access token's grants on every check.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    private record Verified(TokenClaims claims, Optional<Instant> expires) {}

    Tokens(ServiceContext context) {
        this(context, Clock.systemUTC());
    }

    Tokens(ServiceContext context, Clock clock) {
        this.clock = clock;
        String jwtSecret = context.config().string("jwt_secret")
                .orElseThrow(() -> ConfigException.invalid("jwt_secret", null, "a secret of at least 32 bytes"
                        + " (generated into secrets.json on first boot)"));
        secret = jwtSecret.getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            // nimbus-jose-jwt refuses HMAC keys under 256 bits, and so should we.
            throw ConfigException.invalid("jwt_secret", "********", "a secret of at least 32 bytes (256 bits)");
        }
        String fpe = context.config().string("services.auth.uuid_fpe_key")
                .orElseThrow(() -> ConfigException.invalid("services.auth.uuid_fpe_key", null,
                        "16 bytes as 32 hex digits or a UUID (generated into secrets.json on first boot)"));
        fpeKey = new SecretKeySpec(fpeKeyBytes(fpe), "AES");
        try {
            signer = new MACSigner(secret);
            verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw ConfigException.invalid("jwt_secret", "********", "a secret nimbus-jose-jwt accepts: " + e.getMessage());
        }
    }

    static byte[] fpeKeyBytes(String configured) {
        String hex = configured.replace("-", "");
        if (!hex.matches("[0-9a-fA-F]{32}")) {
            throw ConfigException.invalid("services.auth.uuid_fpe_key", "********",
                    "16 bytes as 32 hex digits or a UUID");
        }
        return HexFormat.of().parseHex(hex);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Issuing

    /** {@code {type:"session", version, uuid:<session>, user_uid, iat}}: the cookie's token. */
    public String issueSession(String sessionUuid, String userUuid) {
        return sign(claims(TokenType.SESSION, "uuid", sessionUuid, "user_uid", userUuid), Optional.empty());
    }

    /** {@code {type:"gui", version, uuid:<session>, user_uid, iat}}: the same session, for JSON responses. */
    public String issueGui(String sessionUuid, String userUuid) {
        return sign(claims(TokenType.GUI, "uuid", sessionUuid, "user_uid", userUuid), Optional.empty());
    }

    /** {@code {type:"app-under-user", version, user_uid, app_uid, session?:FPE(session), iat}}. */
    public String issueAppUnderUser(String userUuid, String appUid, Optional<String> sessionUuid) {
        Map<String, Object> c = claims(TokenType.APP_UNDER_USER, "user_uid", userUuid, "app_uid", appUid);
        sessionUuid.ifPresent(s -> c.put("session", hideSession(s)));
        return sign(c, Optional.empty());
    }

    /** {@code {type:"access-token", version, token_uid, user_uid, app_uid?, iat, exp?}}. */
    public String issueAccessToken(String tokenUid, String userUuid, Optional<String> appUid, Optional<Instant> expiresAt) {
        Map<String, Object> c = claims(TokenType.ACCESS_TOKEN, "token_uid", tokenUid, "user_uid", userUuid);
        appUid.ifPresent(a -> c.put("app_uid", a));
        return sign(c, expiresAt);
    }

    /** {@code {type:"actor-site", version, site_uid, iat, exp}}. */
    public String issueSite(String siteUid, Duration ttl) {
        return sign(claims(TokenType.ACTOR_SITE, "site_uid", siteUid), Optional.of(clock.instant().plus(ttl)));
    }

    /** A hosting token ({@code app-private-asset} or {@code app-public-hosted-actor}) with extra claims. */
    public String issueHosted(TokenType type, String appUid, String userUuid, Optional<String> sessionUuid,
            Map<String, Object> extra, Duration ttl) {
        if (type != TokenType.APP_PRIVATE_ASSET && type != TokenType.APP_PUBLIC_HOSTED_ACTOR) {
            throw new IllegalArgumentException("not a hosting token type: " + type);
        }
        Map<String, Object> c = claims(type, "app_uid", appUid, "user_uid", userUuid);
        sessionUuid.ifPresent(s -> c.put("session", hideSession(s)));
        extra.forEach(c::putIfAbsent);
        return sign(c, Optional.of(clock.instant().plus(ttl)));
    }

    /**
     * A token for one purpose (OTP step, recovery, email change, re-validation, Wisp...), expiring after {@code ttl}.
     * The claims may not use {@code type} or {@code purpose}.
     */
    public String issuePurpose(String purpose, Map<String, Object> claims, Duration ttl) {
        if (claims.containsKey("type") || claims.containsKey(PURPOSE) || claims.containsKey("t")) {
            throw new IllegalArgumentException("purpose tokens carry neither type nor purpose claims of their own");
        }
        Map<String, Object> c = new LinkedHashMap<>(claims);
        c.put(PURPOSE, purpose);
        return sign(c, Optional.of(clock.instant().plus(ttl)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Verifying

    /**
     * Verifies an authentication token and says what it is. A bad signature, another algorithm than HS256, a malformed
     * or expired token, an unknown type or a purpose token → {@code 401 token_auth_failed}.
     */
    public TokenClaims verify(String token) {
        Verified known = verified.getIfPresent(token);
        if (known != null && known.expires().map(clock.instant()::isBefore).orElse(true)) {
            return known.claims();
        }
        Map<String, Object> raw = verifiedClaims(token).orElseThrow(ApiError::tokenAuthFailed);
        TokenClaims claims = claimsOf(decompress(raw));
        verified.put(token, new Verified(claims, instant(raw, "exp")));
        return claims;
    }

    private TokenClaims claimsOf(Map<String, Object> c) {
        if (c.containsKey(PURPOSE)) {
            throw ApiError.tokenAuthFailed();
        }
        Object typeClaim = c.get("type");
        if (typeClaim == null) {
            return new TokenClaims.Legacy(string(c, "uuid"));
        }
        TokenType type = TokenType.ofClaim(String.valueOf(typeClaim)).orElseThrow(ApiError::tokenAuthFailed);
        return switch (type) {
            case SESSION, GUI -> new TokenClaims.Session(type, string(c, "uuid"), string(c, "user_uid"));
            case APP_UNDER_USER -> new TokenClaims.AppUnderUser(string(c, "user_uid"), string(c, "app_uid"),
                    optional(c, "session").map(this::revealSession));
            case ACCESS_TOKEN -> new TokenClaims.AccessToken(string(c, "token_uid"), string(c, "user_uid"),
                    optional(c, "app_uid"), instant(c, "exp"));
            case ACTOR_SITE -> new TokenClaims.Site(string(c, "site_uid"), instant(c, "iat"));
            case APP_PRIVATE_ASSET, APP_PUBLIC_HOSTED_ACTOR -> new TokenClaims.Hosted(type, string(c, "app_uid"),
                    string(c, "user_uid"), optional(c, "session").map(this::revealSession), Map.copyOf(c));
        };
    }

    /** Verifies an authentication token of one kind; any other kind → {@code 401 token_auth_failed}. */
    public <T extends TokenClaims> T verify(String token, Class<T> expected) {
        TokenClaims claims = verify(token);
        if (!expected.isInstance(claims)) {
            throw ApiError.tokenAuthFailed();
        }
        return expected.cast(claims);
    }

    /** The claims of a valid, unexpired token issued for {@code purpose}; empty for anything else. */
    public Optional<Map<String, Object>> verifyPurpose(String token, String purpose) {
        return verifiedClaims(token)
                .filter(c -> purpose.equals(c.get(PURPOSE)) && !c.containsKey("type") && c.containsKey("exp"))
                .map(c -> {
                    Map<String, Object> out = new LinkedHashMap<>(c);
                    out.remove(PURPOSE);
                    return Map.copyOf(out);
                });
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Map<String, Object> claims(TokenType type, String... pairs) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type.claim());
        c.put("version", VERSION);
        for (int i = 0; i < pairs.length; i += 2) {
            c.put(pairs[i], pairs[i + 1]);
        }
        return c;
    }

    private String sign(Map<String, Object> claims, Optional<Instant> expiresAt) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims.forEach(b::claim);
        // Whole seconds, as jsonwebtoken writes them.
        b.issueTime(Date.from(Instant.ofEpochSecond(clock.instant().getEpochSecond())));
        expiresAt.ifPresent(e -> b.expirationTime(Date.from(Instant.ofEpochSecond(e.getEpochSecond()))));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), b.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    /** The claims of a token signed with HS256 by our secret and not expired; empty otherwise. */
    private Optional<Map<String, Object>> verifiedClaims(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            // Pinned: the header's alg is the attacker's choice, so it is checked before anything uses it.
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (exp != null && !clock.instant().isBefore(exp.toInstant())) {
                return Optional.empty();
            }
            Map<String, Object> out = new HashMap<>(claims.getClaims());
            // nimbus turns iat/exp into Dates; keep them as the seconds they are on the wire.
            out.replaceAll((k, v) -> v instanceof Date d ? d.getTime() / 1000 : v);
            return Optional.of(out);
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Puter's compressed claims: {@code u, s, v, t, uu, au} and base64 UUIDs (spec 2.1). */
    static Map<String, Object> decompress(Map<String, Object> claims) {
        Map<String, String> keys = Map.of("u", "uuid", "s", "session", "v", "version", "t", "type", "uu", "user_uid",
                "au", "app_uid");
        Map<String, Object> out = new HashMap<>();
        claims.forEach((k, v) -> {
            String key = keys.getOrDefault(k, k);
            if (!key.equals(k) && claims.containsKey(key)) {
                return; // the long key is there too: it wins
            }
            out.put(key, v);
        });
        if (claims.containsKey("t") && !claims.containsKey("type") && out.get("type") instanceof String t) {
            out.put("type", switch (t) {
                case "s" -> "session";
                case "t" -> "access-token";
                case "au" -> "app-under-user";
                default -> t;
            });
        }
        for (String k : UUID_CLAIMS) {
            if (out.get(k) instanceof String v && !v.contains("-")) {
                expandUuid(v).ifPresent(u -> out.put(k, k.equals("app_uid") ? "app-" + u : u));
            }
        }
        return out;
    }

    private static Optional<String> expandUuid(String base64) {
        try {
            byte[] b = Base64.getDecoder().decode(base64.replace('_', '/'));
            return b.length == 16 ? Optional.of(Uuids.uuid(b).toString()) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** AES-128 over the uuid's 16 bytes, written as a uuid again. */
    String hideSession(String sessionUuid) {
        return Uuids.uuid(aes(Cipher.ENCRYPT_MODE, Uuids.bytes(UUID.fromString(sessionUuid)))).toString();
    }

    String revealSession(String hidden) {
        try {
            return Uuids.uuid(aes(Cipher.DECRYPT_MODE, Uuids.bytes(UUID.fromString(hidden)))).toString();
        } catch (IllegalArgumentException e) {
            throw ApiError.tokenAuthFailed();
        }
    }

    private byte[] aes(int mode, byte[] block) {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(mode, fpeKey);
            return cipher.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String string(Map<String, Object> c, String key) {
        return optional(c, key).orElseThrow(ApiError::tokenAuthFailed);
    }

    private static Optional<String> optional(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s) || s.isEmpty()) {
            throw ApiError.tokenAuthFailed();
        }
        return Optional.of(s);
    }

    private static Optional<Instant> instant(Map<String, Object> c, String key) {
        return c.get(key) instanceof Number n ? Optional.of(Instant.ofEpochSecond(n.longValue())) : Optional.empty();
    }
}
