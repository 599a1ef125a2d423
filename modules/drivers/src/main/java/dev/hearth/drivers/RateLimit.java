package dev.hearth.drivers;

/** A fixed-window rate limit: at most {@code max} calls per {@code periodMillis}. */
public record RateLimit(int max, long periodMillis) {

    public RateLimit {
        if (max < 0 || periodMillis <= 0) {
            throw new IllegalArgumentException("max >= 0 and period > 0: " + max + "/" + periodMillis);
        }
    }
}
