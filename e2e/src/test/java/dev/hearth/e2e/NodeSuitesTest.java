package dev.hearth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * runs every Node test file of {@code e2e/tests/} against it with Node's built-in runner, one dynamic test per
 * file. The origin reaches the files in {@code HEARTH_URL}.
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
                List.of("http_port=0", "shutdown.drain_seconds=0"));
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
    Stream<DynamicTest> nodeTestFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(e2e.resolve("tests"))) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".test.mjs")).sorted().toList();
        }
        assertThat(files).as("Node test files in %s", e2e.resolve("tests")).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            // --test-force-exit: the SDK leaves timers running in its sandbox, which would keep the file's
            // process alive after its tests are done.
            ChildProcess run = ChildProcess.run(e2e, List.of("node", "--test", "--test-force-exit",
                            "--test-reporter=spec", "--test-timeout=30000", e2e.relativize(file).toString()),
                    Map.of("HEARTH_URL", origin, "NO_COLOR", "1"), PER_FILE, "[node] ");
            run.requireSuccess("node --test " + file.getFileName());
            assertThat(run.output()).as("the file ran at least one test").containsPattern("(?m)^ℹ pass [1-9]");
        }));
    }
}
