package dev.hearth.drivers;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

import dev.hearth.kernel.Service;

/**
 * {@link RateLimits} in this process's memory: one fixed window per key, restarted when its period has passed.
 * Windows older than their period are dropped as they are met, so the map holds only active callers.
 */
final class InProcessRateLimits implements RateLimits, Service {

    private record Window(long start, int count) {}

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    InProcessRateLimits(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean tryAcquire(String key, RateLimit limit) {
        long now = clock.millis();
        boolean[] allowed = {false};
        windows.compute(key, (k, w) -> {
            if (w == null || w.start() + limit.periodMillis() < now) {
                allowed[0] = limit.max() > 0;
                return new Window(now, allowed[0] ? 1 : 0);
            }
            if (w.count() >= limit.max()) {
                return w;
            }
            allowed[0] = true;
            return new Window(w.start(), w.count() + 1);
        });
        if (windows.size() > 100_000) {
            windows.values().removeIf(w -> w.start() + 3_600_000 < now);
        }
        return allowed[0];
    }
}
