package dev.hearth.fs;

import dev.hearth.core.testing.TestPostgres;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;

import dev.hearth.kernel.Config;

/** The signed batch-write flow on PostgreSQL, in a database of its own. */
class PostgresSignedWritesHttpTest extends SignedWritesHttpContract {

    private TestPostgres postgres;
    private TestPostgres.TestDatabase database;

    @Override
    Config config(Path dataDir) {
        postgres = new TestPostgres();
        database = postgres.create();
        return TestConfig.of(dataDir).with("services.database.engine", "postgres")
                .with("services.database.url", database.url());
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
