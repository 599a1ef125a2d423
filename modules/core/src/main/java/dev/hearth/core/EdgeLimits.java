package dev.hearth.core;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Puter's edge rate limits (spec 6.1) in process: a sliding window of hits per {@code scope:client address}. The
 * address is the one the web layer takes from its trusted-proxy chain. (Across replicas each instance counts its own:
 * a shared implementation belongs with the Redis module.)
 */
final class EdgeLimits {

    /** A scope: at most {@code limit} hits per {@code window}. */
    record Scope(String name, int limit, Duration window) {}

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
    private final Cache<String, Deque<Instant>> hits = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    EdgeLimits(InstantSource clock) {
        this.clock = clock;
    }

    /** Records a hit; empty if it was allowed, else how long until the next one would be. */
    Optional<Duration> hit(Scope scope, String client) {
        Instant now = clock.instant();
        Deque<Instant> window = hits.get(scope.name() + ":" + client, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && !window.peekFirst().plus(scope.window()).isAfter(now)) {
                window.removeFirst();
            }
            if (window.size() >= scope.limit()) {
                return Optional.of(Duration.between(now, window.peekFirst().plus(scope.window())));
            }
            window.addLast(now);
            return Optional.empty();
        }
    }
}
