package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hearth.core.testing.TestPostgres;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Module;
import dev.hearth.storage.s3.S3StorageModule;
import dev.hearth.storage.s3.S3TestServer;

/** The filesystem's domain suite on PostgreSQL, a database per test, with the content in S3 (s3rver). */
class S3PostgresFilesystemTest extends FilesystemContract {

    private final String prefix = "fs-" + UUID.randomUUID();
    private final TestPostgres postgres = new TestPostgres();
    private TestPostgres.TestDatabase database;

    @Override
    Config config(Path dataDir) {
        if (database == null) {
            database = postgres.create();
        }
        return S3TestServer.shared().configure(TestConfig.of(dataDir).with("services.database.engine", "postgres")
                .with("services.database.url", database.url()), prefix);
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

    @AfterEach
    void dropDatabase() {
        if (kernel != null) {
            kernel.shutdown();
            kernel = null;
        }
        if (database != null) {
            postgres.drop(database);
        }
    }
}
