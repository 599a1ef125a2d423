package dev.hearth.fs;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.hearth.core.testing.TestPostgres;
import dev.hearth.kernel.Config;

/** The concurrency hammers on PostgreSQL, each test in a database of its own. */
class PostgresFsHammerTest extends FsHammerContract {

    private TestPostgres postgres;
    private TestPostgres.TestDatabase database;

    @Override
    @BeforeEach
    void boot() {
        postgres = new TestPostgres();
        database = postgres.create();
        super.boot();
    }

    @AfterEach
    void dropDatabase() {
        shutdown();
        kernel = null;
        if (database != null) {
            postgres.drop(database);
        }
    }

    @Override
    Config config(Path dataDir) {
        return TestConfig.of(dataDir)
                .with("services.database.engine", "postgres")
                .with("services.database.url", database.url());
    }
}
