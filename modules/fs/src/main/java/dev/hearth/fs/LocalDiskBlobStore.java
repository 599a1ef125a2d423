package dev.hearth.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Predicate;

import dev.hearth.fs.spi.BlobStore;

/**
 * The default {@link BlobStore}: a flat directory with one file per key ({@code <storage_dir>/<key>}), the
 * layout of Puter's legacy local storage. A write goes to a temporary file in the same directory (named with a
 * leading dot, which no key has) and is moved over the target atomically once complete, so readers see the old
 * object or the new one, never a partial one; a reader that opened the old file keeps reading it. The content is
 * flushed to the disk before the move and the directory after it, so an object that a committed row names survives a
 * crash of the process or the machine (the row is committed after {@link #write} returns).
 *
 * <p>Boot clean-up: temporary files are removed when the store opens; objects that no row names (a crash between
 * storing content and committing its row, or before deleting replaced content) are removed by
 * {@link #sweep}, which the filesystem calls before the server accepts requests.
 */
public final class LocalDiskBlobStore implements BlobStore {

    private static final int BUFFER = 64 * 1024;

    private final Path dir;

    public LocalDiskBlobStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir.toAbsolutePath().normalize());
        // Temporary files of writes that a crash interrupted.
        try (var leftovers = Files.newDirectoryStream(this.dir, ".tmp-*")) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public long write(String key, InputStream content, long expectedLength) throws IOException {
        Path target = file(key);
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        boolean done = false;
        try {
            long count = 0;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = content.read(buffer)) >= 0) {
                    count += n;
                    if (expectedLength >= 0 && count > expectedLength) {
                        throw new LengthMismatchException(expectedLength, -1);
                    }
                    out.write(buffer, 0, n);
                }
                channel.force(false);
            }
            if (expectedLength >= 0 && count != expectedLength) {
                throw new LengthMismatchException(expectedLength, count);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
            done = true;
            return count;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative");
        }
        SeekableByteChannel channel = Files.newByteChannel(file(key), StandardOpenOption.READ);
        try {
            channel.position(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new BoundedInputStream(Channels.newInputStream(channel), length);
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        try {
            return OptionalLong.of(Files.size(file(key)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(file(key));
    }

    @Override
    public void copy(String sourceKey, String targetKey) throws IOException {
        Path source = file(sourceKey);
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.copy(source, tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(false);
            }
            Files.move(tmp, file(targetKey), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Removes the objects that {@code referenced} does not know and that were last modified before {@code before}
     * (content stored since then may belong to a write whose row is not committed yet). Keys that are not valid
     * blob keys (other files an operator put there) are left alone.
     *
     * @return the number of objects removed
     */
    public int sweep(Predicate<String> referenced, Instant before) throws IOException {
        int removed = 0;
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String key = p.getFileName().toString();
                if (!isKey(key) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        || !Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)
                        || referenced.test(key)) {
                    continue;
                }
                if (Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean isKey(String key) {
        try {
            BlobStore.checkKey(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Makes the directory's entries (a move just done) durable. */
    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some filesystems do not let a directory be opened or flushed; the content itself was flushed.
        }
    }

    private Path file(String key) {
        return dir.resolve(BlobStore.checkKey(key));
    }

    /** At most {@code remaining} bytes of a stream. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
