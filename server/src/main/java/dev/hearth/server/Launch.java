package dev.hearth.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** What a command sees of the process: its environment, its working directory, and where to print. */
record Launch(Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err) {

    static Launch ofProcess() {
        return new Launch(System.getenv(), Path.of("").toAbsolutePath(),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }
}
