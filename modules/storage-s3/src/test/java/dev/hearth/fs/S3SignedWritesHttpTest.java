package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.storage.s3.S3StorageModule;
import dev.hearth.storage.s3.S3TestServer;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * puter.js 2.6.3's signed batch write over HTTP with the content in S3 (s3rver): the URLs Hearth hands out are the
 * bucket's presigned ones, the client PUTs there, and a completion that names what S3 did not receive is the client's
 * mistake ({@code 400 bad_request}, as on Hearth's own upload route), not a failure of Hearth ({@code 500}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3SignedWritesHttpTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private Kernel kernel;
    private FsHttpClient http;
    private String token;
    private String home;

    @BeforeAll
    void boot() throws IOException {
        Path dataDir = Files.createTempDirectory("hearth-s3-signed-writes");
        kernel = Kernel.builder(S3TestServer.shared().configure(TestConfig.of(dataDir)).with("http_port", 0)
                        .with("shutdown.drain_seconds", 0)
                        .with("services.filesystem.signed_writes.sweep_interval_seconds", 0)
                        // S3's smallest parts, so that a little over 5 MiB goes in two
                        .with("services.filesystem.signed_writes.single_upload_limit", 5 * 1024 * 1024)
                        .with("services.filesystem.signed_writes.part_size", 5 * 1024 * 1024))
                .externalModules(false).module(new WebModule()).module(new CoreModule())
                .module(new FilesystemModule()).module(new S3StorageModule()).build();
        kernel.boot();
        http = new FsHttpClient(kernel.services().get(WebServer.class).port());
        FsHttpClient.Reply r = http.send("POST", "/signup", Json.mapper().writeValueAsString(Map.of("username", "s3sw",
                "email", "s3sw@example.com", "password", "password-s3sw", "p102xyzname", "")), "Origin: " + http.origin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        token = r.json().get("token").asString();
        home = "/s3sw";
        for (int i = 0; i < 100 && post("/stat", Map.of("path", home + "/Documents")).status() != 200; i++) {
            sleep();
        }
    }

    @AfterAll
    void shutDown() {
        client.close();
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private FsHttpClient.Reply post(String path, Object body) throws IOException {
        return http.send("POST", path, Json.mapper().writeValueAsString(body), "Authorization: Bearer " + token);
    }

    private JsonNode start(String path, long size) throws IOException {
        FsHttpClient.Reply r = post("/fs/startBatchWrite", List.of(Map.of("fileMetadata",
                Map.of("path", path, "size", size, "contentType", "application/octet-stream"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get(0);
    }

    private HttpResponse<String> put(String url, byte[] body) throws IOException, InterruptedException {
        assertThat(url).as("a presigned URL of the bucket").startsWith(S3TestServer.shared().endpoint() + "/")
                .contains("X-Amz-Signature=");
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private FsHttpClient.Reply complete(JsonNode started, List<Map<String, Object>> parts) throws IOException {
        return post("/fs/completeBatchWrite", List.of(parts.isEmpty()
                ? Map.of("uploadId", started.get("sessionId").asString())
                : Map.of("uploadId", started.get("sessionId").asString(), "parts", parts)));
    }

    @Test
    void aSingleUploadPutToS3Completes() throws Exception {
        JsonNode started = start(home + "/Documents/one.txt", 5);
        assertThat(put(started.get("url").asString(), "hello".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        FsHttpClient.Reply r = complete(started, List.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(http.send("GET", "/read?file=" + home + "/Documents/one.txt", (String) null,
                "Authorization: Bearer " + token).text()).isEqualTo("hello");
    }

    @Test
    void completingASingleUploadNothingWasPutForIsABadRequest() throws Exception {
        JsonNode started = start(home + "/Documents/never.txt", 3);
        FsHttpClient.Reply r = complete(started, List.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("bad_request");
        assertThat(post("/stat", Map.of("path", home + "/Documents/never.txt")).status()).isEqualTo(404);
    }

    @Test
    void completingMultipartWithPartsS3DidNotReceiveIsABadRequest() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 3];
        Arrays.fill(content, (byte) 'm');
        JsonNode started = start(home + "/Documents/parts.bin", content.length);
        assertThat(started.get("uploadMode").asString()).isEqualTo("multipart");
        JsonNode urls = started.get("multipartPartUrls");
        assertThat(urls.size()).isEqualTo(2);
        HttpResponse<String> first = put(urls.get(0).get("url").asString(), Arrays.copyOf(content, 5 * 1024 * 1024));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        // Part 2 was never PUT; its ETag is made up.
        FsHttpClient.Reply r = complete(started, List.of(Map.of("partNumber", 1, "etag", etag),
                Map.of("partNumber", 2, "etag", "\"0123456789abcdef0123456789abcdef\"")));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("bad_request");
        assertThat(post("/stat", Map.of("path", home + "/Documents/parts.bin")).status()).isEqualTo(404);
        // The failed upload's multipart upload is aborted in S3.
        assertThat(S3TestServer.shared().pendingUploads()).noneMatch(u -> u.contains(started.get("sessionId").asString()));
    }
}
