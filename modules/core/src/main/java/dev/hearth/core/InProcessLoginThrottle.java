package dev.hearth.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.hearth.kernel.Service;

/**
 * The {@code login-throttle} service, in process. Two rules, each answering a retry-after:
 *
 * <ol>
 *   <li><b>Per client address</b> (spec 6.1's {@code login} scope): {@value #ADDRESS_FAILURES} failures within
 *       {@link #ADDRESS_WINDOW} block further attempts from that address, whatever the account, until the oldest
 *       failure leaves the window.</li>
 *   <li><b>Per account and network</b> (the client's /24 for IPv4, /64 for IPv6): after {@value #FREE_FAILURES}
 *       failures, each further attempt waits an exponentially growing delay after the last failure (1 s, 2 s, 4 s, ...
 *       up to {@link #MAX_BACKOFF}); a success from that network starts over.</li>
 * </ol>
 *
 * Neither rule can lock the owner out: an attacker's failures only ever delay the attacker's own address and network,
 * never the account as such, so the owner logging in from elsewhere is not slowed at all. (The trade-off: a botnet
 * spread over many networks is only held back by the per-network rule, a few guesses per network per hour; that is
 * the price of no lock-out.) Counters live in size-bounded caches that forget idle keys.
 */
final class InProcessLoginThrottle implements LoginThrottle, Service {

    static final int ADDRESS_FAILURES = 10;
    static final Duration ADDRESS_WINDOW = Duration.ofMinutes(15);
    static final int FREE_FAILURES = 3;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    private final InstantSource clock;
    private final Cache<String, Deque<Instant>> byAddress = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(ADDRESS_WINDOW).build();
    private final Cache<String, Backoff> byAccount = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(24)).build();

    private static final class Backoff {
        int failures;
        Instant last;
    }

    InProcessLoginThrottle() {
        this(Clock.systemUTC());
    }

    InProcessLoginThrottle(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Duration> check(String account, String clientAddress) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        Deque<Instant> failures = byAddress.getIfPresent(clientAddress);
        if (failures != null) {
            synchronized (failures) {
                prune(failures, now);
                if (failures.size() >= ADDRESS_FAILURES) {
                    wait = max(wait, Duration.between(now, failures.peekFirst().plus(ADDRESS_WINDOW)));
                }
            }
        }
        Backoff b = byAccount.getIfPresent(accountKey(account, clientAddress));
        if (b != null) {
            synchronized (b) {
                if (b.failures >= FREE_FAILURES) {
                    wait = max(wait, Duration.between(now, b.last.plus(delay(b.failures))));
                }
            }
        }
        return wait.isPositive() ? Optional.of(wait) : Optional.empty();
    }

    @Override
    public void recordFailure(String account, String clientAddress) {
        Instant now = clock.instant();
        Deque<Instant> failures = byAddress.get(clientAddress, k -> new ArrayDeque<>());
        synchronized (failures) {
            prune(failures, now);
            failures.addLast(now);
        }
        Backoff b = byAccount.get(accountKey(account, clientAddress), k -> new Backoff());
        synchronized (b) {
            b.failures++;
            b.last = now;
        }
    }

    @Override
    public void recordSuccess(String account, String clientAddress) {
        byAccount.invalidate(accountKey(account, clientAddress));
    }

    /** The delay after {@code failures} failures: 2^(failures - FREE_FAILURES) seconds, capped. */
    static Duration delay(int failures) {
        int exponent = Math.min(failures - FREE_FAILURES, 20);
        Duration d = Duration.ofSeconds(1L << Math.max(exponent, 0));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static void prune(Deque<Instant> failures, Instant now) {
        while (!failures.isEmpty() && !failures.peekFirst().plus(ADDRESS_WINDOW).isAfter(now)) {
            failures.removeFirst();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String accountKey(String account, String clientAddress) {
        return account.toLowerCase(Locale.ROOT) + "\u0000" + network(clientAddress);
    }

    /** The /24 of an IPv4 address, the /64 of an IPv6 one; anything else as it is. Never resolves a name. */
    static String network(String address) {
        try {
            InetAddress a = InetAddress.ofLiteral(address);
            byte[] b = a.getAddress();
            if (a instanceof Inet4Address) {
                return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
            }
            if (a instanceof Inet6Address) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    s.append(String.format("%02x%02x:", b[i], b[i + 1]));
                }
                return s + ":/64";
            }
        } catch (IllegalArgumentException e) {
            // not an address literal
        }
        return address;
    }
}
