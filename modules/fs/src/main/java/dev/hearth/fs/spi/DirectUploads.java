package dev.hearth.fs.spi;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A {@link BlobStore} that clients can upload to directly, without the bytes passing through Hearth: an object
 * store with presigned URLs (S3). puter.js 2.6.3's signed batch-write flow ({@code /fs/startBatchWrite}) uses
 * it when the store implements it; otherwise Hearth hands out URLs to its own upload route.
 *
 * <p>Presigned URLs bind the key, the exact byte count and an expiry: a client cannot write elsewhere, more, or
 * later. Objects written through them are invisible to users until the filesystem commits an entry that
 * points at them, so a key here is always a fresh one, never a live entry's.
 */
public interface DirectUploads {

    /** A URL accepting one {@code PUT} of exactly {@code size} bytes to {@code key}, valid for {@code ttl}. */
    URI presignPut(String key, long size, String contentType, Duration ttl) throws IOException;

    /** Starts a multipart upload to {@code key}; returns the store's upload id. */
    String startMultipart(String key, String contentType) throws IOException;

    /** A URL accepting one {@code PUT} of part {@code partNumber} (1-based) of exactly {@code size} bytes. */
    URI presignPart(String key, String uploadId, int partNumber, long size, Duration ttl) throws IOException;

    /**
     * Assembles the parts into the object under {@code key}; parts are in ascending part number order.
     *
     * @throws PartsRejectedException if the store refuses the parts as the client reported them: one was never
     *     uploaded, its ETag is not the stored part's, a part but the last is too small (the client's mistake, not
     *     the store's failure)
     */
    void completeMultipart(String key, String uploadId, List<UploadedPart> parts) throws IOException;

    /** Abandons a multipart upload and frees its parts; does nothing if there is no such upload. */
    void abortMultipart(String key, String uploadId) throws IOException;

    /** A part as the client reports it after its {@code PUT}: its number and the {@code ETag} the store answered. */
    record UploadedPart(int partNumber, String etag) {}

    /** Thrown by {@link #completeMultipart} when the parts named are not the parts the store holds. */
    final class PartsRejectedException extends IOException {
        public PartsRejectedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
