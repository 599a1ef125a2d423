package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.Kernel;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;

/** With signed writes turned off, /fs/startBatchWrite answers what makes puter.js fall back to /batch (5.2). */
class SignedWritesDisabledTest {

    @Test
    void startBatchWriteAnswersACodelessNotFound() throws IOException {
        var config = TestConfig.of(Files.createTempDirectory("hearth-signed-off")).with("http_port", 0)
                .with("shutdown.drain_seconds", 0).with("services.filesystem.signed_writes.enabled", false);
        Kernel kernel = Kernel.builder(config).externalModules(false).module(new WebModule()).module(new CoreModule())
                .module(new FilesystemModule()).build();
        kernel.boot();
        try {
            FsHttpClient http = new FsHttpClient(kernel.services().get(WebServer.class).port());
            FsHttpClient.Reply r = http.send("POST", "/fs/startBatchWrite", "[]");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.text()).isEqualTo("Not Found");
            assertThat(r.header("content-type").orElseThrow()).startsWith("text/plain");
        } finally {
            kernel.shutdown();
        }
    }
}
