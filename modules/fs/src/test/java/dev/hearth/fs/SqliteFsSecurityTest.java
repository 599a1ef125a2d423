package dev.hearth.fs;

import java.nio.file.Path;

import dev.hearth.kernel.Config;

/** The security sweep on SQLite. */
class SqliteFsSecurityTest extends FsSecurityContract {
    @Override
    Config config(Path dataDir) {
        return TestConfig.of(dataDir);
    }
}
