package dev.hearth.drivers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A driver interface (spec 2): a name such as {@code puter-kvstore}, a description and its methods.
 *
 * @param noSdk left out of {@code GET /drivers/list-interfaces}
 */
public record InterfaceSpec(String name, String description, Map<String, MethodSpec> methods, boolean noSdk) {

    public InterfaceSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        methods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(methods));
    }

    public static InterfaceSpec of(String name, String description, MethodSpec... methods) {
        Map<String, MethodSpec> m = new LinkedHashMap<>();
        for (MethodSpec method : methods) {
            m.put(method.name(), method);
        }
        return new InterfaceSpec(name, description, m, false);
    }

    public Optional<MethodSpec> method(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /** The same interface, hidden from {@code list-interfaces}. */
    public InterfaceSpec hiddenFromSdk() {
        return new InterfaceSpec(name, description, methods, true);
    }
}
