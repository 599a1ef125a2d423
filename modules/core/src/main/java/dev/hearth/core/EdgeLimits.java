package dev.hearth.core;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import tools.jackson.databind.JsonNode;

/**
 * The {@code edge-limits} service: Puter's edge rate limits (spec 6.1) in process, a sliding window of hits per
 * {@code scope:client address}. The address is the one the web layer takes from its trusted-proxy chain. Every
 * module's routes use this one service with their own {@link Scope}; the operator can change any scope's limit
 * under {@code services.edge-limits.<scope>}. (Across replicas each instance counts its own: a shared
 * implementation belongs with the Redis module.)
 */
public final class EdgeLimits implements Service {

    /** A scope: at most {@code limit} hits per {@code window}, unless {@code services.edge-limits} says otherwise. */
    public record Scope(String name, int limit, Duration window) {}

    static final Scope SIGNUP = new Scope("signup", 10, Duration.ofMinutes(15));
    static final Scope LOGIN_OTP = new Scope("login-otp", 15, Duration.ofMinutes(30));
    static final Scope LOGIN_RECOVERY = new Scope("login-recovery", 10, Duration.ofHours(1));
    static final Scope ENABLE_2FA = new Scope("enable-2fa", 10, Duration.ofHours(1));
    static final Scope SEND_CONFIRM_EMAIL = new Scope("send-confirm-email", 10, Duration.ofHours(1));
    static final Scope CONFIRM_EMAIL = new Scope("confirm-email", 10, Duration.ofHours(1));
    static final Scope SEND_RECOVERY = new Scope("send-pass-recovery-email", 10, Duration.ofHours(1));
    static final Scope VERIFY_RECOVERY = new Scope("verify-pass-recovery-token", 10, Duration.ofMinutes(15));
    static final Scope SET_PASS = new Scope("set-pass-using-token", 10, Duration.ofHours(1));
    static final Scope PASSWD = new Scope("passwd", 10, Duration.ofHours(1));
    static final Scope CHANGE_EMAIL_CONFIRM = new Scope("change-email-confirm", 10, Duration.ofHours(1));
    static final Scope SAVE_ACCOUNT = new Scope("save-account", 10, Duration.ofHours(1));
    static final Scope CHANGE_USERNAME = new Scope("change-username", 10, Duration.ofHours(1));

    static Scope userProtected(String name) {
        return new Scope("/user-protected/" + name, name.equals("delete-own-user") ? 500 : 10,
                name.equals("delete-own-user") ? Duration.ofMinutes(15) : Duration.ofHours(1));
    }

    private final InstantSource clock;
    private final Map<String, Integer> limits;
    private final Cache<String, Deque<Instant>> hits = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    EdgeLimits(ServiceContext context) {
        this(InstantSource.system(), configured(context.config()));
    }

    EdgeLimits(InstantSource clock) {
        this(clock, Map.of());
    }

    /** @param limits per scope name, the number of hits a window allows instead of the built-in one */
    EdgeLimits(InstantSource clock, Map<String, Integer> limits) {
        this.clock = clock;
        this.limits = Map.copyOf(limits);
    }

    /**
     * The operator's limits from {@code services.edge-limits}: scope name → hits per window (for example
     * {@code {"signup": 50}}), each a whole number of at least 1.
     */
    static Map<String, Integer> configured(Config config) {
        Map<String, Integer> out = new HashMap<>();
        config.node("services.edge-limits").ifPresent(node -> {
            if (!node.isObject()) {
                throw ConfigException.invalid("services.edge-limits", node.toString(),
                        "an object of scope names and hits per window, such as {\"signup\": 50}");
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = e.getValue();
                if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 1) {
                    throw ConfigException.invalid("services.edge-limits." + e.getKey(), v.toString(),
                            "a whole number of hits per window, 1 or more");
                }
                out.put(e.getKey(), v.intValue());
            }
        });
        return out;
    }

    /**
     * Records a hit of the request's client address; when it is one too many, answers {@code 429 too_many_requests}
     * with {@code Retry-After} and returns true, so the caller stops before acting.
     */
    public boolean refused(Scope scope, Request req, Response res) {
        Optional<Duration> wait = hit(scope, req.clientAddress());
        wait.ifPresent(w -> HttpReplies.tooManyRequests(res, w));
        return wait.isPresent();
    }

    /** Records a hit; empty if it was allowed, else how long until the next one would be. */
    Optional<Duration> hit(Scope scope, String client) {
        Instant now = clock.instant();
        Deque<Instant> window = hits.get(scope.name() + ":" + client, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && !window.peekFirst().plus(scope.window()).isAfter(now)) {
                window.removeFirst();
            }
            if (window.size() >= limits.getOrDefault(scope.name(), scope.limit())) {
                return Optional.of(Duration.between(now, window.peekFirst().plus(scope.window())));
            }
            window.addLast(now);
            return Optional.empty();
        }
    }
}
