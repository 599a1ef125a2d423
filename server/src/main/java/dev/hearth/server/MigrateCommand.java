package dev.hearth.server;

import java.util.List;
import java.util.concurrent.Callable;

import dev.hearth.core.Database;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Phase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "migrate", description = "Runs the database migrations, then exits without serving.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    LaunchOptions options;

    private final Launch launch;

    MigrateCommand(Launch launch) {
        this.launch = launch;
    }

    @Override
    public Integer call() {
        Config config = options.load(launch.env(), launch.workingDir());
        LogLevel.apply(config);
        List<String> applied;
        // Migrations run during consolidation; stopping there opens no listener.
        try (Kernel kernel = Kernel.builder(config).modules(DefaultModules.create()).build()) {
            kernel.boot(Phase.CONSOLIDATION);
            applied = kernel.services().get(Database.class).appliedMigrations();
        }
        if (applied.isEmpty()) {
            launch.out().println("The database is up to date (" + config.dataDir() + ").");
        } else {
            launch.out().println("Applied migrations (" + config.dataDir() + "):");
            applied.forEach(line -> launch.out().println("  " + line));
        }
        return 0;
    }
}
