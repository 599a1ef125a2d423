package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.fs.spi.BlobStore;
import dev.hearth.fs.spi.BlobStoreContract;

class LocalDiskBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() throws Exception {
        return new LocalDiskBlobStore(dir.resolve("storage"));
    }

    @Test
    void oneFilePerKeyInAFlatDirectoryAndNoTemporaryLeftovers() throws Exception {
        String k = key();
        store.write(k, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
        try {
            store.write(key(), new ByteArrayInputStream(new byte[] {1}), 2);
        } catch (BlobStore.LengthMismatchException expected) {
            // nothing stored
        }
        try (var files = Files.list(dir.resolve("storage"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(k);
        }
    }
}
