package dev.hearth.server;

import java.util.concurrent.Callable;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", description = "Prints the effective configuration as JSON, with secrets masked.")
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    LaunchOptions options;

    private final Launch launch;

    ConfigCommand(Launch launch) {
        this.launch = launch;
    }

    @Override
    public Integer call() {
        Config config = options.load(launch.env(), launch.workingDir());
        launch.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(config.masked()));
        return 0;
    }
}
