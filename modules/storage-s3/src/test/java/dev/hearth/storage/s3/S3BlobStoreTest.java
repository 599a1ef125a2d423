package dev.hearth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hearth.fs.spi.BlobStore;
import dev.hearth.fs.spi.BlobStoreContract;

/**
 * The BlobStore contract on S3 (s3rver), each test under a prefix of its own; then what only S3 has: writes in
 * parts, aborted uploads, the prefix.
 */
class S3BlobStoreTest extends BlobStoreContract {

    private static final int MIB = 1024 * 1024;

    private final S3TestServer server = S3TestServer.shared();
    private String prefix;
    private S3BlobStore s3;

    @Override
    protected BlobStore newStore() {
        prefix = "t-" + UUID.randomUUID() + "/";
        s3 = new S3BlobStore(server.settings(prefix), S3BlobStore.MAX_SINGLE_COPY);
        return s3;
    }

    @AfterEach
    void close() {
        s3.shutdown();
    }

    @Test
    void keysGoUnderThePrefix() throws IOException {
        String k = key();
        store.write(k, InputStream.nullInputStream(), 0);
        assertThat(server.bucketDirectory().resolve(prefix.substring(0, prefix.length() - 1))).isDirectory();
        assertThat(store.size(k)).hasValue(0);
    }

    @Test
    void aLongStreamOfUnknownLengthGoesInPartsAndReadsBackTheSame() throws Exception {
        long length = 12L * MIB + 12_345; // two parts of 8 MiB, the second short
        String k = key();
        byte[] written = digest(randomBytes(length, 1), stream -> assertThat(store.write(k, stream, -1)).isEqualTo(length));
        assertThat(store.size(k)).hasValue(length);
        try (InputStream in = store.open(k, 0, Long.MAX_VALUE)) {
            assertThat(digestOf(in)).isEqualTo(written);
        }
        try (InputStream in = store.open(k, 8L * MIB - 2, 4)) {
            byte[] expected = randomBytes(length, 1).readNBytes(8 * MIB + 2);
            assertThat(in.readAllBytes()).containsExactly(java.util.Arrays.copyOfRange(expected, 8 * MIB - 2, 8 * MIB + 2));
        }
        assertThat(server.pendingUploads()).noneMatch(u -> u.contains(prefix));
    }

    @Test
    void aKnownLengthOfSeveralPartsIsCheckedAndAMismatchAbortsTheUpload() throws Exception {
        long length = 9L * MIB;
        String k = key();
        assertThat(store.write(k, randomBytes(length, 2), length)).isEqualTo(length);
        assertThat(store.size(k)).hasValue(length);

        String shorter = key();
        assertThatThrownBy(() -> store.write(shorter, randomBytes(length - 1, 3), length))
                .isInstanceOf(BlobStore.LengthMismatchException.class)
                .satisfies(e -> assertThat(((BlobStore.LengthMismatchException) e).actual()).isEqualTo(length - 1));
        String longer = key();
        assertThatThrownBy(() -> store.write(longer, randomBytes(length + 1, 3), length))
                .isInstanceOf(BlobStore.LengthMismatchException.class);
        assertThat(store.size(shorter)).isEmpty();
        assertThat(store.size(longer)).isEmpty();
        assertThat(server.pendingUploads()).noneMatch(u -> u.contains(prefix));
    }

    @Test
    void aSourceThatFailsAfterTheFirstPartLeavesNothingAndNoUpload() throws IOException {
        String k = key();
        InputStream failing = new InputStream() {
            long n;

            @Override
            public int read() throws IOException {
                if (n++ < 9L * MIB) {
                    return 7;
                }
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> store.write(k, failing, -1)).hasMessageContaining("connection reset");
        assertThat(store.size(k)).isEmpty();
        assertThat(server.pendingUploads()).noneMatch(u -> u.contains(prefix));
    }

    @Test
    void anObjectAboveTheSingleCopyLimitIsCopiedInParts() throws Exception {
        S3BlobStore small = new S3BlobStore(server.settings(prefix), 4); // parts of 4 bytes stand for 5 GiB ones
        try {
            String a = key();
            String b = key();
            small.write(a, new java.io.ByteArrayInputStream("0123456789".getBytes()), 10);
            small.copy(a, b);
            try (InputStream in = small.open(b, 0, 100)) {
                assertThat(new String(in.readAllBytes())).isEqualTo("0123456789");
            }
            assertThat(server.pendingUploads()).noneMatch(u -> u.contains(prefix));
            assertThatThrownBy(() -> small.copy(key(), b)).isInstanceOf(java.nio.file.NoSuchFileException.class);
        } finally {
            small.shutdown();
        }
    }

    @Test
    void theSecretIsNeverPrinted() {
        S3Settings settings = new S3Settings("b", null, "http://127.0.0.1:1", "AKIDEXAMPLE", "wJalrXUtnFEMI-secret",
                "p", false, null);
        assertThat(settings.toString()).doesNotContain("wJalrXUtnFEMI-secret").contains("secret_access_key=********");
        assertThat(settings.describe()).doesNotContain("wJalrXUtnFEMI-secret").doesNotContain("AKIDEXAMPLE");
        assertThat(s3.toString()).doesNotContain(S3TestServer.SECRET_KEY).contains(S3TestServer.BUCKET);
    }

    // helpers

    /** {@code length} pseudo-random bytes from {@code seed}, generated as they are read. */
    static InputStream randomBytes(long length, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            long left = length;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
    }

    interface StreamConsumer {
        void accept(InputStream in) throws Exception;
    }

    static byte[] digest(InputStream in, StreamConsumer consumer) throws Exception {
        DigestInputStream d = new DigestInputStream(in, sha256());
        consumer.accept(d);
        return d.getMessageDigest().digest();
    }

    static byte[] digestOf(InputStream in) throws IOException {
        DigestInputStream d = new DigestInputStream(in, sha256());
        d.transferTo(java.io.OutputStream.nullOutputStream());
        return d.getMessageDigest().digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
