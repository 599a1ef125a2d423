package dev.hearth.drivers;

import java.util.Map;
import java.util.Objects;

import dev.hearth.core.Actor;

/**
 * One invocation of a driver method, as the driver sees it.
 *
 * @param interfaceName the interface after rewriting ({@code puter-apps} → {@code crud-q})
 * @param serviceName the resolved implementation
 * @param intendedService the implementation the client named (or the default), before aliasing: a provider hint
 * @param method the method name
 * @param args the processed arguments
 * @param actor who calls
 * @param testMode the client asked for test mode (sample outputs, no provider calls, no metering)
 * @param metadata the envelope's {@code metadata}, which the driver may fill (mutable, per call)
 */
public record DriverCall(String interfaceName, String serviceName, String intendedService, String method, Args args,
        Actor actor, boolean testMode, Map<String, Object> metadata) {

    public DriverCall {
        Objects.requireNonNull(interfaceName);
        Objects.requireNonNull(serviceName);
        Objects.requireNonNull(intendedService);
        Objects.requireNonNull(method);
        Objects.requireNonNull(args);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(metadata);
    }
}
