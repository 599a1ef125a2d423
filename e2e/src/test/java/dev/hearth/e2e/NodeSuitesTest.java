package dev.hearth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Kernel;
import dev.hearth.server.DefaultModules;
import dev.hearth.web.WebServer;

/**
 * Boots a real Hearth (the server's default module set, on a free port, with a fresh data directory) and
 * runs every Node test file of {@code e2e/tests/} against it with Node's built-in runner: a container per file,
 * a test per Node test (read from Node's JUnit report). The origin reaches the files in {@code HEARTH_URL}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSuitesTest {

    private static final Duration PER_FILE = Duration.ofMinutes(2);

    private final Path e2e = Path.of(System.getProperty("hearth.e2e.dir", "")).toAbsolutePath();

    private Kernel hearth;
    private String origin;

    @BeforeAll
    void bootHearthAndInstallClients(@TempDir Path data) throws IOException, InterruptedException {
        NpmDependencies.ensureInstalled(e2e);

        // No HEARTH_* variables of the machine leak in: the run is the same everywhere.
        Config config = ConfigLoader.load(data, Optional.empty(), Map.of(),
                // Every suite signs up its own accounts from the one loopback address; the default of 10
                // signups per 15 minutes per address is for the open internet, not for a test run.
                List.of("http_port=0", "shutdown.drain_seconds=0", "services.edge-limits.signup=200"));
        hearth = Kernel.builder(config).modules(DefaultModules.create()).externalModules(false).build();
        hearth.boot();
        origin = "http://127.0.0.1:" + hearth.services().get(WebServer.class).port();
        System.out.println("[e2e] Hearth is serving at " + origin);
    }

    @AfterAll
    void stopHearth() {
        if (hearth != null) {
            hearth.shutdown();
        }
    }

    @TestFactory
    Stream<DynamicNode> nodeTestFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(e2e.resolve("tests"))) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".test.mjs")).sorted().toList();
        }
        assertThat(files).as("Node test files in %s", e2e.resolve("tests")).isNotEmpty();
        // One container per file, one test per Node test. The stream is consumed when JUnit runs the
        // container, so each file runs then, in order.
        return files.stream().map(file -> DynamicContainer.dynamicContainer(file.getFileName().toString(),
                Stream.of(file).flatMap(this::runFile)));
    }

    private Stream<DynamicTest> runFile(Path file) {
        try {
            Path report = Files.createDirectories(e2e.resolve("target/node-reports"))
                    .resolve(file.getFileName() + ".xml");
            Files.deleteIfExists(report);
            ChildProcess run = ChildProcess.run(e2e, List.of("node", "--test", "--test-timeout=30000",
                            "--test-reporter=spec", "--test-reporter-destination=stdout",
                            "--test-reporter=junit", "--test-reporter-destination=" + report,
                            e2e.relativize(file).toString()),
                    Map.of("HEARTH_URL", origin, "NO_COLOR", "1"), PER_FILE, "[node] ");
            List<DynamicTest> tests = new ArrayList<>();
            for (NodeTestReport.Case c : NodeTestReport.read(report).cases()) {
                tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                    Assumptions.assumeFalse(c.skipped(), "skipped in Node");
                    c.failure().ifPresent(message -> fail(message));
                }));
            }
            // A file that crashed, timed out or ran nothing fails as a whole, with Node's output.
            boolean allPassed = tests.size() > 0 && run.exitCode() == 0;
            if (!allPassed && NodeTestReport.read(report).cases().stream().noneMatch(c -> c.failure().isPresent())) {
                tests.add(DynamicTest.dynamicTest("node --test " + file.getFileName() + " exits cleanly",
                        () -> fail("node --test " + file.getFileName() + " exited with " + run.exitCode()
                                + (tests.isEmpty() ? " and reported no test" : "") + ":\n" + run.output())));
            }
            return tests.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + file, e);
        }
    }
}
