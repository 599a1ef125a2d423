package dev.hearth.drivers;

/** The argument types of driver methods (spec 1.3); {@link #wireName()} is how {@code list-interfaces} names them. */
public enum ParamType {
    /** Any value but {@code null} becomes its JavaScript string form ({@code 5} → {@code "5"}). */
    STRING("string"),
    /** Truthiness; absent is {@code false}. */
    FLAG("flag"),
    /** A JSON number; anything else is {@code field_invalid}. */
    NUMBER("number"),
    /** Any JSON value, optionally of one JSON type ({@link Param#subtype()}). */
    JSON("json"),
    /** A file: a multipart upload, a {@code data:} URL, or a reference resolved by a {@link spi.DriverFileResolver}. */
    FILE("file");

    private final String wireName;

    ParamType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
