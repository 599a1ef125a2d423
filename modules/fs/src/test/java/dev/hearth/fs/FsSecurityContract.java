package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * The security sweep over the filesystem routes (the cases {@link FsHttpContract} does not already cover): hostile
 * paths in every path-taking parameter, tampered signed URLs, another user's entries by uid, and an app token
 * outside its AppData. Every attack must be refused with a 4xx (never a 5xx, never a 2xx) and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FsSecurityContract {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    static final String BOUNDARY = "----hearthsecurityboundary";

    Path dataDir;
    Kernel kernel;
    FsHttpClient http;

    abstract Config config(Path dataDir);

    @BeforeAll
    void boot() throws IOException {
        dataDir = Files.createTempDirectory("hearth-fs-security");
        Config config = config(dataDir).with("http_port", 0).with("shutdown.drain_seconds", 0)
                .with("trusted_proxies", List.of("127.0.0.1/32"));
        kernel = Kernel.builder(config).externalModules(false).module(new WebModule()).module(new CoreModule())
                .module(new FilesystemModule()).build();
        kernel.boot();
        http = new FsHttpClient(kernel.services().get(WebServer.class).port());
    }

    @AfterAll
    void shutDown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    record Account(String username, String token) {
        String home() {
            return "/" + username;
        }
    }

    /** Bob's secret, which alice attacks; and what must stay as it is. */
    record Victim(Account bob, String secretPath, String secretUid, String folderUid) {}

    @Test
    void hostilePathsInEveryPathParameterReachNothingOfAnotherUser() throws IOException {
        Account alice = signup();
        Victim v = victim();
        String bob = v.bob().username();
        String a = alice.username();
        List<String> hostile = List.of(
                "/" + a + "/../" + bob + "/Documents/secret.txt",
                "/" + a + "/Documents/../../" + bob + "/Documents/secret.txt",
                "~/../" + bob + "/Documents/secret.txt",
                "/" + a + "/%2e%2e/" + bob + "/Documents/secret.txt",
                "/" + a + "/..%2F" + bob + "/Documents/secret.txt",
                "/" + a + "/%2E%2E%2F" + bob + "%2FDocuments%2Fsecret.txt",
                "/" + a + "\\..\\" + bob + "\\Documents\\secret.txt",
                "/" + a + "/..\\" + bob + "/Documents/secret.txt",
                "/" + a + "/Documents/\u0000/../../" + bob + "/Documents/secret.txt",
                "/" + a + "/Documents/secret.txt\u0000/../../../" + bob + "/Documents/secret.txt",
                "/" + a + "/\u00c0\u00ae\u00c0\u00ae/" + bob + "/Documents/secret.txt",
                "/" + a + "/\uff0e\uff0e/" + bob + "/Documents/secret.txt",
                "/" + a + "/" + "x".repeat(5000) + "/../../" + bob + "/Documents/secret.txt",
                "/" + a + "/" + "../".repeat(200) + bob + "/Documents/secret.txt");
        String docs = "/" + a + "/Documents";
        for (String path : hostile) {
            String as = "path " + path.replace("\u0000", "\\0").substring(0, Math.min(path.length(), 80));
            refused(as + " /stat", post(alice, "/stat", Map.of("path", path)));
            refused(as + " /readdir", post(alice, "/readdir", Map.of("path", path)));
            refused(as + " /read", get(alice, "/read?file=" + q(path)));
            refused(as + " /delete", post(alice, "/delete", Map.of("paths", List.of(path))));
            refused(as + " /rename", post(alice, "/rename", Map.of("path", path, "new_name", "mine.txt")));
            refused(as + " /move source", post(alice, "/move", Map.of("source", path, "destination", docs)));
            refused(as + " /copy source", post(alice, "/copy", Map.of("source", path, "destination", docs)));
            refused(as + " /sign", signedItems(post(alice, "/sign", Map.of("items",
                    List.of(Map.of("path", path, "action", "write"))))));
            String dir = path.substring(0, path.lastIndexOf("/secret.txt") > 0 ? path.lastIndexOf("/secret.txt")
                    : path.length());
            // Creations: refused, or (a literal "%2e%2e" or backslash is just a name) made inside alice's own home.
            refusedOrOwn(as + " /write path", write(alice, dir, "dropped.txt", "x", Map.of()), a, bob);
            refusedOrOwn(as + " /write overwrite", write(alice, path, "secret.txt", "pwned", Map.of("overwrite", "true")),
                    a, bob);
            refusedOrOwn(as + " /mkdir path", post(alice, "/mkdir", Map.of("path", dir + "/made",
                    "create_missing_parents", true)), a, bob);
            refusedOrOwn(as + " /mkdir parent", post(alice, "/mkdir", Map.of("parent", dir, "path", "made")), a, bob);
            refusedOrOwn(as + " /move destination", post(alice, "/move", Map.of("source", mine(alice),
                    "destination", dir)), a, bob);
            refusedOrOwn(as + " /copy destination", post(alice, "/copy", Map.of("source", mine(alice),
                    "destination", dir)), a, bob);
            refusedOrOwn(as + " /batch", batch(alice, Map.of("op", "mkdir", "path", dir + "/made")), a, bob);
            refusedOrOwn(as + " /batch write", batchWrite(alice, dir, "dropped.txt"), a, bob);
        }
        // Bytes that are not UTF-8 (an overlong "." pair, C0 AE) in a JSON body and in a query.
        byte[] overlong = ("{\"path\":\"/" + a + "/\u0001\u0001/" + bob + "/Documents/secret.txt\"}")
                .getBytes(StandardCharsets.UTF_8);
        int at = indexOf(overlong, (byte) 1);
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAE;
        refused("overlong UTF-8 in JSON", http.send("POST", "/stat", new ByteArrayInputStream(overlong),
                overlong.length, "Authorization: Bearer " + alice.token(), "Content-Type: application/json"));
        refused("overlong UTF-8 in a query", get(alice, "/read?file=%2F" + a + "%2F%C0%AE%C0%AE%2F" + bob
                + "%2FDocuments%2Fsecret.txt"));
        refused("raw NUL in a query", get(alice, "/read?file=%2F" + bob + "%2FDocuments%2Fsecret.txt%00"));

        // Names that are not names: refused with a 4xx, nothing created.
        for (String name : List.of("..", ".", "nul\u0000byte", "x".repeat(10_000))) {
            String as = "name " + name.replace("\u0000", "\\0").substring(0, Math.min(name.length(), 20));
            refused(as + " /mkdir", post(alice, "/mkdir", Map.of("parent", docs, "path", name)));
            refused(as + " /write", write(alice, docs, name, "x", Map.of()));
            refused(as + " /rename", post(alice, "/rename", Map.of("path", mine(alice), "new_name", name)));
        }
        // A slash separates components (mkdir's relative form makes a chain, in her folder); elsewhere it is refused.
        refusedOrOwn("name a/b /mkdir", post(alice, "/mkdir", Map.of("parent", docs, "path", "a/b")), a, bob);
        refusedOrOwn("name a/b /write", write(alice, docs, "a/b", "x", Map.of()), a, bob);
        refused("name a/b /rename", post(alice, "/rename", Map.of("path", mine(alice), "new_name", "a/b")));
        // A backslash is an ordinary character: at most a strange name in her own folder.
        refusedOrOwn("backslash /mkdir", post(alice, "/mkdir", Map.of("parent", docs, "path", "..\\..\\x")), a, bob);
        refusedOrOwn("backslash /write", write(alice, docs, "..\\..\\y", "x", Map.of()), a, bob);
        refused("a very long path", post(alice, "/stat", Map.of("path", "/" + "a/".repeat(50_000))));
        assertUntouched(v);
        // Traversal inside one's own space still resolves there.
        assertThat(post(alice, "/stat", Map.of("path", "/" + a + "/Desktop/../Documents/./mine.txt")).status())
                .isEqualTo(200);
    }

    @Test
    void anotherUsersEntriesByUidAreRefusedEverywhere() throws IOException {
        Account alice = signup();
        Victim v = victim();
        String docs = "/" + alice.username() + "/Documents";
        for (String uid : List.of(v.secretUid(), v.folderUid())) {
            refused("stat " + uid, post(alice, "/stat", Map.of("uid", uid)));
            refused("readdir " + uid, post(alice, "/readdir", Map.of("uid", uid)));
            refused("read " + uid, get(alice, "/read?uid=" + uid));
            refused("read file=uid " + uid, get(alice, "/read?file=" + uid));
            refused("delete " + uid, post(alice, "/delete", Map.of("uids", List.of(uid))));
            refused("rename " + uid, post(alice, "/rename", Map.of("uid", uid, "new_name", "mine")));
            refused("move " + uid, post(alice, "/move", Map.of("source", uid, "destination", docs)));
            refused("copy " + uid, post(alice, "/copy", Map.of("source", uid, "destination", docs)));
            refused("move into " + uid, post(alice, "/move", Map.of("source", mine(alice), "destination", uid)));
            refused("copy into " + uid, post(alice, "/copy", Map.of("source", mine(alice), "destination", uid)));
            refused("mkdir in " + uid, post(alice, "/mkdir", Map.of("parent", uid, "path", "made")));
            refused("write in " + uid, write(alice, uid, "dropped.txt", "x", Map.of("overwrite", "true")));
            refused("sign " + uid, signedItems(post(alice, "/sign", Map.of("items",
                    List.of(Map.of("uid", uid, "action", "write"))))));
            refused("thumbnail " + uid, post(alice, "/update-fsentry-thumbnail", Map.of("uid", uid,
                    "thumbnail", "data:image/png;base64,AAAA")));
            refused("batch delete " + uid, batch(alice, Map.of("op", "delete", "path", uid)));
        }
        assertUntouched(v);
    }

    @Test
    void tamperedSignedUrlsAreRefused() throws Exception {
        Victim v = victim();
        Account bob = v.bob();
        String docs = bob.home() + "/Documents";
        String child = post(bob, "/stat", Map.of("path", docs + "/folder/child.txt")).json().get("uid").asString();
        JsonNode signed = post(bob, "/sign", Map.of("items", List.of(Map.of("uid", v.secretUid(), "action", "write"),
                Map.of("uid", v.folderUid(), "action", "write"), Map.of("uid", v.secretUid(), "action", "read"))))
                .json().get("signatures");
        Map<String, String> file = query(signed.get(0).get("write_url").asString());
        Map<String, String> folder = query(signed.get(1).get("write_url").asString());
        Map<String, String> readOnly = query(signed.get(2).get("read_url").asString());
        String readSig = readOnly.get("signature");
        assertThat(readSig).isNotEqualTo(file.get("signature"));

        List<Map<String, String>> tampered = new ArrayList<>();
        tampered.add(with(file, "uid", child));                                   // another entry
        tampered.add(with(file, "uid", v.folderUid()));
        tampered.add(with(folder, "uid", child));                                 // a folder's signature on its child
        tampered.add(with(file, "expires", Long.toString(Long.parseLong(file.get("expires")) + 1)));
        tampered.add(with(file, "expires", file.get("expires") + "0"));
        tampered.add(with(file, "expires", "-" + file.get("expires")));
        tampered.add(with(file, "expires", " " + file.get("expires")));
        tampered.add(with(file, "signature", flip(file.get("signature"))));
        tampered.add(with(file, "signature", file.get("signature").toUpperCase()));
        tampered.add(with(file, "signature", file.get("signature").substring(1)));
        tampered.add(with(file, "signature", ""));
        tampered.add(without(file, "signature"));
        tampered.add(without(file, "expires"));
        // Validly signed with the server's own secret, but expired.
        long past = java.time.Instant.now().getEpochSecond() - 60;
        tampered.add(with(with(file, "expires", Long.toString(past)), "signature",
                sign(v.secretUid() + "/write/" + past)));
        for (Map<String, String> q : tampered) {
            refused("read " + q, http.send("GET", "/file" + encode(q), (String) null));
            refused("metadata " + q, http.send("GET", "/itemMetadata" + encode(q), (String) null));
            refused("write " + q, signedWrite(encode(q), "evil.txt", "pwned"));
            refused("delete " + q, http.send("POST", "/writeFile" + encode(with(q, "operation", "delete")), "{}"));
        }
        // A read signature never writes, deletes, renames or makes folders, whatever it is called with.
        Map<String, String> read = readOnly; // uid, expires and the signature of a read grant
        refused("read signature writing", signedWrite(encode(read), "evil.txt", "pwned"));
        for (String op : List.of("delete", "rename", "mkdir", "move", "copy")) {
            refused("read signature: " + op, http.send("POST", "/writeFile" + encode(with(read, "operation", op)),
                    json(Map.of("new_name", "x", "name", "x"))));
        }
        // The action is part of what is signed: "read" cannot be swapped for "write" in the query either.
        refused("action in the query", signedWrite(encode(with(read, "action", "write")), "evil.txt", "pwned"));
        // A folder's write signature writes into the folder, and only there: names cannot climb out.
        for (String name : List.of("../escaped.txt", "..", "../../" + bob.username() + "/x", "a/b.txt")) {
            refused("folder write " + name, signedWriteNamed(encode(folder), name));
        }
        assertThat(http.send("GET", "/file" + encode(read), (String) null).text()).isEqualTo("bob's secret");
        assertUntouched(v);
        assertThat(names(bob, docs)).containsExactlyInAnyOrder("secret.txt", "folder");
        assertThat(names(bob, docs + "/folder")).containsExactly("child.txt");
    }

    @Test
    void anAppTokenCannotLeaveItsAppData() throws IOException {
        Account alice = signup();
        FsHttpClient.Reply r = post(alice, "/auth/get-user-app-token", Map.of("origin", "https://notes.example.com"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Account app = new Account(alice.username(), r.json().get("token").asString());
        String appData = alice.home() + "/AppData/" + r.json().get("app_uid").asString();
        String docs = alice.home() + "/Documents";
        assertThat(post(alice, "/mkdir", Map.of("path", appData)).status()).isEqualTo(200);
        String diaryUid = write(alice, docs, "diary.txt", "dear diary", Map.of()).json().get("uid").asString();
        assertThat(write(app, appData, "state.json", "{}", Map.of()).status()).isEqualTo(200);

        for (String path : List.of(docs + "/diary.txt", diaryUid, appData + "/../../Documents/diary.txt",
                appData + "/..\\..\\Documents/diary.txt")) {
            refused("app stat " + path, post(app, "/stat", Map.of("path", path)));
            refused("app read " + path, get(app, "/read?file=" + q(path)));
            refused("app delete " + path, post(app, "/delete", Map.of("paths", List.of(path))));
            refused("app rename " + path, post(app, "/rename", Map.of("path", path, "new_name", "x")));
            refused("app move out " + path, post(app, "/move", Map.of("source", path, "destination", appData)));
            refused("app copy out " + path, post(app, "/copy", Map.of("source", path, "destination", appData)));
            refused("app sign " + path, signedItems(post(app, "/sign", Map.of("items",
                    List.of(Map.of("path", path, "action", "read"))))));
        }
        refused("app readdir Documents", post(app, "/readdir", Map.of("path", docs)));
        refused("app readdir home", post(app, "/readdir", Map.of("path", alice.home())));
        refused("app mkdir in Documents", post(app, "/mkdir", Map.of("path", docs + "/x")));
        refused("app write in Documents", write(app, docs, "x.txt", "x", Map.of()));
        refused("app move its file out", post(app, "/move", Map.of("source", appData + "/state.json",
                "destination", docs)));
        refused("app copy its file out", post(app, "/copy", Map.of("source", appData + "/state.json",
                "destination", docs)));
        refused("app batch out", batch(app, Map.of("op", "mkdir", "path", docs + "/x")));
        assertThat(get(alice, "/read?file=" + q(docs + "/diary.txt")).text()).isEqualTo("dear diary");
        assertThat(names(alice, docs)).containsExactly("diary.txt");
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A refusal: a 4xx (a signed listing with no signature counts as one), never a 2xx or 5xx. */
    static void refused(String what, FsHttpClient.Reply r) {
        assertThat(r.status()).as("%s: %s", what, r).isBetween(400, 499);
    }

    /** A 4xx, or a success whose entries are all in {@code mine}'s home and none in {@code victim}'s. */
    static void refusedOrOwn(String what, FsHttpClient.Reply r, String mine, String victim) {
        assertThat(r.status()).as("%s: %s", what, r).isLessThan(500);
        if (r.status() < 300) {
            assertThat(r.text()).as(what).doesNotContain("\"path\":\"/" + victim + "/")
                    .contains("\"path\":\"/" + mine + "/");
        }
    }

    /** /sign answers 200 with an empty object for items it will not sign: make that a refusal. */
    static FsHttpClient.Reply signedItems(FsHttpClient.Reply r) {
        if (r.status() == 200) {
            JsonNode s = r.json().get("signatures");
            boolean none = s != null && s.size() == 1 && (s.get(0).isEmpty() || !s.get(0).has("signature"));
            return new FsHttpClient.Reply(none ? 404 : 200, r.headers(), r.body());
        }
        return r;
    }

    Victim victim() throws IOException {
        Account bob = signup();
        String docs = bob.home() + "/Documents";
        String secret = write(bob, docs, "secret.txt", "bob's secret", Map.of()).json().get("uid").asString();
        String folder = post(bob, "/mkdir", Map.of("path", docs + "/folder")).json().get("uid").asString();
        write(bob, docs + "/folder", "child.txt", "child", Map.of());
        return new Victim(bob, docs + "/secret.txt", secret, folder);
    }

    void assertUntouched(Victim v) throws IOException {
        assertThat(get(v.bob(), "/read?file=" + q(v.secretPath())).text()).isEqualTo("bob's secret");
        assertThat(names(v.bob(), v.bob().home() + "/Documents")).containsExactlyInAnyOrder("secret.txt", "folder");
        assertThat(names(v.bob(), v.bob().home() + "/Documents/folder")).containsExactly("child.txt");
        assertThat(post(v.bob(), "/stat", Map.of("uid", v.secretUid())).json().get("path").asString())
                .isEqualTo(v.secretPath());
    }

    String mine(Account a) throws IOException {
        String path = a.home() + "/Documents/mine.txt";
        if (post(a, "/stat", Map.of("path", path)).status() != 200) {
            assertThat(write(a, a.home() + "/Documents", "mine.txt", "mine", Map.of()).status()).isEqualTo(200);
        }
        return path;
    }

    List<String> names(Account a, String dir) throws IOException {
        FsHttpClient.Reply r = post(a, "/readdir", Map.of("path", dir));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().forEach(e -> out.add(e.get("name").asString()));
        return out;
    }

    Account signup() throws IOException {
        int n = COUNTER.incrementAndGet();
        String name = "s" + n + "_" + ProcessHandle.current().pid() % 1000;
        FsHttpClient.Reply r = http.send("POST", "/signup", json(Map.of("username", name, "email", name + "@example.com",
                "password", "password-" + name, "p102xyzname", "")),
                "Origin: " + http.origin(), "X-Forwarded-For: 10.8." + (n / 256 % 256) + "." + (n % 256));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Account a = new Account(name, r.json().get("token").asString());
        for (int i = 0; i < 100 && post(a, "/stat", Map.of("path", "/" + name + "/Documents")).status() != 200; i++) {
            FsHttpContract.sleep(50);
        }
        return a;
    }

    static String json(Object value) {
        return Json.mapper().writeValueAsString(value);
    }

    static String q(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    FsHttpClient.Reply post(Account a, String path, Object body) throws IOException {
        return http.send("POST", path, json(body), "Authorization: Bearer " + a.token());
    }

    FsHttpClient.Reply get(Account a, String path) throws IOException {
        return http.send("GET", path, (String) null, "Authorization: Bearer " + a.token());
    }

    FsHttpClient.Reply write(Account a, String dir, String name, String content, Map<String, String> flags)
            throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("path", dir);
        fields.putAll(flags);
        fields.put("size", Integer.toString(bytes.length));
        byte[] body = multipart(fields, name, bytes);
        return http.send("POST", "/write", new ByteArrayInputStream(body), body.length,
                "Authorization: Bearer " + a.token(), "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
    }

    FsHttpClient.Reply batch(Account a, Map<String, Object> op) throws IOException {
        byte[] body = multipart(Map.of("operation", json(op)), null, null);
        FsHttpClient.Reply r = http.send("POST", "/batch", new ByteArrayInputStream(body), body.length,
                "Authorization: Bearer " + a.token(), "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
        return batchResult(r);
    }

    FsHttpClient.Reply batchWrite(Account a, String dir, String name) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("operation", json(Map.of("op", "write", "path", dir, "name", name)));
        fields.put("fileinfo", json(Map.of("name", name, "type", "text/plain", "size", 1)));
        byte[] body = multipart(fields, name, "x".getBytes(StandardCharsets.UTF_8));
        return batchResult(http.send("POST", "/batch", new ByteArrayInputStream(body), body.length,
                "Authorization: Bearer " + a.token(), "Content-Type: multipart/form-data; boundary=" + BOUNDARY));
    }

    /** A batch of one operation: 218 with the operation's error is a refusal with that error's status. */
    static FsHttpClient.Reply batchResult(FsHttpClient.Reply r) {
        if (r.status() == 218) {
            int status = r.json().get("results").get(0).path("status").asInt(500);
            return new FsHttpClient.Reply(status, r.headers(), r.body());
        }
        return r;
    }

    FsHttpClient.Reply signedWrite(String query, String filename, String content) throws IOException {
        byte[] body = multipart(Map.of(), filename, content.getBytes(StandardCharsets.UTF_8));
        return http.send("POST", "/writeFile" + query, new ByteArrayInputStream(body), body.length,
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
    }

    FsHttpClient.Reply signedWriteNamed(String query, String name) throws IOException {
        byte[] body = multipart(Map.of("name", name), name, "escaped".getBytes(StandardCharsets.UTF_8));
        return http.send("POST", "/writeFile" + query, new ByteArrayInputStream(body), body.length,
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
    }

    static byte[] multipart(Map<String, String> fields, String filename, byte[] content) {
        StringBuilder head = new StringBuilder();
        fields.forEach((k, v) -> head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"")
                .append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
        if (filename != null) {
            head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                    .append(filename.replace("\"", "%22")).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        }
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ((filename != null ? "\r\n" : "") + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] c = content == null ? new byte[0] : content;
        byte[] out = new byte[h.length + c.length + tail.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(c, 0, out, h.length, c.length);
        System.arraycopy(tail, 0, out, h.length + c.length, tail.length);
        return out;
    }

    static Map<String, String> query(String url) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    static Map<String, String> with(Map<String, String> q, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(q);
        out.put(key, value);
        return out;
    }

    static Map<String, String> without(Map<String, String> q, String key) {
        Map<String, String> out = new LinkedHashMap<>(q);
        out.remove(key);
        return out;
    }

    static String encode(Map<String, String> q) {
        StringBuilder s = new StringBuilder();
        q.forEach((k, v) -> s.append(s.isEmpty() ? '?' : '&').append(k).append('=').append(q(v)));
        return s.toString();
    }

    static String flip(String hex) {
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
    }

    /** The HMAC the server signs with, keyed with the data directory's {@code url_signature_secret}. */
    String sign(String text) throws Exception {
        String secret = kernel.config().string("url_signature_secret").orElseThrow();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
