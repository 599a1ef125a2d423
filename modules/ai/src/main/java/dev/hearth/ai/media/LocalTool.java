package dev.hearth.ai.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.ApiError;

/**
 * A local command-line engine ({@code espeak-ng}, {@code tesseract}), run with an argument array (never a shell),
 * a time limit, and bounded output. The input is streamed to the process's standard input from a separate thread, so
 * a large input never sits in memory and a process that stops reading cannot block Hearth.
 *
 * @param name how errors and logs name the engine
 * @param binary the executable, a name looked up on the {@code PATH} or a path
 */
record LocalTool(String name, String binary, Duration timeout, long maxOutputBytes) {

    private static final Logger LOG = LoggerFactory.getLogger(LocalTool.class);

    /** The executable if it is installed. */
    Optional<Path> locate() {
        if (binary.contains("/")) {
            Path p = Path.of(binary);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What a run printed on its standard output. */
    record Output(byte[] stdout) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs {@code binary args…} with {@code input} on its standard input (closed at once if null), and answers its
     * standard output; a non-zero exit, a time-out or too much output is an {@code internal_server_error} naming the
     * engine (the details go to the log only).
     */
    Output run(List<String> args, InputStream input) {
        List<String> command = new java.util.ArrayList<>();
        command.add(binary);
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            LOG.warn("{}: cannot start {}: {}", name, binary, e.getMessage());
            throw failed();
        }
        Thread feeder = Thread.ofVirtual().name(name + "-stdin").start(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    input.transferTo(stdin);
                }
            } catch (IOException e) {
                // the process ended or stopped reading: its exit status tells
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drainer = Thread.ofVirtual().name(name + "-stderr").start(() -> {
            try (InputStream in = process.getErrorStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (err) {
                        if (err.size() < 16 * 1024) {
                            err.write(buf, 0, Math.min(n, 16 * 1024 - err.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // gone with the process
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicBoolean overflow = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = Thread.ofVirtual().name(name + "-stdout").start(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (out) {
                        if (out.size() + n > maxOutputBytes) {
                            overflow.set(true);
                            process.destroyForcibly();
                            return;
                        }
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // gone with the process
            }
        });
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                LOG.warn("{}: no result within {} s; stopped", name, timeout.toSeconds());
                throw ApiError.of(504, "engine_timeout", "The local `" + name + "` engine did not finish in time.");
            }
            reader.join(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            feeder.join(Duration.ofSeconds(1));
            drainer.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failed();
        }
        if (overflow.get()) {
            LOG.warn("{}: more than {} bytes of output; stopped", name, maxOutputBytes);
            throw failed();
        }
        if (process.exitValue() != 0) {
            String stderr;
            synchronized (err) {
                stderr = err.toString(StandardCharsets.UTF_8).strip();
            }
            LOG.warn("{} exited with {}: {}", name, process.exitValue(), stderr);
            throw ApiError.of(400, "engine_failed", "The local `" + name + "` engine could not process the input.");
        }
        synchronized (out) {
            return new Output(out.toByteArray());
        }
    }

    private ApiError failed() {
        return ApiError.of(500, "internal_server_error", "An internal server error occurred.").with("engine", name);
    }
}
