package dev.hearth.core;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code access-tokens} service (spec 2.6.8): tokens a user (or an app under a user) creates for a list of
 * permissions. A token holds exactly those permissions, and each only while its authorizer holds it too. Revoking
 * removes its permissions (the token still authenticates, holding nothing), and only the authorizer's user may revoke
 * (Hearth's fix): anyone else, or a uuid that names no token, gets {@code 403 forbidden}.
 */
public final class AccessTokens implements Service {

    /** One requested permission, with its optional {@code extra} object. */
    public record Requested(String permission, Map<String, Object> extra) {
        public Requested {
            extra = Map.copyOf(extra);
        }

        public static Requested of(String permission) {
            return new Requested(permission, Map.of());
        }
    }

    private static final Pattern DURATION = Pattern.compile(
            "^(-?(?:\\d+)?\\.?\\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d"
                    + "|weeks?|w|years?|yrs?|y)?$", Pattern.CASE_INSENSITIVE);

    private final ServiceContext context;
    private final Clock clock;
    private volatile Database database;
    private volatile Tokens tokens;
    private volatile Permissions permissions;
    private volatile CacheEpoch epoch;

    AccessTokens(ServiceContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
        tokens = context.services().get(Tokens.class);
        permissions = context.services().get(Permissions.class);
        epoch = context.services().get(CacheEpoch.class);
    }

    /**
     * Creates a token for {@code requested} (rewritten like every permission input), expiring after
     * {@code expiresIn} if given, and returns the JWT. The authorizer must be a user or an app under a user
     * ({@code 403 forbidden}): access tokens do not create access tokens.
     */
    public String create(Actor authorizer, List<Requested> requested, Optional<Duration> expiresIn) {
        User user;
        Optional<String> app;
        switch (authorizer) {
            case UserActor u -> {
                user = u.user();
                app = Optional.empty();
            }
            case AppUnderUserActor a -> {
                user = a.user();
                app = Optional.of(a.appUid());
            }
            default -> throw ApiError.forbidden();
        }
        if (requested == null || requested.isEmpty()) {
            throw ApiError.fieldMissing("permissions");
        }
        Map<String, Map<String, Object>> rewritten = new LinkedHashMap<>();
        for (Requested r : requested) {
            if (r.permission() == null || r.permission().isEmpty()) {
                throw ApiError.fieldInvalid("permissions", null, null);
            }
            rewritten.put(permissions.rewrite(authorizer, Permission.parse(r.permission())).raw(), r.extra());
        }
        String tokenUid = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Optional<Instant> expiresAt = expiresIn.map(now::plus);
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO access_tokens (token_uid, authorizer_user_id, authorizer_app_uid, created_at,"
                            + " expires_at) VALUES (:t, :u, :a, :now, :exp)")
                    .bind("t", tokenUid).bind("u", user.id()).bind("a", app.orElse(null)).bind("now", now.toEpochMilli())
                    .bind("exp", expiresAt.map(Instant::toEpochMilli).orElse(null)).execute();
            rewritten.forEach((p, extra) -> h.createUpdate("INSERT INTO access_token_permissions (token_uid, permission,"
                    + " extra) VALUES (:t, :p, :e)").bind("t", tokenUid).bind("p", p).bind("e", Permissions.json(extra))
                    .execute());
        });
        return tokens.issueAccessToken(tokenUid, user.uuid(), app, expiresAt);
    }

    /**
     * Revokes a token given as its JWT, its uuid, or a URL with {@code token=<jwt>} in its query. A JWT must verify as
     * an access token ({@code 401 token_auth_failed}). Only an actor of the authorizer's user may revoke it.
     */
    public void revoke(Actor requester, String tokenOrUuid) {
        if (tokenOrUuid == null || tokenOrUuid.isBlank()) {
            throw ApiError.fieldMissing("tokenOrUuid");
        }
        String value = fromUrl(tokenOrUuid.strip());
        String tokenUid = value.chars().filter(c -> c == '.').count() == 2
                ? tokens.verify(value, TokenClaims.AccessToken.class).tokenUid()
                : value;
        User me = requester.actingUser().orElseThrow(ApiError::forbidden);
        Optional<Long> owner = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT authorizer_user_id FROM access_tokens WHERE token_uid = :t")
                .bind("t", tokenUid).mapTo(Long.class).findFirst());
        if (owner.isEmpty() || owner.get() != me.id()) {
            throw ApiError.forbidden();
        }
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM access_token_permissions WHERE token_uid = :t")
                .bind("t", tokenUid).execute());
        permissions.invalidateCaches();
        // A socket opened with the token would otherwise keep receiving the user's events: close it, on every instance.
        context.events().emit(AccountSockets.DISCONNECT, AccountSockets.accessTokensRevoked(me.id(), List.of(tokenUid)));
    }

    /** The permissions stored for a token. */
    public List<String> permissions(String tokenUid) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT permission FROM access_token_permissions"
                + " WHERE token_uid = :t ORDER BY permission").bind("t", tokenUid).mapTo(String.class).list());
    }

    /**
     * {@code expiresIn} as the {@code jsonwebtoken} library reads it: a number is seconds; a string of digits is
     * milliseconds; otherwise the {@code ms} grammar ({@code "1h"}, {@code "7d"}, {@code "30m"}, {@code "2 days"},
     * {@code "1y"}). Absent → no expiry; anything else → {@code 400 field_invalid}.
     */
    public static Optional<Duration> parseExpiresIn(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number n) {
            return Optional.of(Duration.ofMillis(Math.round(n.doubleValue() * 1000)));
        }
        if (value instanceof String s) {
            Matcher m = DURATION.matcher(s.strip());
            if (m.matches() && !s.isBlank()) {
                double amount = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
                double ms = switch (unit.charAt(0)) {
                    case 'y' -> amount * 365.25 * 86_400_000;
                    case 'w' -> amount * 7 * 86_400_000;
                    case 'd' -> amount * 86_400_000;
                    case 'h' -> amount * 3_600_000;
                    case 'm' -> unit.startsWith("ms") || unit.startsWith("msec") || unit.startsWith("milli")
                            ? amount : amount * 60_000;
                    case 's' -> amount * 1000;
                    default -> amount;
                };
                return Optional.of(Duration.ofMillis(Math.round(ms)));
            }
        }
        throw ApiError.fieldInvalid("expiresIn", "a number of seconds or a duration such as \"1h\"", null);
    }

    private static String fromUrl(String value) {
        if (!value.contains("token=")) {
            return value;
        }
        try {
            String query = URI.create(value).getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("token=")) {
                        return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // not a URL: take the value as it is
        }
        return value;
    }
}
