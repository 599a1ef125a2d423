package dev.hearth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Kernel;
import dev.hearth.server.DefaultModules;
import dev.hearth.storage.s3.S3TestServer;
import dev.hearth.web.WebServer;

/**
 * The Node test files that touch file content, run again against a Hearth whose content is in S3: the storage-s3
 * module's S3-compatible test server (s3rver, {@link S3TestServer} from that module's test jar) on a free port, and a
 * second Hearth with {@code services.s3} pointing at it under a prefix of its own. The containers are named
 * {@code s3/<file>}; the files get the bucket's address in {@code HEARTH_S3_ENDPOINT}, so that
 * {@code signed-writes.test.mjs} checks that puter.js 2.6.3's PUTs go straight to presigned S3 URLs. A last test
 * checks that the content really is in the bucket and nothing in the data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSuitesOnS3Test {

    /**
     * The files whose clients write file content and read it back: files ({@code fs}, the signed batch writes),
     * sites served from folders ({@code hosting}), app icons (kept in the blob store) and the legacy multipart
     * {@code POST /write} ({@code realtime}). The others keep nothing in the blob store: {@code puterjs.test.mjs}
     * asks for the version; auth, contract, kv, AI and AI media store no files.
     */
    static final List<String> FILES = List.of("apps.test.mjs", "fs.test.mjs", "hosting.test.mjs",
            "realtime.test.mjs", "signed-writes.test.mjs");

    private static final String PREFIX = "e2e/";

    private final Path e2e = Path.of(System.getProperty("hearth.e2e.dir", "")).toAbsolutePath();

    private S3TestServer s3;
    private Path data;
    private Kernel hearth;
    private String origin;

    @BeforeAll
    void bootHearthOnS3(@TempDir Path data) throws IOException, InterruptedException {
        NpmDependencies.ensureInstalled(e2e);
        this.data = data;
        s3 = S3TestServer.shared();
        Config config = s3.configure(ConfigLoader.load(data, Optional.empty(), Map.of(),
                List.of("http_port=0", "shutdown.drain_seconds=0", "services.edge-limits.signup=200")), PREFIX);
        hearth = Kernel.builder(config).modules(DefaultModules.create()).externalModules(false).build();
        hearth.boot();
        origin = "http://127.0.0.1:" + hearth.services().get(WebServer.class).port();
        System.out.println("[e2e] Hearth on S3 (" + s3.endpoint() + ") is serving at " + origin);
    }

    @AfterAll
    void stopHearth() {
        if (hearth != null) {
            hearth.shutdown();
        }
    }

    @TestFactory
    Stream<DynamicNode> nodeTestFilesOnS3() {
        List<Path> files = FILES.stream().map(name -> e2e.resolve("tests").resolve(name)).toList();
        assertThat(files).allSatisfy(f -> assertThat(f).isRegularFile());
        NodeTestFiles run = new NodeTestFiles(e2e, "s3",
                Map.of("HEARTH_URL", origin, "HEARTH_S3_ENDPOINT", s3.endpoint()));
        // Runs after the last file (the containers' stream is consumed in order).
        DynamicTest contentInS3 = DynamicTest.dynamicTest("the files' content is in the bucket, none on the local disk",
                this::contentIsInS3);
        return Stream.concat(run.containers(files), Stream.of(contentInS3));
    }

    private void contentIsInS3() throws IOException {
        System.out.println("[e2e] the bucket holds " + s3.objectsUnder(PREFIX) + " objects under " + PREFIX);
        assertThat(s3.objectsUnder(PREFIX)).as("objects in the bucket under %s", PREFIX).isGreaterThanOrEqualTo(10);
        assertThat(s3.pendingUploads()).as("multipart uploads neither completed nor aborted").isEmpty();
        // The local blob store's folder (services.filesystem.storage_dir) is never made; nothing else holds content.
        try (Stream<Path> files = Files.walk(data)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> data.relativize(f).toString()))
                    .as("files in the data directory")
                    .allMatch(f -> f.startsWith("hearth.sqlite") || f.equals("secrets.json"), "is the database or the secrets");
        }
        assertThat(data.resolve("storage")).doesNotExist();
    }
}
