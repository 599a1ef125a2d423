package dev.hearth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * A 1 GiB stream of unknown length written through the store under the test JVM's 192 MiB heap (surefire's
 * {@code -Xmx192m}): it cannot be held whole, and the store holds one 8 MiB part at a time. The peak heap is
 * printed as a measurement.
 */
class S3LargeWriteTest {

    private static final long GIB = 1L << 30;

    @Test
    void aGibibyteOfUnknownLengthWritesInBoundedMemory() throws IOException {
        S3TestServer server = S3TestServer.shared();
        String prefix = "big-" + UUID.randomUUID();
        S3BlobStore store = new S3BlobStore(server.settings(prefix), S3BlobStore.MAX_SINGLE_COPY);
        String key = "gib";
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        try {
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long started = System.nanoTime();
            assertThat(store.write(key, pattern(GIB), -1)).isEqualTo(GIB);
            long millis = (System.nanoTime() - started) / 1_000_000;
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("[s3] 1 GiB of unknown length written in %d ms (%.0f MiB/s); peak heap %d MiB of %d MiB%n",
                    millis, 1024.0 * 1000 / Math.max(1, millis), peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
            assertThat(Runtime.getRuntime().maxMemory()).isLessThan(GIB / 4);

            assertThat(store.size(key)).hasValue(GIB);
            try (InputStream in = store.open(key, GIB - 300, 1000)) {
                byte[] tail = in.readAllBytes();
                assertThat(tail).hasSize(300);
                for (int i = 0; i < tail.length; i++) {
                    assertThat(tail[i]).isEqualTo(byteAt(GIB - 300 + i));
                }
            }
            assertThat(server.pendingUploads()).noneMatch(u -> u.contains(prefix));
        } finally {
            store.delete(key);
            store.shutdown();
        }
    }

    private static byte byteAt(long position) {
        return (byte) (position % 251);
    }

    /** {@code length} bytes of a pattern that shows misplaced parts, generated as read. */
    private static InputStream pattern(long length) {
        return new InputStream() {
            long position;

            @Override
            public int read() {
                return position < length ? byteAt(position++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = byteAt(position++);
                }
                return n;
            }
        };
    }
}
