package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Content that can be read from any offset: a file on disk, an object in a blob store, a byte array. This is
 * what {@link Response#serve(ByteSource)} needs to answer {@code Range} requests without reading more than it
 * sends.
 */
public interface ByteSource {

    /** The exact length in bytes. */
    long length();

    /** The media type to send, e.g. {@code text/html; charset=utf-8}. */
    String contentType();

    /** A strong entity tag, with its quotes (e.g. {@code "5f-18c2"}), if the source has one. */
    default Optional<String> etag() {
        return Optional.empty();
    }

    default Optional<Instant> lastModified() {
        return Optional.empty();
    }

    /**
     * Opens the bytes {@code [offset, offset + length)}. The stream must not yield more than {@code length}
     * bytes; the caller closes it.
     */
    InputStream open(long offset, long length) throws IOException;

    /**
     * A file on disk; its entity tag and last-modified date come from its size and modification time. The web
     * module streams such a source straight from the file.
     */
    static ByteSource of(Path file, String contentType) throws IOException {
        return FileSource.of(file, contentType);
    }

    /** Bytes in memory (small content only). */
    static ByteSource of(byte[] bytes, String contentType) {
        return new BytesSource(bytes.clone(), contentType);
    }
}
