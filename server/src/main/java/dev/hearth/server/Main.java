package dev.hearth.server;

/** The entry point of {@code hearth.jar}: {@code java -jar hearth.jar [serve|version|config|migrate] [options]}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // After `serve` this runs once the shutdown hook has finished; the JVM is exiting by then and
        // System.exit only waits for it.
        System.exit(HearthCommand.commandLine(Launch.ofProcess()).execute(args));
    }
}
