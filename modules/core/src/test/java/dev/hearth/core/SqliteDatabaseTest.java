package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Phase;

/** The database contract on SQLite, the default engine: the configuration sets nothing. */
class SqliteDatabaseTest extends DatabaseContract {

    @Override
    Config config(Path dataDir) {
        return TestSecrets.config(dataDir);
    }

    @Override
    Dialect expectedDialect() {
        return Dialect.SQLITE;
    }

    @Test
    void theFileLivesInTheDataDirectoryWithTheDocumentedPragmas() {
        Database db = database(boot());

        assertThat(dataDir.resolve("hearth.sqlite")).isRegularFile();
        assertThat(permissions(dataDir.resolve("hearth.sqlite"))).isEqualTo("rw-------");
        Map<String, Object> pragmas = db.jdbi().withHandle(h -> Map.of(
                "journal_mode", h.createQuery("PRAGMA journal_mode").mapTo(String.class).one(),
                "foreign_keys", h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one(),
                "synchronous", h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one(),
                "busy_timeout", h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one()));
        assertThat(pragmas).containsEntry("journal_mode", "wal")
                .containsEntry("foreign_keys", 1)
                .containsEntry("synchronous", 1) // NORMAL
                .containsEntry("busy_timeout", Database.SQLITE_BUSY_TIMEOUT_MS);
    }

    private static String permissions(Path file) {
        try {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRelativePathIsResolvedInTheDataDirectoryAndItsFoldersAreCreated() {
        boot(config(dataDir).with("services.database.path", "db/instance.sqlite"), Phase.CONSOLIDATION);

        assertThat(dataDir.resolve("db/instance.sqlite")).isRegularFile();
        assertThat(dataDir.resolve("hearth.sqlite")).doesNotExist();
    }

    @Test
    void anAbsolutePathIsTakenAsIs(@org.junit.jupiter.api.io.TempDir Path elsewhere) {
        Path file = elsewhere.resolve("abs.sqlite");
        boot(config(dataDir).with("services.database.path", file.toString()), Phase.CONSOLIDATION);

        assertThat(file).isRegularFile();
        assertThat(Files.exists(dataDir.resolve("hearth.sqlite"))).isFalse();
    }
}
