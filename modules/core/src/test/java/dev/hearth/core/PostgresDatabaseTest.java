package dev.hearth.core;

import dev.hearth.core.testing.TestPostgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.hearth.kernel.BootException;
import dev.hearth.kernel.Config;

/** The database contract on PostgreSQL, each test in a database of its own. */
class PostgresDatabaseTest extends DatabaseContract {

    private TestPostgres postgres;
    private TestPostgres.TestDatabase testDatabase;

    @BeforeEach
    void createDatabase() {
        postgres = new TestPostgres();
        testDatabase = postgres.create();
    }

    @AfterEach
    void dropDatabase() {
        shutDownKernels(); // before the drop, so that no pooled connection holds the database
        if (testDatabase != null) {
            postgres.drop(testDatabase);
        }
    }

    @Override
    Config config(Path dataDir) {
        return TestSecrets.config(dataDir)
                .with("services.database.engine", "postgres")
                .with("services.database.url", testDatabase.url());
    }

    @Override
    Dialect expectedDialect() {
        return Dialect.POSTGRES;
    }

    @Test
    void theHealthCheckFailsWhenTheDatabaseGoesAway() {
        Database db = database(boot());
        assertThatCode(db::checkHealth).doesNotThrowAnyException();

        postgres.drop(testDatabase); // terminates the pool's connections; new ones find no database

        long start = System.nanoTime();
        assertThatThrownBy(db::checkHealth).hasMessageContaining("PostgreSQL database");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(Database.HEALTH_TIMEOUT.toMillis() + 1000);
    }

    @Test
    void anUnreachableServerFailsTheBootNamingTheDatabaseService() {
        Config unreachable = TestSecrets.config(dataDir)
                .with("services.database.engine", "postgres")
                .with("services.database.url", "jdbc:postgresql://127.0.0.1:1/hearth?password=hunter2");

        assertThatThrownBy(() -> boot(unreachable, dev.hearth.kernel.Phase.READY))
                .isInstanceOf(BootException.class)
                .hasMessageContaining("service 'database' failed during init")
                .hasMessageContaining("cannot open the PostgreSQL database jdbc:postgresql://127.0.0.1:1/hearth?...")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aMissingDatabaseFailsTheBoot() {
        Config missing = config(dataDir).with("services.database.url", testDatabase.url().replace(testDatabase.name(),
                testDatabase.name() + "_missing"));

        assertThatThrownBy(() -> boot(missing, dev.hearth.kernel.Phase.READY))
                .isInstanceOf(BootException.class)
                .hasMessageContaining("service 'database' failed during init")
                .hasMessageContaining("does not exist");
    }
}
