package dev.hearth.drivers;

import java.util.List;

import dev.hearth.core.Actor;

/**
 * The metering hook drivers report usage into (spec 6): {@code kv:read}, {@code kv:write}, and later the AI
 * providers' usage types. The in-process implementation keeps monthly totals per user in memory; a module with
 * durable metering (credits, allowances, {@code /metering/usage}) replaces it by registering its own service
 * implementing this interface before the drivers module's, or by setting {@code services.metering.backend}.
 */
public interface Metering {

    /** One usage type's totals for a user in the current month. */
    record Usage(String usageType, long units, long count) {}

    /**
     * Records {@code units} of {@code usageType} for the actor's user (system actors and actors without a user are
     * not metered).
     */
    void record(Actor actor, String usageType, long units);

    /** The actor's user's totals this month, by usage type in the order first used. */
    List<Usage> usage(Actor actor);
}
