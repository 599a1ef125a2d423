package dev.hearth.drivers;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A method of a driver interface: its parameters in declaration order and its declared result type
 * ({@code json}, {@code number}, {@code stream}...; empty when it declares none, or returns nothing).
 */
public record MethodSpec(String name, String description, List<Param> parameters, Optional<String> resultType) {

    public MethodSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(resultType);
    }

    public static MethodSpec of(String name, String description, Param... parameters) {
        return new MethodSpec(name, description, List.of(parameters), Optional.empty());
    }

    /** The same method with a declared result type. */
    public MethodSpec returning(String type) {
        return new MethodSpec(name, description, parameters, Optional.of(type));
    }

    public Optional<Param> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
