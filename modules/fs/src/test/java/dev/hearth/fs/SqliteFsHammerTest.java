package dev.hearth.fs;

import java.nio.file.Path;

import dev.hearth.kernel.Config;

/** The concurrency hammers on SQLite. */
class SqliteFsHammerTest extends FsHammerContract {

    @Override
    Config config(Path dataDir) {
        return TestConfig.of(dataDir);
    }
}
