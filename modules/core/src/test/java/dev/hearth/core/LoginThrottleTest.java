package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import org.junit.jupiter.api.Test;

/** Back-off and the absence of lock-out, on a hand-turned clock. */
class LoginThrottleTest {

    /** A clock the test moves. */
    static final class ManualClock implements InstantSource {
        Instant now = Instant.parse("2026-11-27T08:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    final ManualClock clock = new ManualClock();
    final InProcessLoginThrottle throttle = new InProcessLoginThrottle(clock);

    @Test
    void failuresOnAnAccountBackOffExponentiallyFromThatNetwork() {
        String attacker = "198.51.100.7";
        for (int i = 0; i < InProcessLoginThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.check("alice", attacker)).isEmpty();
            throttle.recordFailure("alice", attacker);
        }
        assertThat(throttle.check("alice", attacker)).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.check("alice", attacker)).isEmpty();
        throttle.recordFailure("alice", attacker);
        assertThat(throttle.check("alice", attacker)).contains(Duration.ofSeconds(2));
        // The same /24 shares the back-off, and account names are not case-sensitive here.
        assertThat(throttle.check("ALICE", "198.51.100.200")).contains(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        throttle.recordFailure("alice", attacker);
        assertThat(throttle.check("alice", attacker)).contains(Duration.ofSeconds(4));
    }

    @Test
    void theOwnerElsewhereIsNeverSlowedDown() {
        String attacker = "198.51.100.7";
        for (int i = 0; i < 9; i++) {
            throttle.recordFailure("alice", attacker);
        }
        assertThat(throttle.check("alice", attacker)).isPresent();

        String owner = "203.0.113.5";
        assertThat(throttle.check("alice", owner)).isEmpty();
        throttle.recordSuccess("alice", owner);
        assertThat(throttle.check("alice", owner)).isEmpty();
        // Over IPv6 too, from another /64.
        assertThat(throttle.check("alice", "2001:db8:1:2::1")).isEmpty();
    }

    @Test
    void tenFailuresFromOneAddressBlockItForFifteenMinutesWhateverTheAccount() {
        String address = "192.0.2.1";
        for (int i = 0; i < InProcessLoginThrottle.ADDRESS_FAILURES; i++) {
            throttle.recordFailure("user" + i, address);
            clock.advance(Duration.ofSeconds(10));
        }
        // The oldest failure is 100 s old; it leaves the 15-minute window in 800 s.
        assertThat(throttle.check("someone-else", address)).contains(Duration.ofSeconds(800));
        assertThat(throttle.check("someone-else", "192.0.2.2")).isEmpty();
        clock.advance(Duration.ofSeconds(800));
        assertThat(throttle.check("someone-else", address)).isEmpty();
    }

    @Test
    void aSuccessStartsTheBackOffOver() {
        String address = "2001:db8::7";
        for (int i = 0; i < 6; i++) {
            throttle.recordFailure("bob", address);
        }
        assertThat(throttle.check("bob", address)).contains(Duration.ofSeconds(8));
        assertThat(throttle.check("bob", "2001:db8::8")).contains(Duration.ofSeconds(8)); // same /64
        throttle.recordSuccess("bob", address);
        assertThat(throttle.check("bob", address)).isEmpty();
    }

    @Test
    void theBackOffIsCapped() {
        assertThat(InProcessLoginThrottle.delay(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(InProcessLoginThrottle.delay(13)).isEqualTo(InProcessLoginThrottle.MAX_BACKOFF);
        assertThat(InProcessLoginThrottle.delay(1000)).isEqualTo(InProcessLoginThrottle.MAX_BACKOFF);
        assertThat(InProcessLoginThrottle.network("10.1.2.3")).isEqualTo("10.1.2.0/24");
        assertThat(InProcessLoginThrottle.network("2001:db8:aa:bb:cc::1")).isEqualTo("2001:0db8:00aa:00bb::/64");
        assertThat(InProcessLoginThrottle.network("not-an-ip")).isEqualTo("not-an-ip");
    }
}
