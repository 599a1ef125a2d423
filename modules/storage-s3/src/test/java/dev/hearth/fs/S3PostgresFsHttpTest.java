package dev.hearth.fs;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;

import dev.hearth.core.testing.TestPostgres;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Module;
import dev.hearth.storage.s3.S3StorageModule;
import dev.hearth.storage.s3.S3TestServer;

/** The filesystem's HTTP suite on PostgreSQL, in a database of its own, with the content in S3 (s3rver). */
class S3PostgresFsHttpTest extends FsHttpContract {

    private TestPostgres postgres;
    private TestPostgres.TestDatabase database;

    @Override
    Config config(Path dataDir) {
        postgres = new TestPostgres();
        database = postgres.create();
        return S3TestServer.shared().configure(TestConfig.of(dataDir).with("services.database.engine", "postgres")
                .with("services.database.url", database.url()));
    }

    @Override
    List<Module> storageModules() {
        return List.of(new S3StorageModule());
    }

    @Override
    @AfterAll
    void shutDown() {
        super.shutDown();
        if (database != null) {
            postgres.drop(database);
        }
    }
}
