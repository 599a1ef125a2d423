package dev.hearth.server;

import java.util.concurrent.Callable;

import dev.hearth.kernel.BootException;
import dev.hearth.kernel.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/** {@code hearth [serve|version|config|migrate|user]}; without a command it serves. */
@Command(name = "hearth", mixinStandardHelpOptions = true, versionProvider = HearthCommand.VersionText.class,
        description = "A self-hosted backend that speaks Puter's HTTP API.",
        footer = {"", "Without a command, hearth serves (the options above are those of serve)."})
final class HearthCommand implements Callable<Integer> {

    @Mixin
    LaunchOptions options;

    private final Launch launch;

    private HearthCommand(Launch launch) {
        this.launch = launch;
    }

    @Override
    public Integer call() {
        return new ServeCommand(launch).serve(options);
    }

    /** The command line with every subcommand, printing where {@code launch} says. */
    static CommandLine commandLine(Launch launch) {
        CommandLine cli = new CommandLine(new HearthCommand(launch))
                .addSubcommand(new ServeCommand(launch))
                .addSubcommand(new VersionCommand(launch))
                .addSubcommand(new ConfigCommand(launch))
                .addSubcommand(new MigrateCommand(launch))
                .addSubcommand(new UserCommand(launch))
                .addSubcommand(new TrainingCommand(launch));
        cli.setOut(launch.out());
        cli.setErr(launch.err());
        // A bad configuration or a failed boot is the operator's to fix: say what is wrong, without a trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof BootException) {
                launch.err().println("hearth: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    static final class VersionText implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return VersionCommand.lines();
        }
    }
}
