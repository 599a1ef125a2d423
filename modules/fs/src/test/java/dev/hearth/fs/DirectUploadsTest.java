package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.sun.net.httpserver.HttpServer;

import dev.hearth.core.CoreModule;
import dev.hearth.fs.spi.BlobStore;
import dev.hearth.fs.spi.DirectUploads;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * The signed flow with a blob store that presigns its own URLs ({@link DirectUploads}, as S3 does): a small object
 * store in the test, with its own HTTP endpoint for the presigned {@code PUT}s, stands in for S3. Hearth hands out the
 * store's URLs, never its own, and completes, copies and aborts through the interface.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectUploadsTest {

    /** A local-disk store whose presigned URLs point at its own HTTP server; parts live in memory until completed. */
    static final class FakeObjectStore implements BlobStore, DirectUploads, Service {
        final LocalDiskBlobStore disk;
        final HttpServer server;
        final Map<String, byte[]> parts = new ConcurrentHashMap<>();
        final Map<String, String> multipart = new ConcurrentHashMap<>();
        final List<String> aborted = new ArrayList<>();

        FakeObjectStore(Path dir) throws IOException {
            disk = new LocalDiskBlobStore(dir);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String query = exchange.getRequestURI().getQuery();
                byte[] body = exchange.getRequestBody().readAllBytes();
                long size = Long.parseLong(query.replaceAll(".*size=(\\d+).*", "$1"));
                int status = 200;
                String etag = "\"" + UUID.randomUUID() + "\"";
                if (body.length != size) {
                    status = 403; // a presigned URL binds the length
                } else if (query.contains("part=")) {
                    parts.put(path.substring(1) + "#" + query.replaceAll(".*part=(\\d+).*", "$1"), body);
                } else {
                    disk.write(path.substring(1), new java.io.ByteArrayInputStream(body), body.length);
                }
                exchange.getResponseHeaders().add("ETag", etag);
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        @Override
        public void shutdown() {
            server.stop(0);
        }

        @Override
        public URI presignPut(String key, long size, String contentType, Duration ttl) {
            return URI.create(base() + key + "?size=" + size);
        }

        @Override
        public String startMultipart(String key, String contentType) {
            String id = "mp-" + UUID.randomUUID();
            multipart.put(id, key);
            return id;
        }

        @Override
        public URI presignPart(String key, String uploadId, int partNumber, long size, Duration ttl) {
            return URI.create(base() + key + "?upload=" + uploadId + "&part=" + partNumber + "&size=" + size);
        }

        @Override
        public void completeMultipart(String key, String uploadId, List<UploadedPart> uploaded) throws IOException {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (UploadedPart p : uploaded) {
                all.write(parts.get(key + "#" + p.partNumber()));
            }
            disk.write(key, new java.io.ByteArrayInputStream(all.toByteArray()), all.size());
            multipart.remove(uploadId);
        }

        @Override
        public void abortMultipart(String key, String uploadId) {
            aborted.add(uploadId);
            multipart.remove(uploadId);
        }

        @Override
        public long write(String key, InputStream content, long expectedLength) throws IOException {
            return disk.write(key, content, expectedLength);
        }

        @Override
        public InputStream open(String key, long offset, long length) throws IOException {
            return disk.open(key, offset, length);
        }

        @Override
        public OptionalLong size(String key) throws IOException {
            return disk.size(key);
        }

        @Override
        public boolean delete(String key) throws IOException {
            return disk.delete(key);
        }

        @Override
        public void copy(String sourceKey, String targetKey) throws IOException {
            disk.copy(sourceKey, targetKey);
        }
    }

    Path dataDir;
    Kernel kernel;
    FsHttpClient http;
    FakeObjectStore store;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void boot() throws IOException {
        dataDir = Files.createTempDirectory("hearth-direct-uploads");
        var config = TestConfig.of(dataDir).with("http_port", 0).with("shutdown.drain_seconds", 0)
                .with("services.filesystem.signed_writes.single_upload_limit", 8);
        Module objectStore = new Module() {
            @Override
            public String name() {
                return "test-object-store";
            }

            @Override
            public void install(ModuleInstaller installer) {
                installer.register("object-store", ctx -> {
                    try {
                        store = new FakeObjectStore(dataDir.resolve("objects"));
                        return store;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        };
        kernel = Kernel.builder(config).externalModules(false).module(new WebModule()).module(new CoreModule())
                .module(objectStore).module(new FilesystemModule()).build();
        kernel.boot();
        http = new FsHttpClient(kernel.services().get(WebServer.class).port());
    }

    @AfterAll
    void shutDown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    String signup() throws IOException {
        String name = "d" + ProcessHandle.current().pid() % 1000 + "_" + UUID.randomUUID().toString().substring(0, 6);
        FsHttpClient.Reply r = http.send("POST", "/signup", Json.mapper().writeValueAsString(Map.of("username", name,
                "email", name + "@example.com", "password", "password-" + name, "p102xyzname", "")),
                "Origin: " + http.origin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String token = r.json().get("token").asString();
        for (int i = 0; i < 100 && post(token, "/stat", Map.of("path", "/" + name + "/Documents")).status() != 200; i++) {
            SignedWritesHttpContract.sleep(50);
        }
        return name + " " + token;
    }

    FsHttpClient.Reply post(String token, String path, Object body) throws IOException {
        return http.send("POST", path, Json.mapper().writeValueAsString(body), "Authorization: Bearer " + token);
    }

    HttpResponse<Void> put(String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void theStorePresignsAndHearthCompletesThroughIt() throws Exception {
        String[] account = signup().split(" ");
        String name = account[0];
        String token = account[1];
        String d = "/" + name + "/Documents";

        // Single: the store's URL; the completion copies the object to a key the URL cannot reach.
        FsHttpClient.Reply r = post(token, "/fs/startBatchWrite", List.of(SignedWritesHttpContract.file(d + "/s.txt", 5)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode el = r.json().get(0);
        assertThat(el.get("url").asString()).startsWith(store.base());
        assertThat(el.get("contentType").asString()).isEqualTo("text/plain");
        assertThat(put(el.get("url").asString(), "hello").statusCode()).isEqualTo(200);
        r = post(token, "/fs/completeWrite", Map.of("uploadId", el.get("sessionId").asString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(put(el.get("url").asString(), "HELLO").statusCode()).isEqualTo(200); // still valid at the store...
        r = http.send("GET", "/read?file=" + java.net.URLEncoder.encode(d + "/s.txt", StandardCharsets.UTF_8),
                (String) null, "Authorization: Bearer " + token);
        assertThat(r.text()).isEqualTo("hello"); // ...but the entry's content is elsewhere

        // Multipart: the store's part URLs and ETags, assembled by the store.
        r = post(token, "/fs/startBatchWrite", List.of(SignedWritesHttpContract.file(d + "/m.bin", 12,
                Map.of("multipartPartSize", 5))));
        el = r.json().get(0);
        assertThat(el.get("uploadMode").asString()).isEqualTo("multipart");
        // S3's smallest part is 5 MiB: a whole 12-byte file is one part.
        assertThat(el.get("multipartPartCount").asInt()).isEqualTo(1);
        String url = el.get("multipartPartUrls").get(0).get("url").asString();
        assertThat(url).startsWith(store.base());
        HttpResponse<Void> part = put(url, "0123456789ab");
        r = post(token, "/fs/completeWrite", Map.of("uploadId", el.get("sessionId").asString(), "parts",
                List.of(Map.of("partNumber", 1, "etag", part.headers().firstValue("etag").orElseThrow()))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("fsEntry").get("size").asLong()).isEqualTo(12);
        r = http.send("GET", "/read?file=" + java.net.URLEncoder.encode(d + "/m.bin", StandardCharsets.UTF_8),
                (String) null, "Authorization: Bearer " + token);
        assertThat(r.text()).isEqualTo("0123456789ab");

        // A declared size the store did not receive is refused; an abort aborts the store's multipart upload.
        r = post(token, "/fs/startBatchWrite", List.of(SignedWritesHttpContract.file(d + "/a.bin", 12,
                Map.of("multipartPartSize", 5))));
        el = r.json().get(0);
        String mp = el.get("multipartUploadId").asString();
        assertThat(store.multipart).containsKey(mp);
        assertThat(post(token, "/fs/abortWrite", Map.of("uploadId", el.get("sessionId").asString())).status())
                .isEqualTo(200);
        assertThat(store.aborted).contains(mp);
    }
}
