package dev.hearth.drivers;

import java.io.InputStream;
import java.util.Objects;

/**
 * What a driver method returns (spec 1.5): a JSON value (in the envelope's {@code result}), nothing (the envelope
 * without {@code result}), a raw stream or bytes the driver writes (no envelope: the bytes with their content type,
 * e.g. NDJSON or audio), or a bare JSON value (no envelope: a typed value's value, such as a URL string).
 */
public sealed interface DriverResult {

    /** A value serialisable by Hearth's JSON mapper (a {@code JsonNode}, a map, a list, a string, a number...). */
    record Value(Object value) implements DriverResult {}

    /** No result: the envelope carries no {@code result} field. */
    record Empty() implements DriverResult {}

    /**
     * Raw bytes with {@code contentType}, sent without an envelope; {@code length} negative when unknown (chunked).
     * Streams are not retried by clients once started.
     */
    record Stream(String contentType, long length, InputStream body) implements DriverResult {
        public Stream {
            Objects.requireNonNull(contentType);
            Objects.requireNonNull(body);
        }
    }

    /**
     * Bytes the driver writes itself, with {@code contentType} and no envelope: for streams produced as they go, such
     * as NDJSON chat deltas. The writer flushes whenever a client should see what was written (after each line).
     */
    record Written(String contentType, BodyWriter writer) implements DriverResult {
        public Written {
            Objects.requireNonNull(contentType);
            Objects.requireNonNull(writer);
        }
    }

    /** Writes a response body. */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }

    /** A JSON value sent as the whole body, without an envelope. */
    record Bare(Object value) implements DriverResult {}

    static DriverResult of(Object value) {
        return new Value(value);
    }

    static DriverResult empty() {
        return new Empty();
    }
}
