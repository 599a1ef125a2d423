package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as an operator runs it: a real child process, stopped with SIGTERM. */
class ShutdownIT {

    @TempDir
    Path data;

    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermDrainsAndStopsCleanly() throws Exception {
        process = start("serve", "--port", "0", "--data-dir", data.toString(), "--set", "shutdown.drain_seconds=1");

        String serving = await().atMost(Duration.ofSeconds(30))
                .until(() -> line("Hearth is serving at "), Optional::isPresent).orElseThrow();
        assertThat(serving).matches("Hearth is serving at http://127\\.0\\.0\\.1:\\d+.*");
        String origin = serving.replaceAll("Hearth is serving at (\\S+).*", "$1");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(origin + "/healthcheck")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualToIgnoringWhitespace("{\"ok\":true}");
        }
        String dataLine = "Data directory: " + data.toRealPath();
        assertThat(output).anyMatch(dataLine::equals);
        assertThat(output).as("single-origin mode serves sites on a port of their own")
                .anyMatch(l -> l.matches("Hosted websites: http://127\\.0\\.0\\.1:\\d+/<name>/"));

        long before = System.nanoTime();
        // SIGTERM. Through the handle: Process.destroy() would also close our end of the pipes and lose the
        // lines the server logs while it stops.
        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM; output:%n%s", String.join("\n", output)).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        // 128 + 15: the JVM ran its shutdown hooks and exited on the signal.
        assertThat(process.exitValue()).isEqualTo(143);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> line("Hearth stopped").isPresent());
        assertThat(line("draining")).as("the web server drained before stopping").isPresent();
        // No JVM warnings either: the manifest's Enable-Native-Access covers sqlite-jdbc's native library.
        assertThat(output).noneMatch(l -> l.contains("ERROR") || l.contains("Exception") || l.startsWith("WARNING"));
    }

    @Test
    void aConfigurationErrorExitsWithOneLineAndStatusOne() throws Exception {
        process = start("serve", "--data-dir", data.toString(), "--set", "logger.level=LOUD");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> line("hearth: ").isPresent());
        assertThat(output).noneMatch(l -> l.startsWith("\tat "));
    }

    @Test
    void theJarDeclaresNativeAccessSoSqliteDoesNotWarn() throws Exception {
        process = start("version");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> line("Hearth ").isPresent());
        assertThat(output).noneMatch(l -> l.startsWith("WARNING"));
    }

    /** Starts {@code java -jar hearth.jar args} on the JDK running this test (25), without extra JVM flags. */
    private Process start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("hearth.jar", "target/hearth.jar"));
        assertThat(jar).as("the packaged jar (run through `mvnw verify`)").isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    output.add(l);
                    System.out.println("[hearth] " + l);
                }
            } catch (IOException e) {
                output.add("(output closed: " + e + ")");
            }
        });
        return p;
    }

    private Optional<String> line(String prefix) {
        return output.stream().filter(l -> l.startsWith(prefix) || l.contains(" " + prefix)).findFirst();
    }
}
