package dev.hearth.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;

/** A configuration as a fresh instance has it: defaults and secrets generated into the data directory. */
final class TestConfig {

    private TestConfig() {}

    static Config of(Path dataDir) {
        return ConfigLoader.load(dataDir, Optional.empty(), Map.of(), List.of("services.users.bcrypt_cost=4"));
    }
}
