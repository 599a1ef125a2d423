package dev.hearth.fs;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;

import dev.hearth.core.testing.TestPostgres;
import dev.hearth.kernel.Config;

/** The security sweep on PostgreSQL, in a database of its own. */
class PostgresFsSecurityTest extends FsSecurityContract {

    private final TestPostgres postgres = new TestPostgres();
    private TestPostgres.TestDatabase database;

    @Override
    Config config(Path dataDir) {
        database = postgres.create();
        return TestConfig.of(dataDir)
                .with("services.database.engine", "postgres")
                .with("services.database.url", database.url());
    }

    @AfterAll
    void dropDatabase() {
        shutDown();
        kernel = null;
        if (database != null) {
            postgres.drop(database);
        }
    }
}
