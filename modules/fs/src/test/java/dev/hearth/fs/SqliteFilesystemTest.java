package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.hearth.core.Database;
import dev.hearth.kernel.Config;

/** The filesystem contract on SQLite, plus the large-scale checks (one engine is enough for those). */
class SqliteFilesystemTest extends FilesystemContract {

    @Override
    Config config(Path dataDir) {
        return TestConfig.of(dataDir);
    }

    @Test
    void theStorageDirectoryIsConfigurableAndBadSettingsFailTheBootNamingTheKey() throws Exception {
        boot(config(dataDir).with("services.filesystem.storage_dir", "blobs"));
        Entry e = write(alice, "/alice/x", "x");
        assertThat(dataDir.resolve("blobs").resolve(e.uuid())).hasContent("x");

        kernel.shutdown();
        kernel = null;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> boot(config(dataDir)
                        .with("services.filesystem.storage_capacity", -5)))
                .hasMessageContaining("services.filesystem.storage_capacity");
        kernel = null;
    }

    @Test
    void aFolderOf100000EntriesIsListedInBoundedPages() throws Exception {
        Entry dir = mkdirp("/alice/Documents/big");
        int n = 100_000;
        Database db = kernel.services().get(Database.class);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO fsentries (uuid, parent_uid, user_id, name, path,"
                    + " is_dir, size, created, modified, accessed) VALUES (?, ?, 1, ?, ?, 0, 0, 1, 1, 1)")) {
                for (int i = 0; i < n; i++) {
                    String name = "f" + (n - i); // creation order differs from name order
                    s.setString(1, UUID.randomUUID().toString());
                    s.setString(2, dir.uuid());
                    s.setString(3, name);
                    s.setString(4, "/alice/Documents/big/" + name);
                    s.addBatch();
                    if (i % 10_000 == 9_999) {
                        s.executeBatch();
                    }
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }

        int pages = 0;
        long after = 0;
        int seen = 0;
        while (true) {
            Page page = fs.readdirPage(alice, NodeRef.uid(dir.uuid()), after, 1000);
            assertThat(page.entries()).hasSizeLessThanOrEqualTo(1000);
            if (!page.entries().isEmpty()) {
                assertThat(page.entries().getFirst().name()).isEqualTo("f" + (n - seen));
            }
            seen += page.entries().size();
            pages++;
            if (page.next().isEmpty()) {
                break;
            }
            after = page.next().getAsLong();
        }
        assertThat(seen).isEqualTo(n);
        assertThat(pages).isBetween(100, 101);

        long[] last = {Long.MIN_VALUE};
        long count = fs.readdir(alice, p("/alice/Documents/big")).peek(e -> {
            assertThat(e.id()).isGreaterThan(last[0]);
            last[0] = e.id();
        }).count();
        assertThat(count).isEqualTo(n);
    }

    @Test
    void aLargeFileStreamsThroughInBoundedMemory() throws Exception {
        // The test JVM has a heap of under 256 MiB (see the pom): holding the content would fail.
        long size = 256L * 1024 * 1024;
        Generated upload = new Generated(size, 42);
        Entry e = fs.write(alice, WriteRequest.overwrite(p("/alice/Videos/big.bin"), size), upload);
        assertThat(e.size()).contains(size);
        String written = upload.sha256();

        FileContent content = fs.read(alice, p("/alice/Videos/big.bin"));
        assertThat(content.length()).isEqualTo(size);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = content.open(0, size)) {
            byte[] buffer = new byte[64 * 1024];
            int r;
            while ((r = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, r);
            }
        }
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(written);

        // A range from the middle matches the generator at that offset.
        Generated again = new Generated(size, 42);
        again.skipNBytes(100_000_000);
        byte[] expected = again.readNBytes(1000);
        try (InputStream in = content.open(100_000_000, 1000)) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }

    /** Deterministic pseudo-random bytes, generated as they are read, hashed on the way. */
    static final class Generated extends InputStream {
        private final Random random;
        private final MessageDigest digest;
        private long remaining;

        Generated(long size, long seed) throws NoSuchAlgorithmException {
            this.random = new Random(seed);
            this.remaining = size;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            digest.update(chunk);
            remaining -= n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
