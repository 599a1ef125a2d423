package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * 256 MiB in four parts of 64 MiB through Hearth's upload route and the assembling completion, under the test JVM's
 * 192 MiB heap (modules/fs/pom.xml): the PUTs, the assembly and the read-back all stream. Prints what it measured.
 */
class SignedWritesLargeUploadTest {

    /** Bytes {@code [from, from + length)} of a deterministic stream, generated on the fly. */
    static InputStream generated(long from, long length) {
        return new InputStream() {
            long pos = from;
            final long end = from + length;

            @Override
            public int read() {
                return pos < end ? (int) (pos++ % 251) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= end) {
                    return -1;
                }
                int n = (int) Math.min(len, end - pos);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) (pos++ % 251);
                }
                return n;
            }
        };
    }

    @Test
    void aLargeMultipartUploadStreamsInBoundedMemory() throws IOException {
        var config = TestConfig.of(Files.createTempDirectory("hearth-signed-large")).with("http_port", 0)
                .with("shutdown.drain_seconds", 0);
        Kernel kernel = Kernel.builder(config).externalModules(false).module(new WebModule()).module(new CoreModule())
                .module(new FilesystemModule()).build();
        kernel.boot();
        try {
            FsHttpClient http = new FsHttpClient(kernel.services().get(WebServer.class).port());
            String name = "big" + ProcessHandle.current().pid() % 1000;
            FsHttpClient.Reply r = http.send("POST", "/signup", Json.mapper().writeValueAsString(Map.of("username", name,
                    "email", name + "@example.com", "password", "password-" + name, "p102xyzname", "")),
                    "Origin: " + http.origin());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            String auth = "Authorization: Bearer " + r.json().get("token").asString();
            String path = "/" + name + "/Documents/big.bin";
            for (int i = 0; i < 100 && http.send("POST", "/stat", "{\"path\":\"/" + name + "/Documents\"}", auth)
                    .status() != 200; i++) {
                SignedWritesHttpContract.sleep(50);
            }
            long part = 64L << 20;
            long size = 4 * part;
            r = http.send("POST", "/fs/startBatchWrite", Json.mapper().writeValueAsString(List.of(
                    SignedWritesHttpContract.file(path, size, Map.of("multipartPartSize", part)))), auth);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode el = r.json().get(0);
            assertThat(el.get("multipartPartCount").asInt()).isEqualTo(4);

            long start = System.nanoTime();
            List<Map<String, Object>> parts = new ArrayList<>();
            for (JsonNode p : el.get("multipartPartUrls")) {
                int n = p.get("partNumber").asInt();
                String url = p.get("url").asString();
                // Part 2 declares a JSON type, as a client uploading a .json file may: the request pipeline, which
                // looks for an auth_token in JSON bodies, must leave a body beyond max_json_bytes (50 MiB) unread.
                FsHttpClient.Reply put = http.send("PUT", url.substring(url.indexOf("/fs/upload/")),
                        generated((n - 1) * part, part), part, n == 2 ? "Content-Type: application/json"
                                : "Content-Type: application/octet-stream");
                assertThat(put.status()).as(put.toString()).isEqualTo(200);
                parts.add(Map.of("partNumber", n, "etag", put.header("etag").orElseThrow()));
            }
            long uploaded = System.nanoTime();
            r = http.send("POST", "/fs/completeBatchWrite", Json.mapper().writeValueAsString(List.of(Map.of(
                    "uploadId", el.get("sessionId").asString(), "parts", parts))), auth);
            long completed = System.nanoTime();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get(0).get("fsEntry").get("size").asLong()).isEqualTo(size);

            // The seams between the parts and the end are where they belong.
            for (long at : new long[] {part - 2, 2 * part - 2, 3 * part - 2, size - 4}) {
                r = http.send("GET", "/read?file=" + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8)
                        + "&offset=" + at + "&byte_count=4", (String) null, auth);
                byte[] expected = generated(at, Math.min(4, size - at)).readAllBytes();
                assertThat(r.body()).as("bytes at " + at).containsExactly(expected);
            }
            double mib = size / (double) (1 << 20);
            System.out.printf("signed upload of %.0f MiB in 4 parts: PUTs %.0f MiB/s, completion (assembly + commit) "
                    + "%.0f MiB/s, heap max %d MiB%n", mib, mib / ((uploaded - start) / 1e9),
                    mib / ((completed - uploaded) / 1e9), Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            kernel.shutdown();
        }
    }
}
