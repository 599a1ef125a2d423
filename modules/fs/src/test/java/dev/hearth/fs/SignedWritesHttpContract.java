package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.hearth.core.CoreModule;
import dev.hearth.core.Database;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * puter.js 2.6.3's signed batch-write flow (puterjs-client-contract.md 5.3-5.10) over HTTP against a booted kernel,
 * with Hearth's own upload route as the target, on the engine the subclass names. Uploads of more than 8 bytes go in
 * parts here (a small {@code single_upload_limit}), and each user may store 1 MB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SignedWritesHttpContract {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    static final long CAPACITY = 1_000_000;

    Path dataDir;
    Kernel kernel;
    FsHttpClient http;
    final List<String[]> events = new CopyOnWriteArrayList<>();

    abstract Config config(Path dataDir);

    @BeforeAll
    void boot() throws IOException {
        dataDir = Files.createTempDirectory("hearth-signed-writes");
        Config config = config(dataDir).with("http_port", 0).with("shutdown.drain_seconds", 0)
                .with("trusted_proxies", List.of("127.0.0.1/32"))
                .with("services.filesystem.storage_capacity", CAPACITY)
                .with("services.filesystem.signed_writes.single_upload_limit", 8)
                .with("services.filesystem.signed_writes.part_size", 8)
                .with("services.filesystem.signed_writes.sweep_interval_seconds", 0);
        kernel = Kernel.builder(config).externalModules(false).module(new WebModule()).module(new CoreModule())
                .module(new FilesystemModule()).build();
        kernel.boot();
        http = new FsHttpClient(kernel.services().get(WebServer.class).port());
        kernel.events().on("outer.gui.*", (key, data, meta) -> events.add(new String[] {key, Json.mapper()
                .writeValueAsString(data)}));
    }

    @AfterAll
    void shutDown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    record Account(String username, String token) {
        String home() {
            return "/" + username;
        }
    }

    Account signup() throws IOException {
        int n = COUNTER.incrementAndGet();
        String name = "s" + n + "_" + ProcessHandle.current().pid() % 1000;
        FsHttpClient.Reply r = http.send("POST", "/signup", json(Map.of("username", name, "email", name + "@example.com",
                "password", "password-" + name, "p102xyzname", "")), "Origin: " + http.origin(),
                "X-Forwarded-For: 10.8." + (n / 256 % 256) + "." + (n % 256));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Account a = new Account(name, r.json().get("token").asString());
        for (int i = 0; i < 100 && post(a, "/stat", Map.of("path", a.home() + "/Documents")).status() != 200; i++) {
            sleep(50);
        }
        return a;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String json(Object value) {
        return Json.mapper().writeValueAsString(value);
    }

    FsHttpClient.Reply post(Account a, String path, Object body) throws IOException {
        return http.send("POST", path, json(body), "Authorization: Bearer " + a.token());
    }

    FsHttpClient.Reply read(Account a, String path) throws IOException {
        return http.send("GET", "/read?file=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8), (String) null,
                "Authorization: Bearer " + a.token());
    }

    static Map<String, Object> file(String path, long size, Map<String, Object> options) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("path", path);
        meta.put("size", size);
        meta.put("contentType", "text/plain");
        meta.putAll(options);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("fileMetadata", meta);
        item.put("guiMetadata", Map.of("operationId", "op-1", "itemUploadId", "0", "socketId", "sock-9",
                "originalClientSocketId", "sock-9"));
        return item;
    }

    static Map<String, Object> file(String path, long size) {
        return file(path, size, Map.of("overwrite", false, "dedupeName", false));
    }

    static Map<String, Object> directory(String path) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("path", path);
        meta.put("size", 0);
        meta.put("contentType", "application/x-puter-directory");
        meta.put("overwrite", false);
        meta.put("createMissingParents", true);
        return Map.of("fileMetadata", meta, "directory", true, "guiMetadata", Map.of("operationId", "op-1",
                "itemUploadId", "dir_0", "originalClientSocketId", "sock-9"));
    }

    /** A PUT as the SDK sends it: no credentials, the start response's Content-Type. */
    FsHttpClient.Reply put(String url, byte[] body) throws IOException {
        String path = url.substring(url.indexOf("/fs/upload/"));
        return http.send("PUT", path, new ByteArrayInputStream(body), body.length,
                "Content-Type: application/octet-stream", "Origin: https://app.example.com");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Starts one file, uploads it in one PUT (or its parts), completes it; returns the completion element. */
    JsonNode upload(Account a, Map<String, Object> item, byte[] content) throws IOException {
        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(item));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode started = r.json().get(0);
        Map<String, Object> complete = new LinkedHashMap<>();
        complete.put("uploadId", started.get("sessionId").asString());
        if (started.get("uploadMode").asString().equals("multipart")) {
            int size = started.get("multipartPartSize").asInt();
            List<Map<String, Object>> parts = new ArrayList<>();
            for (JsonNode p : started.get("multipartPartUrls")) {
                int n = p.get("partNumber").asInt();
                byte[] slice = java.util.Arrays.copyOfRange(content, (n - 1) * size, Math.min(n * size, content.length));
                FsHttpClient.Reply put = put(p.get("url").asString(), slice);
                assertThat(put.status()).as(put.toString()).isEqualTo(200);
                parts.add(Map.of("partNumber", n, "etag", put.header("etag").orElseThrow()));
            }
            complete.put("parts", parts);
        } else {
            FsHttpClient.Reply put = put(started.get("url").asString(), content);
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
        }
        r = post(a, "/fs/completeBatchWrite", List.of(complete));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get(0);
    }

    List<String> eventsOf(String key, String containing) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            out.clear();
            events.stream().filter(e -> e[0].equals(key) && e[1].contains(containing)).forEach(e -> out.add(e[1]));
            if (!out.isEmpty()) {
                return out;
            }
            sleep(20);
        }
        return out;
    }

    SignedWrites writes() {
        return kernel.services().get(SignedWrites.class);
    }

    boolean blobExists(String key) throws IOException {
        return kernel.services().get(Filesystem.class).blobStore().size(key).isPresent();
    }

    // ---------------------------------------------------------------------------------------------------------
    // tests

    @Test
    void aSingleUploadGoesThroughStartPutAndComplete() throws IOException {
        Account a = signup();
        String path = a.home() + "/Documents/hello.txt";
        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(file("~/Documents/hello.txt", 5)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode el = r.json().get(0);
        assertThat(el.get("uploadMode").asString()).isEqualTo("single");
        assertThat(el.get("sessionId").asString()).isNotEmpty();
        assertThat(el.get("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
        String url = el.get("url").asString();
        assertThat(url).contains("/fs/upload/" + el.get("sessionId").asString()).contains("part=1").contains("sig=");
        assertThat(eventsOf("outer.gui.item.pending", path).getFirst()).contains("\"pending_upload\":true")
                .contains("\"upload_id\":\"" + el.get("sessionId").asString() + "\"")
                .contains("\"original_client_socket_id\":\"sock-9\"");

        FsHttpClient.Reply put = put(url, bytes("hello"));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.header("etag")).isPresent();
        assertThat(put.header("access-control-expose-headers")).contains("ETag");
        // Uploaded but not completed: nobody can read it.
        assertThat(read(a, path).status()).isEqualTo(404);

        r = post(a, "/fs/completeBatchWrite", List.of(Map.of("uploadId", el.get("sessionId").asString(),
                "guiMetadata", Map.of("originalClientSocketId", "sock-9", "operationId", "op-1"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode done = r.json().get(0);
        assertThat(done.get("sessionId").asString()).isEqualTo(el.get("sessionId").asString());
        assertThat(done.get("wasOverwrite").asBoolean()).isFalse();
        JsonNode entry = done.get("fsEntry");
        assertThat(entry.get("path").asString()).isEqualTo(path);
        assertThat(entry.get("isDir").asBoolean()).isFalse();
        assertThat(entry.get("is_dir").asBoolean()).isFalse();
        assertThat(entry.get("size").asLong()).isEqualTo(5);
        assertThat(entry.get("uuid").asString()).isEqualTo(entry.get("uid").asString()).isEqualTo(
                entry.get("id").asString());
        assertThat(entry.get("parentUid").asString()).isEqualTo(entry.get("parent_uid").asString());
        assertThat(entry.has("user_id")).isFalse();
        assertThat(read(a, path).text()).isEqualTo("hello");
        assertThat(eventsOf("outer.gui.item.added", path).getFirst()).contains("\"original_client_socket_id\":\"sock-9\"")
                .contains("\"operation_id\":\"op-1\"").contains("\"from_new_service\":true");
        // The pending event named the uuid the file got.
        assertThat(eventsOf("outer.gui.item.pending", path).getFirst()).contains(entry.get("uuid").asString());

        // Done is done: a second completion answers the same entry (puter.js retries item by item), a late PUT and
        // an abort are refused.
        r = post(a, "/fs/completeWrite", Map.of("uploadId", el.get("sessionId").asString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("fsEntry").get("uuid").asString()).isEqualTo(entry.get("uuid").asString());
        assertThat(put(url, bytes("HELLO")).status()).isEqualTo(409);
        assertThat(read(a, path).text()).isEqualTo("hello");
        assertThat(post(a, "/fs/abortWrite", Map.of("uploadId", el.get("sessionId").asString())).status())
                .isEqualTo(409);
    }

    @Test
    void aThreePartUploadIsAssembledInOrder() throws IOException {
        Account a = signup();
        byte[] content = bytes("0123456789abcdefghij"); // 20 bytes: parts of 8, 8 and 4
        Map<String, Object> item = file(a.home() + "/Documents/parts.bin", content.length,
                Map.of("multipartPartSize", 8));
        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(item));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode el = r.json().get(0);
        assertThat(el.get("uploadMode").asString()).isEqualTo("multipart");
        assertThat(el.get("multipartPartCount").asInt()).isEqualTo(3);
        assertThat(el.get("multipartPartSize").asInt()).isEqualTo(8);
        assertThat(el.get("multipartPartUrls").size()).isEqualTo(3);
        String id = el.get("sessionId").asString();

        // Fresh URLs for parts 2 and 3, as the SDK asks for missing ones.
        r = post(a, "/fs/signMultipartParts", Map.of("uploadId", id, "partNumbers", List.of(2, 3)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("multipartPartUrls").get(1).get("partNumber").asInt()).isEqualTo(3);
        String[] urls = {el.get("multipartPartUrls").get(0).get("url").asString(),
                r.json().get("multipartPartUrls").get(0).get("url").asString(),
                r.json().get("multipartPartUrls").get(1).get("url").asString()};
        // A part of the wrong length, and a URL for one part used for another, are refused.
        assertThat(put(urls[2], bytes("xyz")).json().get("code").asString()).isEqualTo("size_mismatch");
        FsHttpClient.Reply tampered = http.send("PUT", urls[0].substring(urls[0].indexOf("/fs/upload/"))
                .replace("part=1", "part=2"), new ByteArrayInputStream(bytes("89abcdef")), 8);
        assertThat(tampered.status()).isEqualTo(403);
        assertThat(tampered.json().get("code").asString()).isEqualTo("signature_invalid");
        assertThat(put(urls[0].replaceAll("sig=[0-9a-f]{4}", "sig=0000"), bytes("01234567")).status()).isEqualTo(403);
        assertThat(put(urls[0].replaceAll("exp=\\d+", "exp=99999999999999"), bytes("01234567")).status())
                .isEqualTo(403);

        // Out of order, and part 2 twice (the second wins).
        String[] etags = new String[3];
        etags[2] = put(urls[2], bytes("ghij")).header("etag").orElseThrow();
        put(urls[1], bytes("XXXXXXXX"));
        etags[1] = put(urls[1], bytes("89abcdef")).header("etag").orElseThrow();
        etags[0] = put(urls[0], bytes("01234567")).header("etag").orElseThrow();
        assertThat(writes().stagedKeys(id)).hasSize(3);

        // A stale ETag, or a missing part, is refused and the upload stays pending.
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parts.add(Map.of("partNumber", i + 1, "etag", i == 1 ? "\"0000\"" : etags[i]));
        }
        r = post(a, "/fs/completeWrite", Map.of("uploadId", id, "parts", parts));
        assertThat(r.status()).isEqualTo(400);
        r = post(a, "/fs/completeWrite", Map.of("uploadId", id, "parts", parts.subList(0, 2)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(post(a, "/fs/completeWrite", Map.of("uploadId", id)).status()).isEqualTo(400);

        parts.set(1, Map.of("partNumber", 2, "etag", etags[1]));
        List<String> staged = writes().stagedKeys(id);
        r = post(a, "/fs/completeBatchWrite", List.of(Map.of("uploadId", id, "parts", parts)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get(0).get("fsEntry").get("size").asLong()).isEqualTo(20);
        assertThat(read(a, a.home() + "/Documents/parts.bin").text()).isEqualTo("0123456789abcdefghij");
        for (String key : staged) {
            assertThat(blobExists(key)).as(key).isFalse();
        }
    }

    @Test
    void anOverwriteSwitchesContentAtTheCommitAndKeepsTheUuid() throws IOException {
        Account a = signup();
        String path = a.home() + "/Documents/note.txt";
        JsonNode first = upload(a, file(path, 3), bytes("old"));
        String uuid = first.get("fsEntry").get("uuid").asString();

        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(file(path, 3)));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("item_with_same_name_exists");
        assertThat(r.json().get("entry_name").asString()).isEqualTo("note.txt");

        r = post(a, "/fs/startBatchWrite", List.of(file(path, 7, Map.of("overwrite", true, "dedupeName", false))));
        JsonNode el = r.json().get(0);
        assertThat(put(el.get("url").asString(), bytes("new one")).status()).isEqualTo(200);
        assertThat(read(a, path).text()).isEqualTo("old");
        r = post(a, "/fs/completeBatchWrite", List.of(Map.of("uploadId", el.get("sessionId").asString())));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get(0).get("wasOverwrite").asBoolean()).isTrue();
        assertThat(r.json().get(0).get("fsEntry").get("uuid").asString()).isEqualTo(uuid);
        assertThat(read(a, path).text()).isEqualTo("new one");
        assertThat(eventsOf("outer.gui.item.updated", path)).isNotEmpty();
    }

    @Test
    void collisionsWithinOneRequestDedupeOrConflict() throws IOException {
        Account a = signup();
        String d = a.home() + "/Documents";
        upload(a, file(d + "/a.txt", 1), bytes("a"));
        Map<String, Object> dedupe = Map.of("dedupeName", true);
        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(file(d + "/a.txt", 1, dedupe),
                file(d + "/a.txt", 1, dedupe), file(d + "/b.txt", 1, dedupe), file(d + "/b.txt", 1, dedupe)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode el : r.json()) {
            put(el.get("url").asString(), bytes("x"));
            JsonNode done = post(a, "/fs/completeWrite", Map.of("uploadId", el.get("sessionId").asString())).json();
            names.add(done.get("fsEntry").get("name").asString());
        }
        assertThat(names).containsExactly("a (1).txt", "a (2).txt", "b.txt", "b (1).txt");

        Map<String, Object> overwrite = Map.of("overwrite", true);
        r = post(a, "/fs/startBatchWrite", List.of(file(d + "/c.txt", 1, overwrite), file(d + "/c.txt", 1, overwrite)));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("conflict");
        r = post(a, "/fs/startBatchWrite", List.of(file(d, 1, overwrite)));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("cannot_overwrite_a_directory");
        // A refused request starts nothing.
        assertThat(read(a, d + "/c.txt").status()).isEqualTo(404);
    }

    @Test
    void directoriesAreCreatedAtTheStart() throws IOException {
        Account a = signup();
        String d = a.home() + "/Documents/photos";
        Map<String, Object> inSub = file(d + "/trip/a.txt", 2, Map.of("createMissingParents", true));
        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(directory(d), directory(d + "/trip"), inSub));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode dir = r.json().get(0);
        assertThat(dir.get("sessionId").asString()).isEmpty();
        assertThat(dir.get("contentType").asString()).isEqualTo("inode/directory");
        assertThat(dir.get("directoryCreated").asBoolean()).isTrue();
        assertThat(dir.get("fsEntry").get("isDir").asBoolean()).isTrue();
        assertThat(dir.get("fsEntry").get("path").asString()).isEqualTo(d);
        assertThat(eventsOf("outer.gui.item.added", "\"path\":\"" + d + "/trip\"")).isNotEmpty();
        JsonNode f = r.json().get(2);
        put(f.get("url").asString(), bytes("hi"));
        assertThat(post(a, "/fs/completeWrite", Map.of("uploadId", f.get("sessionId").asString())).status())
                .isEqualTo(200);
        assertThat(read(a, d + "/trip/a.txt").text()).isEqualTo("hi");

        r = post(a, "/fs/startBatchWrite", List.of(directory(d)));
        assertThat(r.json().get(0).get("directoryCreated").asBoolean()).isFalse();
        r = post(a, "/fs/startBatchWrite", List.of(directory(d + "/x"), directory(d + "/x")));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("conflict");
        // Missing parents without createMissingParents: a 404 with a code (so puter.js does not fall back).
        r = post(a, "/fs/startBatchWrite", List.of(file(a.home() + "/Documents/none/a.txt", 1)));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("code").asString()).isEqualTo("dest_does_not_exist");
    }

    @Test
    void badRequestsHaveCodes() throws IOException {
        Account a = signup();
        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(file("/" + a.username(), 1)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("cannot_write_to_root");
        assertThat(post(a, "/fs/startBatchWrite", List.of(file("/", 1))).json().get("code").asString())
                .isEqualTo("cannot_write_to_root");
        assertThat(post(a, "/fs/startBatchWrite", List.of(file(a.home() + "/Documents/../x.txt", 1))).json()
                .get("code").asString()).isEqualTo("field_invalid");
        assertThat(post(a, "/fs/startBatchWrite", List.of(file(a.home() + "//Documents/x.txt", 1))).status())
                .isEqualTo(400);
        assertThat(post(a, "/fs/startBatchWrite", Map.of()).status()).isEqualTo(400);
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            many.add(file(a.home() + "/Documents/f" + i, 1));
        }
        assertThat(post(a, "/fs/startBatchWrite", many).json().get("code").asString()).isEqualTo("bad_request");
        assertThat(post(a, "/fs/startBatchWrite", List.of()).text()).isEqualTo("[]");
        assertThat(http.send("POST", "/fs/startBatchWrite", json(List.of(file(a.home() + "/Documents/y", 1))))
                .status()).isEqualTo(401);

        String unknown = "7d1c2c6a-6f2e-4a8e-9c3b-0a1b2c3d4e5f";
        for (String route : List.of("/fs/completeWrite", "/fs/abortWrite", "/fs/signMultipartParts")) {
            r = post(a, route, Map.of("uploadId", unknown, "partNumbers", List.of(1)));
            assertThat(r.status()).as(route).isEqualTo(404);
            assertThat(r.json().get("code").asString()).as(route).isEqualTo("not_found");
            assertThat(post(a, route, Map.of()).json().get("code").asString()).as(route).isEqualTo("bad_request");
        }
        r = post(a, "/fs/completeWrite", Map.of("uploadId", unknown, "thumbnailData", "data:image/png;base64,AA"));
        assertThat(r.json().get("code").asString()).isEqualTo("bad_request");
        assertThat(http.send("PUT", "/fs/upload/" + unknown + "?part=1&exp=1&sig=00", new ByteArrayInputStream(
                new byte[1]), 1).status()).isEqualTo(404);
        assertThat(http.send("PUT", "/fs/upload/" + unknown, new ByteArrayInputStream(new byte[1]), 1).status())
                .isEqualTo(403);

        // A single upload cannot be signed in parts.
        JsonNode el = post(a, "/fs/startBatchWrite", List.of(file(a.home() + "/Documents/s.txt", 1))).json().get(0);
        r = post(a, "/fs/signMultipartParts", Map.of("uploadId", el.get("sessionId").asString(), "partNumbers",
                List.of(1)));
        assertThat(r.status()).isEqualTo(400);
        // Completing before the bytes arrived is refused; the upload stays pending.
        assertThat(post(a, "/fs/completeWrite", Map.of("uploadId", el.get("sessionId").asString())).status())
                .isEqualTo(400);
        assertThat(put(el.get("url").asString(), bytes("1")).status()).isEqualTo(200);
    }

    @Test
    void uploadsAreTheirOwnersAndTheActorIsChecked() throws IOException {
        Account alice = signup();
        Account bob = signup();
        JsonNode el = post(alice, "/fs/startBatchWrite", List.of(file(alice.home() + "/Documents/mine.txt", 4))).json()
                .get(0);
        String id = el.get("sessionId").asString();
        put(el.get("url").asString(), bytes("mine"));
        for (String route : List.of("/fs/completeWrite", "/fs/abortWrite", "/fs/signMultipartParts")) {
            FsHttpClient.Reply r = post(bob, route, Map.of("uploadId", id, "partNumbers", List.of(1)));
            assertThat(r.status()).as(route).isEqualTo(403);
        }
        // Bob cannot write into Alice's home, nor learn what is there.
        FsHttpClient.Reply r = post(bob, "/fs/startBatchWrite", List.of(file(alice.home() + "/Documents/x.txt", 1)));
        assertThat(r.status()).isIn(403, 404);

        // An app token is held to its AppData.
        r = post(alice, "/auth/get-user-app-token", Map.of("origin", "https://notes.example.com"));
        Account app = new Account(alice.username(), r.json().get("token").asString());
        String appData = alice.home() + "/AppData/" + r.json().get("app_uid").asString();
        assertThat(post(alice, "/mkdir", Map.of("path", appData)).status()).isEqualTo(200);
        assertThat(post(app, "/fs/startBatchWrite", List.of(file(alice.home() + "/Documents/app.txt", 1))).status())
                .isIn(403, 404);
        JsonNode fromApp = upload(app, file(appData + "/state.json", 2), bytes("{}"));
        assertThat(fromApp.get("fsEntry").get("path").asString()).isEqualTo(appData + "/state.json");
        // ... also when completing an upload its user started elsewhere.
        el = post(alice, "/fs/startBatchWrite", List.of(file(alice.home() + "/Documents/d.txt", 1))).json().get(0);
        put(el.get("url").asString(), bytes("d"));
        r = post(app, "/fs/completeWrite", Map.of("uploadId", el.get("sessionId").asString()));
        assertThat(r.status()).isIn(403, 404);
        assertThat(read(alice, alice.home() + "/Documents/d.txt").status()).isEqualTo(404);
    }

    @Test
    void theQuotaCountsUploadsInFlight() throws IOException {
        Account a = signup();
        String d = a.home() + "/Documents";
        FsHttpClient.Reply r = post(a, "/fs/startBatchWrite", List.of(file(d + "/huge.bin", CAPACITY + 1)));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("code").asString()).isEqualTo("storage_limit_reached");
        assertThat(r.header("x-needs-upgrade")).contains("true");
        Map<String, Object> bigParts = Map.of("multipartPartSize", 100_000);
        r = post(a, "/fs/startBatchWrite", List.of(file(d + "/half.bin", CAPACITY / 2 + 1, bigParts)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // The first upload reserves its size until it ends.
        String half = r.json().get(0).get("sessionId").asString();
        r = post(a, "/fs/startBatchWrite", List.of(file(d + "/other-half.bin", CAPACITY / 2 + 1, bigParts)));
        assertThat(r.status()).isEqualTo(413);
        // ... and frees it when it ends.
        assertThat(post(a, "/fs/abortWrite", Map.of("uploadId", half)).status()).isEqualTo(200);
        r = post(a, "/fs/startBatchWrite", List.of(file(d + "/other-half.bin", CAPACITY / 2 + 1, bigParts)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void abortAndExpiryDeleteTheStagedBytes() throws IOException {
        Account a = signup();
        String d = a.home() + "/Documents";
        JsonNode el = post(a, "/fs/startBatchWrite", List.of(file(d + "/gone.txt", 20))).json().get(0);
        String id = el.get("sessionId").asString();
        assertThat(put(el.get("multipartPartUrls").get(0).get("url").asString(), bytes("01234567")).status())
                .isEqualTo(200);
        List<String> staged = writes().stagedKeys(id);
        assertThat(staged).hasSize(1);
        assertThat(blobExists(staged.getFirst())).isTrue();
        FsHttpClient.Reply r = post(a, "/fs/abortWrite", Map.of("uploadId", id));
        assertThat(r.text()).isEqualTo("{\"ok\":true}");
        assertThat(blobExists(staged.getFirst())).isFalse();
        assertThat(put(el.get("multipartPartUrls").get(1).get("url").asString(), bytes("89abcdef")).status())
                .isEqualTo(409);
        assertThat(post(a, "/fs/completeWrite", Map.of("uploadId", id, "parts", List.of(Map.of("partNumber", 1,
                "etag", "x")))).json().get("code").asString()).isEqualTo("conflict");

        // Expired: refused as session_required on the next request, then 409.
        el = post(a, "/fs/startBatchWrite", List.of(file(d + "/late.txt", 2))).json().get(0);
        id = el.get("sessionId").asString();
        put(el.get("url").asString(), bytes("la"));
        staged = writes().stagedKeys(id);
        expire(id);
        r = post(a, "/fs/completeWrite", Map.of("uploadId", id));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("session_required");
        assertThat(blobExists(staged.getFirst())).isFalse();
        assertThat(post(a, "/fs/completeWrite", Map.of("uploadId", id)).status()).isEqualTo(409);
        assertThat(put(el.get("url").asString(), bytes("la")).status()).isEqualTo(403);

        // Expired and never touched again: the sweeper fails it and deletes its bytes.
        el = post(a, "/fs/startBatchWrite", List.of(file(d + "/swept.txt", 2))).json().get(0);
        id = el.get("sessionId").asString();
        put(el.get("url").asString(), bytes("sw"));
        staged = writes().stagedKeys(id);
        expire(id);
        assertThat(writes().sweep()).isGreaterThanOrEqualTo(1);
        assertThat(blobExists(staged.getFirst())).isFalse();
        assertThat(post(a, "/fs/completeWrite", Map.of("uploadId", id)).json().get("code").asString())
                .isEqualTo("conflict");
        assertThat(read(a, d + "/swept.txt").status()).isEqualTo(404);
    }

    private void expire(String id) {
        kernel.services().get(Database.class).jdbi().useHandle(h -> h.execute(
                "UPDATE fs_pending_uploads SET expires_at = 1 WHERE id = ?", id));
    }

    @Test
    void aJsonBodyTypeStillStreams() throws IOException {
        Account a = signup();
        JsonNode el = post(a, "/fs/startBatchWrite", List.of(file(a.home() + "/Documents/data.json", 8))).json().get(0);
        String url = el.get("url").asString();
        FsHttpClient.Reply r = http.send("PUT", url.substring(url.indexOf("/fs/upload/")),
                new ByteArrayInputStream(bytes("{\"a\":1}\n")), 8, "Content-Type: application/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        post(a, "/fs/completeWrite", Map.of("uploadId", el.get("sessionId").asString()));
        assertThat(read(a, a.home() + "/Documents/data.json").text()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void startWriteTakesOneItem() throws IOException {
        Account a = signup();
        FsHttpClient.Reply r = post(a, "/fs/startWrite", Map.of("file_metadata", Map.of("path", "~/Desktop/one.txt",
                "size", 3, "content_type", "text/plain", "dedupe_name", true)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("uploadMode").asString()).isEqualTo("single");
        put(r.json().get("url").asString(), bytes("one"));
        r = post(a, "/fs/completeWrite", Map.of("upload_id", r.json().get("sessionId").asString()));
        assertThat(r.json().get("fsEntry").get("path").asString()).isEqualTo(a.home() + "/Desktop/one.txt");
    }

    @Test
    void theOtherFsRoutesAnswerV2Entries() throws IOException {
        Account a = signup();
        String d = a.home() + "/Documents/v2";
        FsHttpClient.Reply r = post(a, "/fs/mkdir", Map.of("path", d + "/in", "createMissingParents", true));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("isDir").asBoolean()).isTrue();
        assertThat(r.json().get("path").asString()).isEqualTo(d + "/in");

        r = post(a, "/fs/write", Map.of("fileMetadata", Map.of("path", d + "/w.txt", "size", 5), "fileContent", "hello"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("fsEntry").get("size").asLong()).isEqualTo(5);
        assertThat(r.json().get("wasOverwrite").asBoolean()).isFalse();
        assertThat(r.json().get("contentHashSha256").asString()).isEqualTo(
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        r = post(a, "/fs/write", Map.of("fileMetadata", Map.of("path", d + "/w.txt", "overwrite", true),
                "fileContent", Map.of("base64", "aGk=")));
        assertThat(r.json().get("wasOverwrite").asBoolean()).isTrue();
        assertThat(read(a, d + "/w.txt").text()).isEqualTo("hi");
        r = post(a, "/fs/batchWrite", List.of(Map.of("fileMetadata", Map.of("path", d + "/b1.txt"), "fileContent", "1"),
                Map.of("fileMetadata", Map.of("path", d + "/b2.txt"), "fileContent", "2")));
        assertThat(r.json().size()).isEqualTo(2);
        assertThat(r.json().get(1).get("fsEntry").get("name").asString()).isEqualTo("b2.txt");

        r = post(a, "/fs/stat", Map.of("path", d + "/w.txt"));
        assertThat(r.json().get("isDir").asBoolean()).isFalse();
        assertThat(r.json().get("uuid").asString()).isNotEmpty();
        assertThat(post(a, "/fs/stat", Map.of("path", d + "/none")).json().get("code").asString())
                .isEqualTo("subject_does_not_exist");
        assertThat(post(a, "/fs/touch", Map.of("path", d + "/t.txt")).json().get("size").asLong()).isZero();
        r = post(a, "/fs/rename", Map.of("path", d + "/t.txt", "newName", "u.txt"));
        assertThat(r.json().get("name").asString()).isEqualTo("u.txt");
        r = post(a, "/fs/move", Map.of("source", d + "/u.txt", "destination", d + "/in"));
        assertThat(r.json().get("path").asString()).isEqualTo(d + "/in/u.txt");
        r = post(a, "/fs/copy", Map.of("source", d + "/w.txt", "destination", d + "/in"));
        assertThat(r.json().get("path").asString()).isEqualTo(d + "/in/w.txt");
        r = http.send("GET", "/fs/read?path=" + java.net.URLEncoder.encode(d + "/in/w.txt", StandardCharsets.UTF_8),
                (String) null, "Authorization: Bearer " + a.token());
        assertThat(r.text()).isEqualTo("hi");
        r = post(a, "/fs/search", Map.of("query", "b1"));
        assertThat(r.json().get(0).get("name").asString()).isEqualTo("b1.txt");
        assertThat(post(a, "/fs/delete", Map.of("path", d + "/in")).text()).isEqualTo("{\"ok\":true}");
        assertThat(post(a, "/fs/stat", Map.of("path", d + "/in")).status()).isEqualTo(404);
        assertThat(post(a, "/fs/write", Map.of("fileMetadata", Map.of("path", "/x"), "fileContent", "")).json()
                .get("code").asString()).isEqualTo("cannot_write_to_root");

        r = post(a, "/fs/mkshortcut", Map.of("path", d + "/link", "target", d + "/w.txt"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("isShortcut").asBoolean()).isTrue();
        assertThat(r.json().get("shortcutTo").asString()).isEqualTo(post(a, "/fs/stat", Map.of("path", d + "/w.txt"))
                .json().get("uuid").asString());

        // The multipart form of /fs/batchWrite: a manifest, then the files, each streamed.
        String boundary = "----signedwritesboundary";
        String manifest = json(Map.of("items", List.of(Map.of("index", 0, "fileMetadata", Map.of("path", d + "/m0.txt")),
                Map.of("index", 1, "fileMetadata", Map.of("path", d + "/m1.txt", "size", 3)))));
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\n\r\n" + manifest
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file-1\"; filename=\"m1.txt\"\r\n\r\n"
                + "one\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"0\"; filename=\"m0.txt\"\r\n\r\n"
                + "zero\r\n--" + boundary + "--\r\n";
        byte[] formBytes = bytes(form);
        r = http.send("POST", "/fs/batchWrite", new ByteArrayInputStream(formBytes), formBytes.length,
                "Authorization: Bearer " + a.token(), "Content-Type: multipart/form-data; boundary=" + boundary);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get(0).get("fsEntry").get("name").asString()).isEqualTo("m0.txt");
        assertThat(r.json().get(1).get("fsEntry").get("size").asLong()).isEqualTo(3);
        assertThat(read(a, d + "/m0.txt").text()).isEqualTo("zero");
        assertThat(read(a, d + "/m1.txt").text()).isEqualTo("one");
    }

    FsHttpClient.Reply readdir(Account a, Map<String, Object> body) throws IOException {
        Map<String, Object> withToken = new LinkedHashMap<>(body);
        withToken.put("auth_token", a.token());
        return http.send("POST", "/fs/readdir", json(withToken), "Content-Type: text/plain;actually=json");
    }

    static List<String> names(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(e -> out.add(e.get("name").asString()));
        return out;
    }

    @Test
    void fsReaddirSortsPagesCountsAndRecurses() throws IOException {
        Account a = signup();
        String d = a.home() + "/Documents/list";
        post(a, "/fs/write", Map.of("fileMetadata", Map.of("path", d + "/b.txt", "createMissingParents", true),
                "fileContent", "bb"));
        post(a, "/fs/write", Map.of("fileMetadata", Map.of("path", d + "/a.md"), "fileContent", "aaa"));
        post(a, "/fs/write", Map.of("fileMetadata", Map.of("path", d + "/sub/deep/c.txt", "createMissingParents", true),
                "fileContent", "c"));

        FsHttpClient.Reply r = readdir(a, Map.of("path", d, "sortBy", "name"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(names(r.json())).containsExactly("a.md", "b.txt", "sub");
        assertThat(names(readdir(a, Map.of("path", d, "sort_by", "NAME", "sort_order", "DESC")).json()))
                .containsExactly("sub", "b.txt", "a.md");
        assertThat(names(readdir(a, Map.of("path", d, "sortBy", "size", "sortOrder", "desc")).json()))
                .containsExactly("a.md", "b.txt", "sub");
        assertThat(names(readdir(a, Map.of("path", d, "sortBy", "name", "offset", 1, "limit", 1)).json()))
                .containsExactly("b.txt");

        Map<String, Object> paged = new LinkedHashMap<>(Map.of("path", d, "sortBy", "name", "limit", 2,
                "includeTotal", true));
        paged.put("cursor", null);
        r = readdir(a, paged);
        assertThat(names(r.json().get("items"))).containsExactly("a.md", "b.txt");
        assertThat(r.json().get("total").asInt()).isEqualTo(3);
        paged.put("cursor", r.json().get("cursor").asString());
        r = readdir(a, paged);
        assertThat(names(r.json().get("items"))).containsExactly("sub");
        assertThat(r.json().has("cursor")).isFalse();

        r = readdir(a, Map.of("path", d, "recursive", true));
        List<String> paths = new ArrayList<>();
        r.json().get("items").forEach(e -> paths.add(e.get("path").asString()));
        assertThat(paths).containsExactly(d + "/a.md", d + "/b.txt", d + "/sub", d + "/sub/deep", d + "/sub/deep/c.txt");
        r = readdir(a, Map.of("path", d, "recursive", true, "depth", 2));
        assertThat(r.json().get("items").size()).isEqualTo(4);
        assertThat(readdir(a, Map.of("path", "/", "recursive", true)).status()).isEqualTo(400);
        assertThat(readdir(a, Map.of("path", d + "/a.md", "sortBy", "name")).status()).isEqualTo(422);
    }
}
