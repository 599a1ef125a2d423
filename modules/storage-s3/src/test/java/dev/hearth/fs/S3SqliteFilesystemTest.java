package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Module;
import dev.hearth.storage.s3.S3StorageModule;
import dev.hearth.storage.s3.S3TestServer;

/** The filesystem's domain suite ({@link FilesystemContract}) on SQLite with the content in S3 (s3rver). */
class S3SqliteFilesystemTest extends FilesystemContract {

    private final String prefix = "fs-" + UUID.randomUUID();

    @Override
    Config config(Path dataDir) {
        return S3TestServer.shared().configure(TestConfig.of(dataDir), prefix);
    }

    @Override
    List<Module> storageModules() {
        return List.of(new S3StorageModule());
    }

    @Override
    long storedObjects() throws IOException {
        return S3TestServer.shared().objectsUnder(prefix);
    }

    /** A bucket has no disk to report: no host figures, and no capacity but the configured one. */
    @Override
    @Test
    void dfWithoutALimitReportsTheDisk() {
        write(alice, "/alice/a", "1234");
        DiskUsage df = fs.df(alice);
        assertThat(df.used()).isEqualTo(4);
        assertThat(df.capacity()).isEqualTo(Long.MAX_VALUE);
        assertThat(df.hostFree()).isEmpty();
    }
}
