package dev.hearth.drivers;

import java.util.Objects;
import java.util.Optional;

/**
 * A declared parameter of a driver method. Only declared parameters reach a driver; of the flags only
 * {@link #required()} is enforced by the driver layer, as upstream.
 *
 * @param subtype for {@link ParamType#JSON}: the JSON type the value must have ({@code object}, {@code array},
 *                {@code string}, {@code number}, {@code boolean}); {@code null} is always allowed
 * @param nullIsAbsent for optional {@link ParamType#NUMBER}s: a JSON {@code null} counts as absent rather than invalid
 *                     (Hearth's fix for puter.js sending {@code expireAt: null}, spec 3.3)
 * @param unsigned for {@link ParamType#NUMBER}: negative numbers are invalid
 */
public record Param(String name, ParamType type, boolean required, Optional<String> subtype, boolean nullIsAbsent,
        boolean unsigned, String description) {

    public Param {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(subtype);
        Objects.requireNonNull(description);
    }

    public static Param of(String name, ParamType type) {
        return new Param(name, type, false, Optional.empty(), false, false, "");
    }

    public static Param string(String name) {
        return of(name, ParamType.STRING);
    }

    public static Param flag(String name) {
        return of(name, ParamType.FLAG);
    }

    public static Param number(String name) {
        return of(name, ParamType.NUMBER);
    }

    public static Param json(String name) {
        return of(name, ParamType.JSON);
    }

    public static Param file(String name) {
        return of(name, ParamType.FILE);
    }

    public Param asRequired() {
        return new Param(name, type, true, subtype, nullIsAbsent, unsigned, description);
    }

    public Param subtype(String jsonType) {
        return new Param(name, type, required, Optional.of(jsonType), nullIsAbsent, unsigned, description);
    }

    public Param nullAsAbsent() {
        return new Param(name, type, required, subtype, true, unsigned, description);
    }

    public Param unsignedNumber() {
        return new Param(name, type, required, subtype, nullIsAbsent, true, description);
    }

    public Param describedAs(String text) {
        return new Param(name, type, required, subtype, nullIsAbsent, unsigned, text);
    }
}
