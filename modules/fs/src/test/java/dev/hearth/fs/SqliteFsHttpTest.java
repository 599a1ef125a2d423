package dev.hearth.fs;

import java.nio.file.Path;

import dev.hearth.kernel.Config;

/** The filesystem routes on SQLite: one pooled connection, which the access check must share. */
class SqliteFsHttpTest extends FsHttpContract {
    @Override
    Config config(Path dataDir) {
        return TestConfig.of(dataDir);
    }
}
