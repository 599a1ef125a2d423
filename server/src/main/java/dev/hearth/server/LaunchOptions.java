package dev.hearth.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;
import picocli.CommandLine.Option;

/** The options that decide the configuration; shared by the commands that load it. */
final class LaunchOptions {

    @Option(names = "--port", paramLabel = "N",
            description = "HTTP port (0: any free port). Default: config http_port, \"auto\" = 4100-4119.")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind. Default: config host, 127.0.0.1.")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory. Default: HEARTH_DATA_PATH, RUNTIME_PATH, /var/puter if it exists, ./data.")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (or a directory holding config.json). Default: HEARTH_CONFIG_PATH, "
                    + "CONFIG_PATH, /etc/puter, then <data-dir>/config.json if it exists.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Sets a configuration key (dotted path; the value is read as JSON if it parses). Repeatable.")
    List<String> overrides = new ArrayList<>();

    /** The effective configuration: defaults, secrets, file, {@code HEARTH_*} environment, then these options. */
    Config load(Map<String, String> env, Path workingDir) {
        Directories dirs = Directories.resolve(Optional.ofNullable(dataDir), Optional.ofNullable(config), env,
                Path.of("/"), workingDir);
        List<String> all = new ArrayList<>(overrides);
        // The dedicated flags are the most specific thing said, so they come after --set.
        if (port != null) {
            all.add("http_port=" + port);
        }
        if (host != null) {
            all.add("host=" + host);
        }
        return ConfigLoader.load(dirs.dataDir(), dirs.configFile(), env, all);
    }
}
