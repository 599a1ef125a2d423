package dev.hearth.server;

import java.util.concurrent.Callable;

import dev.hearth.kernel.Version;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Prints Hearth's version and the Java it runs on.")
final class VersionCommand implements Callable<Integer> {

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
                "Hearth " + Version.current(),
                "API compatible with Puter " + Version.PUTER_COMPAT,
                "Java " + java + " (" + System.getProperty("java.vendor", "unknown vendor") + ")",
        };
    }
}
