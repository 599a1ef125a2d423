package dev.hearth.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Slows down password guessing at login without letting anyone lock a user out (spec 6.1's {@code login} scope, and
 * more). The {@code /login} endpoint asks {@link #check} before looking the account up, answers {@code 429
 * too_many_requests} with the returned retry-after when there is one, and reports the outcome. The client address is
 * the one the web layer takes from its trusted-proxy chain, never a raw {@code X-Forwarded-For}.
 *
 * <p>The in-process implementation is the default; a Redis one can share the counters between instances behind the
 * same interface.
 */
public interface LoginThrottle {

    /** Empty if a login attempt for {@code account} from {@code clientAddress} may proceed now; else how long to wait. */
    Optional<Duration> check(String account, String clientAddress);

    /** A failed attempt (unknown account, wrong password, suspended...). */
    void recordFailure(String account, String clientAddress);

    /** A successful login: the back-off of that account from that network starts over. */
    void recordSuccess(String account, String clientAddress);
}
