package dev.hearth.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to completion, its output echoed line by line (so that Maven shows it) and kept. */
record ChildProcess(List<String> command, int exitCode, String output) {

    static ChildProcess run(Path dir, List<String> command, Map<String, String> env, Duration timeout, String prefix)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.getFirst() + " (is it installed and on the PATH?): "
                    + e.getMessage(), e);
        }
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println(prefix + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process was killed after its time ran out; what was read is kept
            }
        });
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            reader.join(Duration.ofSeconds(5));
            synchronized (output) {
                return new ChildProcess(command, -1, output + "\n(killed after " + timeout.toSeconds() + " s)");
            }
        }
        reader.join(Duration.ofSeconds(30));
        synchronized (output) {
            return new ChildProcess(command, process.exitValue(), output.toString());
        }
    }

    void requireSuccess(String what) {
        if (exitCode != 0) {
            throw new AssertionError(what + " failed (exit " + exitCode + "):\n" + output);
        }
    }
}
