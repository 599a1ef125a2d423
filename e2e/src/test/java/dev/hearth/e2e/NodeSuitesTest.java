package dev.hearth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
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
 * {@link NodeSuitesOnS3Test} runs the filesystem's files again with the content in S3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSuitesTest {

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
        List<Path> files = NodeTestFiles.all(e2e);
        assertThat(files).as("Node test files in %s", e2e.resolve("tests")).isNotEmpty();
        return new NodeTestFiles(e2e, "", Map.of("HEARTH_URL", origin)).containers(files);
    }
}
