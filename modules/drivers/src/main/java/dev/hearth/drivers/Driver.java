package dev.hearth.drivers;

import java.util.List;
import java.util.Optional;

/**
 * An implementation of one driver interface by one service (upstream's "service implementing trait"). Contributed
 * by a {@link spi.DriverProvider}.
 */
public interface Driver {

    /** The implementation's name, as clients name it in {@code driver} and as the envelope reports it. */
    String serviceName();

    /** The interface it implements. */
    String interfaceName();

    /** The implementation's version, reported as the envelope's {@code service.version} (upstream's version trait). */
    default Optional<String> version() {
        return Optional.empty();
    }

    /** More names clients may use for this implementation (provider aliases, spec 1.2 step 8). */
    default List<String> aliases() {
        return List.of();
    }

    /**
     * A rate limit that applies to every caller with a user, whatever their grants say (upstream's KV shortcut:
     * 200 per 10 s per user and method); empty to use the policy of the permission grant, if any.
     */
    default Optional<RateLimit> rateLimit(String method) {
        return Optional.empty();
    }

    /** Runs a method; throw an {@link dev.hearth.kernel.ApiError} or a {@link DriverError} to fail. */
    DriverResult call(DriverCall call) throws Exception;
}
