package dev.hearth.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.fs.spi.BlobStore;
import dev.hearth.fs.spi.DirectUploads;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The {@code s3} service: a {@link BlobStore} on any S3-compatible object store, and {@link DirectUploads} through
 * presigned URLs. Registered only when {@code services.s3.bucket} is set (see {@link S3Settings}); the filesystem
 * then keeps its content here instead of on the local disk.
 *
 * <p>Writes: a body of at most one part ({@code part_size_mb}) is read into memory, checked against the announced
 * length and sent in one {@code PutObject}, which the SDK may retry. A longer body goes as a multipart upload, one
 * part buffer at a time, and is aborted when the source fails or delivers a length other than the announced one:
 * S3 shows an object only once it is complete, so a failed write leaves the previous object or none. Memory per
 * write is therefore one part, whatever the size. A single streamed {@code PutObject} for known lengths was tried
 * and left out: over plain HTTP without {@code aws-chunked} bodies (the compat switch) the SDK signs the payload's
 * hash and so reads the body twice, which a one-pass upload stream cannot give; parts also retry one by one.
 *
 * <p>{@link #delete} answers whether there was an object, which S3's {@code DeleteObject} does not say: it asks
 * with {@code HeadObject} first (the answer may be stale under a concurrent delete; the object is gone either way).
 */
final class S3BlobStore implements Service, BlobStore, DirectUploads {

    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

    /** The largest object {@code CopyObject} copies in one request; larger ones are copied part by part. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    /** S3 numbers parts from 1 to 10 000. */
    private static final int MAX_PARTS = 10_000;

    /** S3's error codes for a completion whose part list is not what was uploaded. */
    private static final Set<String> REJECTED_PARTS = Set.of("InvalidPart", "InvalidPartOrder", "EntityTooSmall");

    private final S3Settings settings;
    private final AwsCredentialsProvider credentials;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final long maxSingleCopy;

    S3BlobStore(ServiceContext context) {
        this(context.settings(S3Settings.class), MAX_SINGLE_COPY);
    }

    /** {@code maxSingleCopy}: where copies switch to parts (lower in tests). */
    S3BlobStore(S3Settings settings, long maxSingleCopy) {
        this.settings = settings;
        this.maxSingleCopy = maxSingleCopy;
        this.credentials = settings.accessKeyId().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(),
                        settings.secretAccessKey()));
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.compat())
                .chunkedEncodingEnabled(!settings.compat()).build();
        S3ClientBuilder client = S3Client.builder().region(Region.of(settings.region())).credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)).build());
        if (settings.compat()) {
            client.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        settings.endpointUri().ifPresent(client::endpointOverride);
        this.s3 = client.build();
        S3Presigner.Builder presign = S3Presigner.builder().region(Region.of(settings.region()))
                .credentialsProvider(credentials).serviceConfiguration(s3Config);
        settings.endpointUri().ifPresent(presign::endpointOverride);
        this.presigner = presign.build();
    }

    /** The bucket must be reachable: a boot that would fail at the first upload fails now, naming the key. */
    @Override
    public void init() {
        if (settings.accessKeyId().isEmpty()) {
            try {
                credentials.resolveCredentials();
            } catch (SdkException e) {
                throw ConfigException.invalid("services.s3.access_key_id", "", "an access key (with "
                        + "services.s3.secret_access_key), or credentials the SDK finds by itself in the environment, "
                        + "a profile or an instance role (it found none: " + e.getMessage() + ")");
            }
        }
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            String why = "HTTP " + status(e);
            if (e.statusCode() == 403 || e.statusCode() == 401) {
                throw ConfigException.invalid("services.s3.access_key_id", settings.accessKeyId(),
                        "credentials that may use the bucket '" + settings.bucket() + "' (the server answered " + why
                                + "; the secret is services.s3.secret_access_key)");
            }
            throw ConfigException.invalid("services.s3.bucket", settings.bucket(),
                    "an existing bucket (the server answered " + why + "; Hearth does not create buckets)");
        } catch (SdkException e) {
            throw ConfigException.invalid("services.s3.endpoint", settings.endpoint(),
                    "the URL of a reachable S3 server (" + e.getMessage() + ")");
        }
    }

    @Override
    public void shutdown() {
        presigner.close();
        s3.close();
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("closing the credentials provider failed", e);
            }
        }
    }

    /** Where the content goes, for the filesystem's boot log line: no credentials. */
    @Override
    public String toString() {
        return settings.describe();
    }

    // ---------------------------------------------------------------------------------------------------------
    // BlobStore

    @Override
    public long write(String key, InputStream content, long expectedLength) throws IOException {
        String k = objectKey(key);
        int partSize = partSize(expectedLength);
        int limit = (int) Math.min(partSize, expectedLength < 0 ? partSize : expectedLength + 1);
        // Read as the bytes come rather than into a part-sized array: a small body of unknown length (most are)
        // must not hold a whole part, or many concurrent small writes exhaust the heap.
        byte[] first = content.readNBytes(limit);
        int n = first.length;
        if (n < limit || expectedLength >= 0 && expectedLength < partSize) {
            // The whole body is in memory: check it, then one request.
            if (expectedLength >= 0 && n != expectedLength) {
                throw new LengthMismatchException(expectedLength, n > expectedLength ? -1 : n);
            }
            put(k, first, n);
            return n;
        }
        return writeInParts(k, first, content, expectedLength);
    }

    private void put(String k, byte[] bytes, int length) throws IOException {
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(k).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream"));
        } catch (SdkException e) {
            throw failure("write", k, e);
        }
    }

    /** A multipart upload of a body that begins with the full part {@code buffer}; the buffer is reused. */
    private long writeInParts(String k, byte[] buffer, InputStream content, long expectedLength) throws IOException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(k)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw failure("write", k, e);
        }
        boolean complete = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int n = buffer.length;
            while (true) {
                total += n;
                if (expectedLength >= 0 && total > expectedLength) {
                    throw new LengthMismatchException(expectedLength, -1);
                }
                int partNumber = parts.size() + 1;
                if (partNumber > MAX_PARTS) {
                    throw new IOException("the content is longer than " + MAX_PARTS + " parts of " + buffer.length
                            + " bytes (services.s3.part_size_mb)");
                }
                parts.add(uploadPart(k, uploadId, partNumber, buffer, n));
                if (n < buffer.length) {
                    break;
                }
                n = content.readNBytes(buffer, 0, buffer.length);
                if (n == 0) {
                    break;
                }
            }
            if (expectedLength >= 0 && total != expectedLength) {
                throw new LengthMismatchException(expectedLength, total);
            }
            complete(k, uploadId, parts);
            complete = true;
            return total;
        } finally {
            if (!complete) {
                abortQuietly(k, uploadId);
            }
        }
    }

    private CompletedPart uploadPart(String k, String uploadId, int partNumber, byte[] bytes, int length)
            throws IOException {
        try {
            String etag = s3.uploadPart(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId)
                            .partNumber(partNumber).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        } catch (SdkException e) {
            throw failure("write", k, e);
        }
    }

    private void complete(String k, String uploadId, List<CompletedPart> parts) throws IOException {
        try {
            s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            throw failure("complete", k, e);
        }
    }

    private void abortQuietly(String k, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId));
        } catch (SdkException e) {
            // Invisible either way; a bucket lifecycle rule for incomplete uploads frees what is left.
            log.warn("the multipart upload {} of {} could not be aborted: {}", uploadId, k, e.getMessage());
        }
    }

    /**
     * The part size for a body: the configured one, or larger when a known length would need more than the 10 000
     * parts S3 allows.
     */
    private int partSize(long expectedLength) {
        long needed = expectedLength < 0 ? 0 : (expectedLength + MAX_PARTS - 1) / MAX_PARTS;
        return (int) Math.min(Math.max(settings.partSize(), needed), Integer.MAX_VALUE - 16);
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative");
        }
        String k = objectKey(key);
        if (length == 0) {
            head(k);
            return InputStream.nullInputStream();
        }
        // An HTTP range names its last byte; past the object's end S3 cuts it, and a first byte past the end is 416.
        String range = offset == 0 && length == Long.MAX_VALUE ? null
                : "bytes=" + offset + "-" + (length > Long.MAX_VALUE - offset ? "" : offset + length - 1);
        try {
            return s3.getObject(b -> b.bucket(settings.bucket()).key(k).range(range));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                head(k);
                return InputStream.nullInputStream();
            }
            throw failure("read", k, e);
        } catch (SdkException e) {
            throw failure("read", k, e);
        }
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        String k = objectKey(key);
        try {
            return OptionalLong.of(head(k).contentLength());
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        String k = objectKey(key);
        try {
            head(k);
        } catch (NoSuchFileException e) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(k));
            return true;
        } catch (SdkException e) {
            throw failure("delete", k, e);
        }
    }

    @Override
    public void copy(String sourceKey, String targetKey) throws IOException {
        String from = objectKey(sourceKey);
        String to = objectKey(targetKey);
        long size = head(from).contentLength();
        if (size <= maxSingleCopy) {
            try {
                s3.copyObject(b -> b.sourceBucket(settings.bucket()).sourceKey(from)
                        .destinationBucket(settings.bucket()).destinationKey(to));
            } catch (NoSuchKeyException e) {
                throw new NoSuchFileException(sourceKey);
            } catch (SdkException e) {
                throw failure("copy", from, e);
            }
            return;
        }
        copyInParts(from, to, size);
    }

    /** {@code UploadPartCopy} in ranges: S3 copies at most 5 GiB per request. */
    private void copyInParts(String from, String to, long size) throws IOException {
        long partSize = Math.max(maxSingleCopy, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(to)).uploadId();
        } catch (SdkException e) {
            throw failure("copy", from, e);
        }
        boolean complete = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(offset + partSize, size) - 1);
                try {
                    String etag = s3.uploadPartCopy(b -> b.sourceBucket(settings.bucket()).sourceKey(from)
                            .destinationBucket(settings.bucket()).destinationKey(to).uploadId(uploadId)
                            .partNumber(partNumber).copySourceRange(range)).copyPartResult().eTag();
                    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                } catch (SdkException e) {
                    throw failure("copy", from, e);
                }
            }
            complete(to, uploadId, parts);
            complete = true;
        } finally {
            if (!complete) {
                abortQuietly(to, uploadId);
            }
        }
    }

    private HeadObjectResponse head(String k) throws IOException {
        try {
            return s3.headObject(b -> b.bucket(settings.bucket()).key(k));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(k);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(k);
            }
            throw failure("read", k, e);
        } catch (SdkException e) {
            throw failure("read", k, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // DirectUploads

    @Override
    public URI presignPut(String key, long size, String contentType, Duration ttl) {
        String k = objectKey(key);
        checkSize(size);
        return uri(presigner.presignPutObject(p -> p.signatureDuration(ttl).putObjectRequest(b -> b
                .bucket(settings.bucket()).key(k).contentLength(size).contentType(contentType))).url());
    }

    @Override
    public String startMultipart(String key, String contentType) throws IOException {
        String k = objectKey(key);
        try {
            return s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(k).contentType(contentType))
                    .uploadId();
        } catch (SdkException e) {
            throw failure("start an upload to", k, e);
        }
    }

    @Override
    public URI presignPart(String key, String uploadId, int partNumber, long size, Duration ttl) {
        String k = objectKey(key);
        checkSize(size);
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw new IllegalArgumentException("part numbers are 1 to " + MAX_PARTS + ": " + partNumber);
        }
        return uri(presigner.presignUploadPart(p -> p.signatureDuration(ttl).uploadPartRequest(b -> b
                .bucket(settings.bucket()).key(k).uploadId(uploadId).partNumber(partNumber).contentLength(size)))
                .url());
    }

    @Override
    public void completeMultipart(String key, String uploadId, List<UploadedPart> parts) throws IOException {
        String k = objectKey(key);
        try {
            complete(k, uploadId, parts.stream()
                    .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build()).toList());
        } catch (IOException e) {
            // S3 refuses a part list that does not match what was uploaded with 400 and one of these codes; the
            // upload stays as it was. Anything else is the store's own failure.
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 400 && s3e.awsErrorDetails() != null
                    && REJECTED_PARTS.contains(s3e.awsErrorDetails().errorCode())) {
                throw new PartsRejectedException("S3 refused the parts of " + k + ": "
                        + s3e.awsErrorDetails().errorCode(), e);
            }
            throw e;
        }
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws IOException {
        String k = objectKey(key);
        try {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // nothing to free
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("abort an upload to", k, e);
            }
        } catch (SdkException e) {
            throw failure("abort an upload to", k, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private String objectKey(String key) {
        return settings.prefix() + BlobStore.checkKey(key);
    }

    private static void checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a size must not be negative: " + size);
        }
    }

    private static URI uri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL", e);
        }
    }

    /** {@code 404 NoSuchBucket}; just the status for answers without a body (to {@code HEAD}). */
    private static String status(S3Exception e) {
        String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : "";
        return e.statusCode() + (code.isEmpty() ? "" : " " + code);
    }

    /** An SDK failure as the IOException the BlobStore contract speaks; the message has no credentials. */
    private IOException failure(String action, String k, SdkException e) {
        String what = e instanceof S3Exception s3e ? "HTTP " + status(s3e) : e.getMessage();
        return new IOException("S3 could not " + action + " " + k + ": " + what, e);
    }
}
