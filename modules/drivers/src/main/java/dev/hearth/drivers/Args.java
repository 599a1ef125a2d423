package dev.hearth.drivers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The processed arguments of a driver call (spec 1.3): only declared parameters, each coerced to its type. Absent
 * values are absent. Values: {@link ParamType#STRING} → {@code String}, {@code FLAG} → {@code Boolean}, {@code NUMBER}
 * → a numeric {@link JsonNode} (integers stay integers), {@code JSON} → a {@link JsonNode} (possibly a null node),
 * {@code FILE} → {@link DriverFile}.
 */
public final class Args {

    private final Map<String, Object> values;

    public Args(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Args of(Map<String, Object> values) {
        return new Args(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name)).filter(String.class::isInstance).map(String.class::cast);
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    public Optional<JsonNode> number(String name) {
        return json(name).filter(JsonNode::isNumber);
    }

    public Optional<JsonNode> json(String name) {
        return Optional.ofNullable(values.get(name)).filter(JsonNode.class::isInstance).map(JsonNode.class::cast);
    }

    public Optional<DriverFile> file(String name) {
        return Optional.ofNullable(values.get(name)).filter(DriverFile.class::isInstance).map(DriverFile.class::cast);
    }

    /** Every processed value by name. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.keySet().toString();
    }
}
