package dev.hearth.drivers;

/**
 * Fixed-window counters for driver rate limits (spec 1.4). The in-process implementation is the default; a shared
 * implementation (Redis) for replicas is another service implementing this interface, registered instead when
 * {@code services.rate-limit.backend} is not {@code memory}.
 */
public interface RateLimits {

    /**
     * Counts one call against {@code key} and tells whether it is within {@code limit}: false when the current window
     * already holds {@code max} calls (the call is then not counted).
     */
    boolean tryAcquire(String key, RateLimit limit);
}
