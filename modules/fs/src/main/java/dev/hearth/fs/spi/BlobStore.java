package dev.hearth.fs.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Where file content lives: opaque objects addressed by a key (the filesystem uses UUIDs). Local disk is the
 * default; {@code storage-s3} provides an S3 implementation. A module contributes one by registering a service
 * that implements this interface; the filesystem uses it instead of the local disk.
 *
 * <p>Rules every implementation follows (the contract test {@code BlobStoreContract} checks them):
 * <ul>
 *   <li>{@link #write} streams in bounded memory, counts the bytes and, when the count differs from the expected
 *       length, fails with {@link LengthMismatchException}. A write that fails for any reason leaves nothing
 *       visible under the key: either the previous object stays, or there is none. A successful write replaces
 *       the object atomically.</li>
 *   <li>{@link #open} serves byte ranges; ranges past the end are cut at the end.</li>
 *   <li>Keys are {@code [A-Za-z0-9._-]}, 1 to 200 characters, not starting with a dot.</li>
 * </ul>
 */
public interface BlobStore {

    /**
     * Stores the bytes of {@code content} under {@code key}, replacing any previous object.
     *
     * @param expectedLength the number of bytes the stream must deliver, or -1 to accept any length
     * @return the number of bytes stored
     * @throws LengthMismatchException if the stream delivered a different number of bytes (nothing is stored)
     */
    long write(String key, InputStream content, long expectedLength) throws IOException;

    /**
     * Opens bytes {@code [offset, offset + length)} of an object; fewer if the object is shorter.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such object
     */
    InputStream open(String key, long offset, long length) throws IOException;

    /** The object's length, if it exists. */
    OptionalLong size(String key) throws IOException;

    /** Removes the object; returns false if there was none. */
    boolean delete(String key) throws IOException;

    /**
     * Copies an object without passing its bytes through the caller (a server-side copy where the store can).
     *
     * @throws java.nio.file.NoSuchFileException if there is no source object
     */
    void copy(String sourceKey, String targetKey) throws IOException;

    /** Thrown by {@link BlobStore#write} when the stream's length is not the one announced. */
    final class LengthMismatchException extends IOException {
        private final long expected;
        private final long actual;

        public LengthMismatchException(long expected, long actual) {
            super("expected " + expected + " bytes, received " + (actual < 0 ? "more" : actual));
            this.expected = expected;
            this.actual = actual;
        }

        public long expected() {
            return expected;
        }

        /** What was received; -1 when the stream went on past the expected length (it was not read to the end). */
        public long actual() {
            return actual;
        }
    }

    /** Checks a key against the rules above. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 200 || key.charAt(0) == '.'
                || !key.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'))) {
            throw new IllegalArgumentException("not a blob key: " + key);
        }
        return key;
    }
}
