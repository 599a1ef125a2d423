package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.BootException;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Kernel;

/** A configuration the database cannot use fails the boot with a message that names the key. */
class DatabaseConfigTest {

    @TempDir
    Path dataDir;

    private BootException bootFails(Config config) {
        Kernel kernel = Kernel.builder(config).externalModules(false).module(new CoreModule()).build();
        try {
            kernel.boot();
        } catch (BootException e) {
            return e;
        } finally {
            kernel.shutdown();
        }
        throw new AssertionError("the boot succeeded");
    }

    @Test
    void anUnknownEngine() {
        BootException e = bootFails(Config.empty(dataDir).with("services.database.engine", "mysql"));

        assertThat(e.service()).isEqualTo("database");
        assertThat(e).rootCause().isInstanceOf(ConfigException.class);
        assertThat(e.getMessage()).contains("config key `services.database.engine` has the value \"mysql\"; allowed: sqlite, postgres");
        assertThat(((ConfigException) e.getCause()).key()).isEqualTo("services.database.engine");
    }

    @Test
    void postgresWithoutAUrl() {
        BootException e = bootFails(Config.empty(dataDir).with("services.database.engine", "postgres"));

        assertThat(e.getMessage()).contains("config key `services.database.url` has the value nothing")
                .contains("required when engine is postgres");
    }

    @Test
    void postgresWithSomethingElseThanAJdbcUrl() {
        BootException e = bootFails(Config.empty(dataDir).with("services.database.engine", "postgres")
                .with("services.database.url", "postgres://me:secret@localhost/hearth"));

        assertThat(e.getMessage()).contains("config key `services.database.url`")
                .contains("jdbc:postgresql://")
                .doesNotContain("secret");
    }

    @Test
    void aNegativePoolSize() {
        BootException e = bootFails(Config.empty(dataDir).with("services.database.pool_size", -1));

        assertThat(e.getMessage()).contains("config key `services.database.pool_size` has the value -1");
    }

    @Test
    void sqliteWithMoreThanOneConnection() {
        BootException e = bootFails(Config.empty(dataDir).with("services.database.pool_size", 4));

        assertThat(e.getMessage()).contains("config key `services.database.pool_size` has the value 4; allowed: 1 with sqlite");
    }

    @Test
    void aPoolSizeOfTheWrongType() {
        BootException e = bootFails(Config.empty(dataDir).with("services.database.pool_size", "many"));

        assertThat(e.getMessage()).contains("services.database.pool_size");
    }

    @Test
    void settingsDefaultPerEngineAndNeverShowThePassword() {
        DatabaseSettings sqlite = Config.empty(dataDir).bind("services.database", DatabaseSettings.class);
        assertThat(sqlite.dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(sqlite.path()).isEqualTo("hearth.sqlite");
        assertThat(sqlite.connections()).isEqualTo(1);

        DatabaseSettings pg = Config.empty(dataDir).with("services.database.engine", "postgres")
                .with("services.database.url", "jdbc:postgresql://db/hearth?password=hunter2")
                .with("services.database.password", "hunter3")
                .bind("services.database", DatabaseSettings.class);
        assertThat(pg.dialect()).isEqualTo(Dialect.POSTGRES);
        assertThat(pg.connections()).isEqualTo(10);
        assertThat(pg.toString()).doesNotContain("hunter2").doesNotContain("hunter3");
    }

    @Test
    void thePasswordIsMaskedWhenTheConfigurationIsShown() {
        Config config = Config.empty(dataDir).with("services.database.engine", "postgres")
                .with("services.database.url", "jdbc:postgresql://db/hearth")
                .with("services.database.password", "hunter2");

        assertThat(config.masked().toString()).doesNotContain("hunter2").contains("\"password\":\"********\"")
                .contains("jdbc:postgresql://db/hearth");
    }
}
