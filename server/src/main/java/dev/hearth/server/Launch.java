package dev.hearth.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** What a command sees of the process: its environment, its working directory, where to read and where to print. */
record Launch(Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err, BufferedReader in) {

    /** A launch with nothing to read. */
    Launch(Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err) {
        this(env, workingDir, out, err, new BufferedReader(Reader.nullReader()));
    }

    static Launch ofProcess() {
        return new Launch(System.getenv(), Path.of("").toAbsolutePath(),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }
}
