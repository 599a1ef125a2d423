package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The small parts of the accounts HTTP layer that need no server. */
class HttpPiecesTest {

    @Test
    void accountAgesReadLikeJavascriptTimeAgo() {
        Instant now = Instant.parse("2026-04-01T12:00:00Z");
        assertThat(AccountRoutes.age(now.minusSeconds(5), now)).isEqualTo("just now");
        assertThat(AccountRoutes.age(now.minusSeconds(60), now)).isEqualTo("1 minute ago");
        assertThat(AccountRoutes.age(now.minusSeconds(180), now)).isEqualTo("3 minutes ago");
        assertThat(AccountRoutes.age(now.minus(Duration.ofHours(5)), now)).isEqualTo("5 hours ago");
        assertThat(AccountRoutes.age(now.minus(Duration.ofDays(3)), now)).isEqualTo("3 days ago");
        assertThat(AccountRoutes.age(now.minus(Duration.ofDays(14)), now)).isEqualTo("2 weeks ago");
        assertThat(AccountRoutes.age(now.minus(Duration.ofDays(62)), now)).isEqualTo("2 months ago");
        assertThat(AccountRoutes.age(now.minus(Duration.ofDays(800)), now)).isEqualTo("2 years ago");
    }

    @Test
    void signupIsOpenByDefaultOnlyOnLoopback() {
        assertThat(AccountHttpSettings.isLoopback("127.0.0.1")).isTrue();
        assertThat(AccountHttpSettings.isLoopback("::1")).isTrue();
        assertThat(AccountHttpSettings.isLoopback("[::1]")).isTrue();
        assertThat(AccountHttpSettings.isLoopback("localhost")).isTrue();
        assertThat(AccountHttpSettings.isLoopback("0.0.0.0")).isFalse();
        assertThat(AccountHttpSettings.isLoopback("::")).isFalse();
        assertThat(AccountHttpSettings.isLoopback("192.168.1.5")).isFalse();
    }

    @Test
    void edgeLimitsSlideTheirWindow() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-04-01T12:00:00Z"));
        EdgeLimits limits = new EdgeLimits(now::get);
        EdgeLimits.Scope scope = new EdgeLimits.Scope("test", 2, Duration.ofMinutes(1));
        assertThat(limits.hit(scope, "a")).isEmpty();
        now.set(now.get().plusSeconds(10));
        assertThat(limits.hit(scope, "a")).isEmpty();
        assertThat(limits.hit(scope, "a")).contains(Duration.ofSeconds(50));
        assertThat(limits.hit(scope, "b")).isEmpty();
        now.set(now.get().plusSeconds(50));
        assertThat(limits.hit(scope, "a")).isEmpty();
    }

    @Test
    void operatorsSetEdgeLimitsPerScopeAndBadValuesNameTheKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        dev.hearth.kernel.Config config = dev.hearth.kernel.Config.empty(dir).with("services.edge-limits.test", 3);
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-04-01T12:00:00Z"));
        EdgeLimits limits = new EdgeLimits(now::get, EdgeLimits.configured(config));
        EdgeLimits.Scope scope = new EdgeLimits.Scope("test", 1, Duration.ofMinutes(1));
        assertThat(limits.hit(scope, "a")).isEmpty();
        assertThat(limits.hit(scope, "a")).isEmpty();
        assertThat(limits.hit(scope, "a")).isEmpty();
        assertThat(limits.hit(scope, "a")).isPresent();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EdgeLimits.configured(
                        dev.hearth.kernel.Config.empty(dir).with("services.edge-limits.signup", 0)))
                .isInstanceOf(dev.hearth.kernel.ConfigException.class)
                .hasMessageContaining("services.edge-limits.signup");
    }
}
