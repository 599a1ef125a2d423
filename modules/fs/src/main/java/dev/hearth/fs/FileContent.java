package dev.hearth.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import dev.hearth.fs.spi.BlobStore;
import dev.hearth.web.ByteSource;

/**
 * A file's content as the web module serves it, with {@code Range} support: the length and the entity tag are
 * those of the content the entry pointed to when it was read. The entity tag is the content's blob key, which
 * changes with every overwrite. If an overwrite replaced the content between the read of the entry and the
 * opening of the stream, the stream is opened on the new content only when it has the same length (the caller
 * has already announced it); otherwise the read fails like a vanished file.
 */
public final class FileContent implements ByteSource {

    private final Entry entry;
    private final BlobStore store;
    private final Supplier<Optional<Entry>> reread;

    FileContent(Entry entry, BlobStore store, Supplier<Optional<Entry>> reread) {
        this.entry = entry;
        this.store = store;
        this.reread = reread;
    }

    public Entry entry() {
        return entry;
    }

    @Override
    public long length() {
        return entry.size().orElse(0L);
    }

    /** {@code /read} sends bytes as {@code application/octet-stream} (filesystem.md 3.6). */
    @Override
    public String contentType() {
        return "application/octet-stream";
    }

    @Override
    public Optional<String> etag() {
        return entry.blobKey().map(k -> "\"" + k + "\"");
    }

    @Override
    public Optional<Instant> lastModified() {
        return Optional.of(Instant.ofEpochSecond(entry.modified()));
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        if (entry.blobKey().isEmpty()) {
            return InputStream.nullInputStream();
        }
        try {
            return store.open(entry.blobKey().get(), offset, length);
        } catch (NoSuchFileException gone) {
            Optional<Entry> now = reread.get();
            if (now.isPresent() && now.get().blobKey().isPresent() && now.get().size().equals(entry.size())) {
                return store.open(now.get().blobKey().get(), offset, length);
            }
            throw gone;
        }
    }
}
