package dev.hearth.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.ConfigException;

/**
 * Where the data directory and the configuration file are. The first candidate that applies wins:
 *
 * <ul>
 *   <li>data directory: {@code --data-dir}, {@code HEARTH_DATA_PATH}, {@code RUNTIME_PATH} (Puter's name),
 *       {@code /var/puter} if it exists and {@code NO_VAR_RUNTIME} is unset, {@code ./data};</li>
 *   <li>configuration file: {@code --config} (a file, or a directory holding {@code config.json}), then
 *       {@code config.json} in {@code HEARTH_CONFIG_PATH}, in {@code CONFIG_PATH} (Puter's name; the directory
 *       must exist when set) or in {@code /etc/puter}; otherwise the data directory's {@code config.json}, if any.</li>
 * </ul>
 *
 * Puter's names and its {@code /etc/puter} + {@code /var/puter} layout are honoured so that an upstream
 * docker-compose setup can be pointed at Hearth unchanged.
 *
 * @param configFile empty when the data directory's {@code config.json} (if any) is to be read
 */
record Directories(Path dataDir, Optional<Path> configFile) {

    /**
     * @param root the file system root under which {@code etc/puter} and {@code var/puter} are looked for
     *             ({@code /} outside tests)
     * @param workingDir the directory {@code ./data} is relative to
     */
    static Directories resolve(Optional<Path> dataDirOption, Optional<Path> configOption, Map<String, String> env,
                               Path root, Path workingDir) {
        Path dataDir = dataDirOption
                .or(() -> fromEnv(env, "HEARTH_DATA_PATH"))
                .or(() -> fromEnv(env, "RUNTIME_PATH"))
                .or(() -> Optional.of(root.resolve("var/puter"))
                        .filter(p -> !env.containsKey("NO_VAR_RUNTIME") && Files.isDirectory(p)))
                .orElse(workingDir.resolve("data"));

        Optional<Path> configFile;
        if (configOption.isPresent()) {
            Path given = configOption.get();
            configFile = Optional.of(Files.isDirectory(given) ? given.resolve("config.json") : given);
        } else {
            configFile = configDir(env, "HEARTH_CONFIG_PATH")
                    .or(() -> configDir(env, "CONFIG_PATH"))
                    .or(() -> Optional.of(root.resolve("etc/puter")).filter(Files::isDirectory))
                    .map(dir -> dir.resolve("config.json"))
                    .filter(Files::isRegularFile);
        }
        return new Directories(workingDir.resolve(dataDir).normalize(), configFile.map(f -> workingDir.resolve(f).normalize()));
    }

    private static Optional<Path> fromEnv(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank()).map(Path::of);
    }

    private static Optional<Path> configDir(Map<String, String> env, String name) {
        Optional<Path> dir = fromEnv(env, name);
        if (dir.isPresent() && !Files.isDirectory(dir.get())) {
            throw ConfigException.general(name + " is set to " + dir.get() + ", which is not a directory", null);
        }
        return dir;
    }
}
