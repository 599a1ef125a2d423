package dev.hearth.fs;

import java.nio.file.Path;

import dev.hearth.kernel.Config;

/** The signed batch-write flow on SQLite. */
class SqliteSignedWritesHttpTest extends SignedWritesHttpContract {
    @Override
    Config config(Path dataDir) {
        return TestConfig.of(dataDir);
    }
}
