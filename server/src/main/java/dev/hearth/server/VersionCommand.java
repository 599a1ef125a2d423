package dev.hearth.server;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "version", description = "Prints Hearth's version and the Java it runs on.")
final class VersionCommand implements Callable<Integer> {

    /** The Puter release whose HTTP API Hearth speaks (also reported as {@code compat} by {@code /version}). */
    static final String PUTER_COMPAT = "2.5.1";

    private final Launch launch;

    VersionCommand(Launch launch) {
        this.launch = launch;
    }

    @Override
    public Integer call() {
        for (String line : lines()) {
            launch.out().println(line);
        }
        return 0;
    }

    static String[] lines() {
        Runtime.Version java = Runtime.version();
        return new String[] {
                "Hearth " + HearthVersion.current(),
                "API compatible with Puter " + PUTER_COMPAT,
                "Java " + java + " (" + System.getProperty("java.vendor", "unknown vendor") + ")",
        };
    }
}
