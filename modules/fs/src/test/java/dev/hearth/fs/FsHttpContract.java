package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP routes of the filesystem (filesystem.md sections 2-3, examples.md section 2) against a booted kernel (web,
 * core, filesystem on port 0), on the engine the subclass names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FsHttpContract {

    static final String TPJ = "Content-Type: text/plain;actually=json";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    Path dataDir;
    Kernel kernel;
    FsHttpClient http;

    abstract Config config(Path dataDir);

    /** Modules that provide the blob store (storage-s3 runs this suite on S3); none for the local disk. */
    List<Module> storageModules() {
        return List.of();
    }

    @BeforeAll
    void boot() throws IOException {
        dataDir = Files.createTempDirectory("hearth-fs-http");
        Config config = config(dataDir).with("http_port", 0).with("shutdown.drain_seconds", 0)
                .with("trusted_proxies", List.of("127.0.0.1/32"));
        Kernel.Builder builder = Kernel.builder(config).externalModules(false).module(new WebModule())
                .module(new CoreModule()).module(new FilesystemModule());
        storageModules().forEach(builder::module);
        kernel = builder.build();
        kernel.boot();
        http = new FsHttpClient(kernel.services().get(WebServer.class).port());
    }

    @AfterAll
    void shutDown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    record Account(String username, String token) {}

    Account signup() throws IOException {
        return signup(null);
    }

    /** A new account with {@code email}, or {@code <username>@example.com}. */
    Account signup(String email) throws IOException {
        int n = COUNTER.incrementAndGet();
        String name = "u" + n + "_" + ProcessHandle.current().pid() % 1000;
        FsHttpClient.Reply r = http.send("POST", "/signup", json(Map.of("username", name, "email",
                email != null ? email : name + "@example.com", "password", "password-" + name, "p102xyzname", "")),
                "Origin: " + http.origin(), "X-Forwarded-For: 10.9." + (n / 256 % 256) + "." + (n % 256));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Account a = new Account(name, r.json().get("token").asString());
        for (int i = 0; i < 100 && post(a, "/stat", Map.of("path", "/" + name + "/Documents")).status() != 200; i++) {
            sleep(50); // the home follows the account through an event
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

    /** As puter.js sends /stat and /readdir: the token in the body, {@code text/plain;actually=json}. */
    FsHttpClient.Reply postInBody(Account a, String path, Map<String, Object> body) throws IOException {
        Map<String, Object> withToken = new LinkedHashMap<>(body);
        withToken.put("auth_token", a.token());
        return http.send("POST", path, json(withToken), TPJ);
    }

    FsHttpClient.Reply get(Account a, String path, String... headers) throws IOException {
        List<String> all = new ArrayList<>(List.of(headers));
        all.add("Authorization: Bearer " + a.token());
        return http.send("GET", path, (String) null, all.toArray(String[]::new));
    }

    static String q(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A multipart body: text fields in order, then a file part whose content is {@code content}. */
    static final String BOUNDARY = "----hearthtestboundary7MA4YWxkTrZu0gW";

    record Multipart(InputStream body, long length) {}

    static Multipart multipart(Map<String, String> fields, String filename, InputStream content, long contentLength) {
        StringBuilder head = new StringBuilder();
        fields.forEach((k, v) -> head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"")
                .append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
        if (filename != null) {
            head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                    .append(filename).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        }
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ((filename != null ? "\r\n" : "") + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        InputStream body = new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(h),
                filename != null ? content : InputStream.nullInputStream()), new ByteArrayInputStream(tail));
        return new Multipart(body, h.length + (filename != null ? contentLength : 0) + tail.length);
    }

    FsHttpClient.Reply write(Account a, String dir, String name, String content, Map<String, String> flags)
            throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("path", dir);
        fields.putAll(flags);
        fields.put("size", Integer.toString(bytes.length));
        Multipart m = multipart(fields, name, new ByteArrayInputStream(bytes), bytes.length);
        return http.send("POST", "/write", m.body(), m.length(), "Authorization: Bearer " + a.token(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
    }

    FsHttpClient.Reply write(Account a, String dir, String name, String content) throws IOException {
        return write(a, dir, name, content, Map.of());
    }

    // ---------------------------------------------------------------------------------------------------------
    // tests

    @Test
    void mkdirWriteStatReaddirReadAsPuterJsSendsThem() throws IOException {
        Account a = signup();
        String home = "/" + a.username();
        FsHttpClient.Reply r = post(a, "/mkdir", Map.of("parent", home + "/Documents", "path", "ex",
                "overwrite", false, "dedupe_name", false, "create_missing_parents", false));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        r.json().propertyNames().forEach(keys::add);
        assertThat(keys).containsExactly("id", "associated_app_id", "public_token", "file_request_token", "parent_uid",
                "is_dir", "is_public", "is_shortcut", "is_symlink", "symlink_path", "sort_by", "sort_order", "immutable",
                "name", "metadata", "modified", "created", "accessed", "size", "layout", "path", "thumbnail", "dirname",
                "dirpath", "writable", "parent_id", "uid", "subdomains", "workers", "has_website",
                "parent_dirs_created", "requested_path");
        assertThat(r.json().get("path").asString()).isEqualTo(home + "/Documents/ex");
        assertThat(r.json().get("is_dir").asBoolean()).isTrue();
        assertThat(r.json().get("requested_path").asString()).isEqualTo("ex");

        r = write(a, home + "/Documents/ex", "hello.txt", "hello again, new world!");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String uid = r.json().get("uid").asString();
        assertThat(r.json().get("size").asLong()).isEqualTo(23);
        assertThat(r.json().has("thumbnail")).isTrue();

        r = postInBody(a, "/stat", Map.of("path", "~/Documents/ex/hello.txt"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        keys.clear();
        r.json().propertyNames().forEach(keys::add);
        assertThat(keys).containsExactly("is_empty", "id", "associated_app_id", "public_token", "file_request_token",
                "parent_uid", "is_dir", "is_public", "is_shortcut", "is_symlink", "symlink_path", "sort_by",
                "sort_order", "immutable", "name", "metadata", "modified", "created", "accessed", "size", "layout",
                "path", "owner", "type", "dirname", "dirpath", "writable", "parent_id", "uid", "subdomains", "workers",
                "has_website");
        assertThat(r.json().get("type").asString()).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.json().get("owner").get("username").asString()).isEqualTo(a.username());
        assertThat(postInBody(a, "/stat", Map.of("uid", uid, "path", "/nope")).json().get("name").asString())
                .isEqualTo("hello.txt");
        assertThat(get(a, "/stat?uid=" + uid).json().get("path").asString())
                .isEqualTo(home + "/Documents/ex/hello.txt");

        r = postInBody(a, "/readdir", Map.of("path", home + "/Documents/ex"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json().get(0).get("name").asString()).isEqualTo("hello.txt");
        assertThat(r.json().get(0).has("subdomain_uuid")).isTrue();
        assertThat(r.json().get(0).has("type")).isFalse();

        r = get(a, "/read?file=" + q(home + "/Documents/ex/hello.txt"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello again, new world!");
        assertThat(r.header("content-type").orElseThrow()).startsWith("application/octet-stream");
        assertThat(r.header("accept-ranges")).contains("bytes");

        r = get(a, "/read?file=" + q(home + "/Documents/ex/hello.txt"), "Range: bytes=6-10");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("again");
        assertThat(r.header("content-range")).contains("bytes 6-10/23");
        assertThat(get(a, "/read?file=" + q(home + "/Documents/ex/hello.txt"), "Range: bytes=100-").status())
                .isEqualTo(416);
        assertThat(get(a, "/read?file=" + uid + "&offset=6&byte_count=5").text()).isEqualTo("again");
    }

    @Test
    void errorsHaveTheExactBodies() throws IOException {
        Account a = signup();
        String home = "/" + a.username();
        assertThat(postInBody(a, "/stat", Map.of("path", home + "/missing")).text())
                .isEqualTo("{\"message\":\"File or directory not found.\",\"code\":\"subject_does_not_exist\"}");
        assertThat(postInBody(a, "/stat", Map.of("uid", "5b1f3f0a-6a0e-4b53-9d43-1f2a7f5e9a10")).status())
                .isEqualTo(404);
        FsHttpClient.Reply r = postInBody(a, "/stat", Map.of());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"message\":\"Field `subject` is required.\",\"key\":\"subject\","
                + "\"code\":\"field_missing\"}");
        assertThat(postInBody(a, "/stat", Map.of("path", "")).json().get("code").asString()).isEqualTo("field_invalid");
        assertThat(get(a, "/read").text())
                .isEqualTo("{\"message\":\"Field `file` is required.\",\"key\":\"file\",\"code\":\"field_missing\"}");
        assertThat(get(a, "/read?file=.").json().get("code").asString()).isEqualTo("unresolved_relative_path");
        assertThat(get(a, "/read?file=" + q(home + "/Documents")).text())
                .isEqualTo("{\"message\":\"Cannot read a directory.\",\"code\":\"cannot_read_a_directory\"}");
        assertThat(get(a, "/read?file=" + q(home + "/x") + "&byte_count=0").text())
                .isEqualTo("{\"message\":\"`byte_count` must be a positive integer\"}");
        assertThat(post(a, "/mkdir", Map.of()).text()).isEqualTo("{\"message\":\"path is required\"}");
        assertThat(post(a, "/mkdir", Map.of("path", home + "/Documents")).text()).isEqualTo(
                "{\"message\":\"An item with name `Documents` already exists.\",\"entry_name\":\"Documents\","
                        + "\"code\":\"item_with_same_name_exists\"}");
        assertThat(post(a, "/mkdir", Map.of("path", "/newtop")).status()).isEqualTo(403);
        r = post(a, "/mkdir", Map.of("path", home + "/no/such"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asString()).isEqualTo("dest_does_not_exist");
        r = postInBody(a, "/readdir", Map.of("path", home + "/Documents", "no_thumbs", "maybe"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("field_invalid");
        assertThat(write(a, home + "/Documents", "f.txt", "x").status()).isEqualTo(200);
        r = postInBody(a, "/readdir", Map.of("path", home + "/Documents/f.txt"));
        assertThat(r.text()).isEqualTo(
                "{\"message\":\"Readdir target must be a directory.\",\"code\":\"readdir_of_non_directory\"}");
        assertThat(write(a, home + "/Documents", "f.txt", "y").status()).isEqualTo(409);
        assertThat(write(a, home + "/Documents", "f.txt", "y", Map.of("overwrite", "true")).status()).isEqualTo(200);
        assertThat(write(a, home + "/Documents", "f.txt", "z", Map.of("dedupe_name", "true")).json().get("name")
                .asString()).isEqualTo("f (1).txt");
        assertThat(write(a, "/", "f.txt", "y").json().get("code").asString()).isEqualTo("cannot_write_to_root");
        Multipart noSize = multipart(Map.of("path", home), "a.txt", new ByteArrayInputStream(new byte[1]), 1);
        r = http.send("POST", "/write", noSize.body(), noSize.length(), "Authorization: Bearer " + a.token(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
        assertThat(r.json().get("code").asString()).isEqualTo("missing_expected_metadata");
        Multipart noFile = multipart(Map.of("path", home, "size", "1"), null, null, 0);
        r = http.send("POST", "/write", noFile.body(), noFile.length(), "Authorization: Bearer " + a.token(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
        assertThat(r.text()).isEqualTo("{\"message\":\"Field `file` is required.\",\"key\":\"file\","
                + "\"code\":\"field_missing\"}");

        assertThat(post(a, "/delete", Map.of()).text()).isEqualTo("paths is required");
        assertThat(post(a, "/delete", Map.of("paths", "x")).text()).isEqualTo("paths must be an array");
        assertThat(post(a, "/delete", Map.of("paths", List.of())).text()).isEqualTo("paths cannot be empty");
        assertThat(post(a, "/delete", Map.of("paths", List.of(home + "/Desktop"))).text())
                .isEqualTo("{\"message\":\"File is immutable.\",\"code\":\"immutable\"}");
        assertThat(post(a, "/delete", Map.of("paths", List.of("/"))).status()).isEqualTo(403);

        assertThat(http.send("POST", "/stat", json(Map.of("path", "/x"))).text())
                .isEqualTo("{\"message\":\"Missing authentication token.\",\"code\":\"token_missing\"}");
        assertThat(http.send("POST", "/stat", json(Map.of("path", "/x", "auth_token", "garbage")), TPJ).status())
                .isEqualTo(401);
    }

    @Test
    void deleteMoveRenameCopyAndDf() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        post(a, "/mkdir", Map.of("path", d + "/src/deep", "create_missing_parents", true));
        write(a, d + "/src", "notes.md", "# notes");
        write(a, d + "/src/deep", "x.txt", "x");
        post(a, "/mkdir", Map.of("path", d + "/archive"));

        FsHttpClient.Reply r = post(a, "/rename", Map.of("path", d + "/src/notes.md", "new_name", "readme.md"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        r.json().propertyNames().forEach(keys::add);
        assertThat(keys).containsExactly("uid", "name", "is_dir", "path", "old_path", "type", "associated_app");
        assertThat(r.json().get("is_dir").asInt()).isEqualTo(0);
        assertThat(r.json().get("type").asString()).isEqualTo("text/markdown; charset=utf-8");
        write(a, d + "/src", "other.txt", "o");
        r = post(a, "/rename", Map.of("path", d + "/src/readme.md", "new_name", "other.txt"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(post(a, "/rename", Map.of("path", d + "/src/readme.md", "new_name", "a/b")).text())
                .isEqualTo("{\"error\":{\"message\":\"Name can not contain the '/' character.\"}}");
        assertThat(post(a, "/rename", Map.of("path", d, "new_name", "Docs")).text())
                .isEqualTo("{\"error\":{\"message\":\"Immutable: cannot rename.\"}}");

        r = post(a, "/move", Map.of("source", d + "/src/readme.md", "destination", d + "/archive",
                "new_name", "old-readme.md"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("moved").get("path").asString()).isEqualTo(d + "/archive/old-readme.md");
        assertThat(r.json().get("old_path").asString()).isEqualTo(d + "/src/readme.md");
        List<String> movedKeys = new ArrayList<>();
        r.json().get("moved").propertyNames().forEach(movedKeys::add);
        assertThat(movedKeys.subList(20, movedKeys.size())).containsExactly("path", "suggested_apps", "owner",
                "thumbnail", "dirname", "dirpath", "writable", "parent_id", "uid", "subdomains", "workers", "has_website");
        assertThat(r.json().get("parent_dirs_created").isArray()).isTrue();
        r = post(a, "/move", Map.of("source", d + "/src", "destination", d + "/src/deep"));
        assertThat(r.text()).isEqualTo("{\"message\":\"Cannot move an item into itself.\","
                + "\"code\":\"cannot_move_item_into_itself\"}");
        assertThat(post(a, "/move", Map.of("source", d + "/src/other.txt", "destination", d + "/archive",
                "new_name", "..")).text()).isEqualTo("{\"message\":\"Name can not be the '..' character.\"}");

        r = post(a, "/copy", Map.of("source", d + "/src", "destination", d + "/archive"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json().get(0).get("copied").get("path").asString()).isEqualTo(d + "/archive/src");
        List<String> copiedKeys = new ArrayList<>();
        r.json().get(0).get("copied").propertyNames().forEach(copiedKeys::add);
        assertThat(copiedKeys).startsWith("is_dir", "parent_uid", "name", "created", "modified", "path", "size");
        assertThat(get(a, "/read?file=" + q(d + "/archive/src/deep/x.txt")).text()).isEqualTo("x");
        r = post(a, "/copy", Map.of("source", d + "/src", "destination", d + "/archive", "dedupe_name", true));
        assertThat(r.json().get(0).get("copied").get("name").asString()).isEqualTo("src (1)");

        r = post(a, "/delete", Map.of("paths", List.of(d + "/src")));
        assertThat(r.json().get("code").asString()).isEqualTo("not_empty");
        r = post(a, "/delete", Map.of("paths", List.of(d + "/src"), "recursive", true));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/src")).status()).isEqualTo(404);
        r = post(a, "/delete", Map.of("paths", List.of(d + "/archive"), "recursive", true, "descendants_only", true));
        assertThat(r.status()).isEqualTo(200);
        assertThat(postInBody(a, "/readdir", Map.of("path", d + "/archive")).json().size()).isZero();

        r = http.send("POST", "/df", "", "Authorization: Bearer " + a.token(), TPJ);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("used").isNumber()).isTrue();
        assertThat(r.json().get("capacity").isNumber()).isTrue();
    }

    @Test
    void anotherUsersFilesAreInvisibleAndTraversalLeaksNothing() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String secret = "/" + bob.username() + "/Documents/secret.txt";
        assertThat(write(bob, "/" + bob.username() + "/Documents", "secret.txt", "s").status()).isEqualTo(200);
        String missing = "/" + bob.username() + "/Documents/missing.txt";
        String notFound = "{\"message\":\"File or directory not found.\",\"code\":\"subject_does_not_exist\"}";
        for (String path : List.of(secret, missing, "/" + alice.username() + "/../" + bob.username()
                + "/Documents/secret.txt", "//" + bob.username() + "/Documents/./secret.txt")) {
            assertThat(postInBody(alice, "/stat", Map.of("path", path)).text()).as(path).isEqualTo(notFound);
            assertThat(get(alice, "/read?file=" + q(path)).text()).as(path).isEqualTo(notFound);
        }
        assertThat(get(alice, "/read?file=" + secret.replace("/", "%2F")).text()).isEqualTo(notFound);
        String uid = postInBody(bob, "/stat", Map.of("path", secret)).json().get("uid").asString();
        assertThat(postInBody(alice, "/stat", Map.of("uid", uid)).text()).isEqualTo(notFound);
        assertThat(post(alice, "/delete", Map.of("paths", List.of(secret))).text()).isEqualTo(notFound);
        assertThat(post(alice, "/rename", Map.of("uid", uid, "new_name", "mine.txt")).text()).isEqualTo(notFound);
        assertThat(write(alice, "/" + bob.username() + "/Documents", "drop.txt", "x").status()).isIn(403, 404);
        assertThat(post(alice, "/mkdir", Map.of("path", "/" + bob.username() + "/Documents/x")).status())
                .isIn(403, 404);
        assertThat(postInBody(bob, "/stat", Map.of("path", secret)).status()).isEqualTo(200);
    }

    /**
     * The ACL with the request's actor: bob reads in a folder alice shared with him ({@code fs:<uuid>:read}) and
     * nothing else of hers. On SQLite this runs on the single connection: the ACL reads the permissions on the
     * filesystem's own connection (a second one would wait 30 s and fail).
     */
    @Test
    void aSharedFolderIsReadableAndNothingElse() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String docs = "/" + alice.username() + "/Documents";
        String shared = post(alice, "/mkdir", Map.of("path", docs + "/shared")).json().get("uid").asString();
        write(alice, docs + "/shared", "s.txt", "shared content");
        write(alice, docs, "private.txt", "private");
        FsHttpClient.Reply r = post(alice, "/auth/grant-user-user", Map.of("target_username", bob.username(),
                "permission", "fs:" + shared + ":read"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);

        JsonNode shares = postInBody(alice, "/stat", Map.of("uid", shared, "return_shares", true)).json().get("shares");
        assertThat(shares.get("users").get(0).get("user").get("username").asString()).isEqualTo(bob.username());
        assertThat(shares.get("users").get(0).get("access").asString()).isEqualTo("read");
        assertThat(shares.get("apps").size()).isZero();

        long start = System.nanoTime();
        r = get(bob, "/read?file=" + q(docs + "/shared/s.txt"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("shared content");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        r = postInBody(bob, "/stat", Map.of("path", docs + "/shared/s.txt"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("owner").get("username").asString()).isEqualTo(alice.username());
        assertThat(postInBody(bob, "/readdir", Map.of("path", docs + "/shared")).json().get(0).get("name").asString())
                .isEqualTo("s.txt");
        // Read, not write: a refusal he can see is a 403.
        assertThat(write(bob, docs + "/shared", "s.txt", "mine", Map.of("overwrite", "true")).text())
                .isEqualTo("{\"message\":\"Permission denied.\",\"code\":\"forbidden\"}");
        assertThat(post(bob, "/delete", Map.of("paths", List.of(docs + "/shared/s.txt"))).status()).isEqualTo(403);
        // The shares view: her home in bob's root, and in her home only what she shared.
        List<String> roots = new ArrayList<>();
        postInBody(bob, "/readdir", Map.of("path", "/")).json().forEach(e -> roots.add(e.get("name").asString()));
        assertThat(roots).containsExactly(bob.username(), alice.username());
        r = postInBody(bob, "/readdir", Map.of("path", "/" + alice.username()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        assertThat(r.json().get(0).get("path").asString()).isEqualTo(docs + "/shared");
        // Her other files: as if they did not exist.
        assertThat(get(bob, "/read?file=" + q(docs + "/private.txt")).text())
                .isEqualTo("{\"message\":\"File or directory not found.\",\"code\":\"subject_does_not_exist\"}");
        assertThat(postInBody(bob, "/readdir", Map.of("path", docs)).status()).isEqualTo(404);
    }

    @Test
    void anAppTokenIsHeldToItsAppData() throws IOException {
        Account alice = signup();
        FsHttpClient.Reply r = post(alice, "/auth/get-user-app-token", Map.of("origin", "https://notes.example.com"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Account app = new Account(alice.username(), r.json().get("token").asString());
        String appUid = r.json().get("app_uid").asString();
        String appData = "/" + alice.username() + "/AppData/" + appUid;
        assertThat(post(alice, "/mkdir", Map.of("path", appData)).status()).isEqualTo(200);
        write(alice, "/" + alice.username() + "/Documents", "diary.txt", "dear diary");

        assertThat(write(app, appData, "state.json", "{}").status()).isEqualTo(200);
        assertThat(get(app, "/read?file=" + q(appData + "/state.json")).text()).isEqualTo("{}");
        assertThat(postInBody(app, "/readdir", Map.of("path", appData)).json().size()).isEqualTo(1);
        assertThat(get(app, "/read?file=" + q("/" + alice.username() + "/Documents/diary.txt")).status())
                .isEqualTo(404);
        assertThat(write(app, "/" + alice.username() + "/Documents", "x.txt", "x").status()).isIn(403, 404);
        assertThat(http.send("POST", "/df", "", "Authorization: Bearer " + app.token(), TPJ).status()).isEqualTo(403);
    }

    /** 64 MiB generated on the fly, streamed through /write under the test JVM's small heap. */
    @Test
    void aLargeUploadStreamsInBoundedMemory() throws IOException {
        Account a = signup();
        long size = 64L << 20;
        InputStream content = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? (int) (left % 251) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    left--;
                    b[off + i] = (byte) (left % 251);
                }
                return n;
            }
        };
        Multipart m = multipart(Map.of("path", "/" + a.username() + "/Documents", "size", Long.toString(size)),
                "big.bin", content, size);
        FsHttpClient.Reply r = http.send("POST", "/write", m.body(), m.length(), "Authorization: Bearer " + a.token(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("size").asLong()).isEqualTo(size);
        r = get(a, "/read?file=" + q("/" + a.username() + "/Documents/big.bin"), "Range: bytes=67108860-");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.body()).containsExactly((byte) (3 % 251), (byte) (2 % 251), (byte) 1, (byte) 0);
        assertThat(http.send("POST", "/df", "", "Authorization: Bearer " + a.token(), TPJ).json().get("used").asLong())
                .isGreaterThanOrEqualTo(size);
    }

    @Test
    void fsReaddirAnswersV2EntriesForPuterJs263() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        write(a, d, "a.txt", "a");
        FsHttpClient.Reply r = postInBody(a, "/fs/readdir", Map.of("path", d));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get(0).get("isDir").asBoolean()).isFalse();
        Map<String, Object> paged = new LinkedHashMap<>();
        paged.put("path", d);
        paged.put("cursor", null);
        r = postInBody(a, "/fs/readdir", paged);
        assertThat(r.json().get("items").get(0).get("name").asString()).isEqualTo("a.txt");
        assertThat(r.json().has("cursor")).isFalse();
    }

    FsHttpClient.Reply batch(Account a, List<String[]> parts) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String[] part : parts) {
            b.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"").append(part[0])
                    .append('"');
            if (part.length > 2) {
                b.append("; filename=\"").append(part[2]).append('"');
            }
            b.append("\r\n\r\n").append(part[1]).append("\r\n");
        }
        b.append("--").append(BOUNDARY).append("--\r\n");
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        return http.send("POST", "/batch", new ByteArrayInputStream(body), body.length,
                "Authorization: Bearer " + a.token(), "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
    }

    @Test
    void batchRunsOperationsInOrderWithReferencesAndFiles() throws IOException {
        Account a = signup();
        String desk = "/" + a.username() + "/Desktop";
        List<String[]> parts = List.of(new String[] {"operation_id", "op-1"}, new String[] {"socket_id", "undefined"},
                new String[] {"original_client_socket_id", "undefined"},
                new String[] {"operation", json(Map.of("op", "mkdir", "parent", "~/Desktop", "path", "/photos",
                        "overwrite", false, "dedupe_name", true, "create_missing_ancestors", true, "as", "dir_0"))},
                new String[] {"operation", json(Map.of("op", "mkdir", "parent", "$dir_0", "path", "/2024",
                        "overwrite", false, "dedupe_name", true, "create_missing_ancestors", true, "as", "dir_1"))},
                new String[] {"fileinfo", json(Map.of("name", "a.txt", "type", "text/plain", "size", 3))},
                new String[] {"operation", json(Map.of("op", "write", "dedupe_name", true, "overwrite", false,
                        "path", "$dir_1", "name", "a.txt", "item_upload_id", 0))},
                new String[] {"file", "abc", "a.txt"},
                new String[] {"fileinfo", json(Map.of("name", "b.txt", "type", "text/plain", "size", 2))},
                new String[] {"operation", json(Map.of("op", "write", "path", desk, "name", "b.txt",
                        "overwrite", true))},
                new String[] {"file", "bb", "b.txt"});
        FsHttpClient.Reply r = batch(a, parts);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results.size()).isEqualTo(4);
        assertThat(results.get(0).get("name").asString()).isEqualTo("photos");
        assertThat(results.get(1).get("path").asString()).isEqualTo(desk + "/photos/2024");
        assertThat(results.get(2).get("path").asString()).isEqualTo(desk + "/photos/2024/a.txt");
        assertThat(results.get(2).has("status")).isFalse();
        assertThat(get(a, "/read?file=" + q(desk + "/photos/2024/a.txt")).text()).isEqualTo("abc");
        assertThat(get(a, "/read?file=" + q(desk + "/b.txt")).text()).isEqualTo("bb");

        r = batch(a, List.of(new String[] {"operation", json(Map.of("op", "mkdir", "path", desk + "/photos"))},
                new String[] {"operation", json(Map.of("op", "mkdir", "path", desk + "/more", "dedupe_name", true))}));
        assertThat(r.status()).isEqualTo(218);
        assertThat(json(r.json().get("results").get(0))).isEqualTo("{\"entry_name\":\"photos\","
                + "\"code\":\"item_with_same_name_exists\",\"$\":\"heyputer:api/APIError\","
                + "\"message\":\"An item with name `photos` already exists.\",\"status\":409}");
        assertThat(r.json().get("results").get(1).get("requested_path").asString()).isEqualTo("more");

        r = batch(a, List.<String[]>of(new String[] {"operation", "{not json"}));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("Bad Request");
        r = batch(a, List.<String[]>of(new String[] {"operation", json(Map.of("op", "write", "path", desk, "name", "c"))}));
        assertThat(r.status()).isEqualTo(218);
        assertThat(r.json().get("results").get(1).get("code").asString()).isEqualTo("batch_missing_file");
    }

    /** The {@code response}s of the {@code outer.gui.<event>} events whose {@code operation_id} is {@code op}. */
    List<JsonNode> guiEvents(String event, String op) {
        List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        kernel.events().on("outer.gui." + event, (key, data, meta) -> {
            JsonNode response = Json.mapper().valueToTree(data).get("response");
            if (response.path("operation_id").asString("").equals(op)) {
                seen.add(response);
            }
        });
        return seen;
    }

    @Test
    void uploadsAnnouncePendingItemsAndThrottledProgress() throws IOException {
        Account a = signup();
        String desk = "/" + a.username() + "/Desktop";
        String op = "op-progress-" + a.username();
        List<JsonNode> pending = guiEvents("item.pending", op);
        List<JsonNode> progress = guiEvents("upload.progress", op);
        List<JsonNode> added = guiEvents("item.added", op);
        int size = 3 << 20;
        String content = "p".repeat(size);
        long started = System.nanoTime();
        FsHttpClient.Reply r = batch(a, List.of(new String[] {"operation_id", op}, new String[] {"socket_id", "sock-9"},
                new String[] {"original_client_socket_id", "sock-9"},
                new String[] {"fileinfo", json(Map.of("name", "big.txt", "type", "text/plain", "size", size))},
                new String[] {"operation", json(Map.of("op", "write", "path", desk, "name", "big.txt",
                        "operation_id", op, "item_upload_id", 0))},
                new String[] {"file", content, "big.txt"}));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        String uid = r.json().get("results").get(0).get("uid").asString();

        assertThat(pending).hasSize(1);
        JsonNode p = pending.getFirst();
        assertThat(p.get("uid").asString()).isEqualTo(uid);
        assertThat(p.get("path").asString()).isEqualTo(desk + "/big.txt");
        assertThat(p.get("is_dir").asBoolean()).isFalse();
        assertThat(p.get("size").asLong()).isEqualTo(size);
        assertThat(p.get("original_client_socket_id").asString()).isEqualTo("sock-9");
        assertThat(p.get("item_upload_id").asString()).isEqualTo("0");
        assertThat(p.has("bucket") || p.has("shortcut_to")).isFalse();
        assertThat(added).hasSize(1);

        assertThat(progress).isNotEmpty();
        // Throttled: at most one event per 250 ms and a last one, not one per buffer; the diffs add up to the bytes.
        assertThat(progress.size()).isLessThanOrEqualTo((int) (elapsedMs / 250) + 2);
        assertThat(progress.stream().mapToLong(e -> e.get("loaded_diff").asLong()).sum()).isEqualTo(size);
        JsonNode last = progress.getLast();
        assertThat(last.get("loaded").asLong()).isEqualTo(size);
        assertThat(last.get("total").asLong()).isEqualTo(size);
        assertThat(last.get("item_uid").asString()).isEqualTo(uid);
        assertThat(last.get("item_path").asString()).isEqualTo(desk + "/big.txt");
        assertThat(last.get("from_new_service").asBoolean()).isTrue();
        assertThat(last.get("original_client_socket_id").asString()).isEqualTo("sock-9");

        // /write too (Hearth's fix, filesystem.md 8.4 #44): the metadata sent before the file part is attached.
        String op2 = op + "-w";
        List<JsonNode> progress2 = guiEvents("upload.progress", op2);
        List<JsonNode> updated = guiEvents("item.updated", op2);
        r = write(a, desk, "big.txt", "0123456789", Map.of("overwrite", "true", "operation_id", op2,
                "original_client_socket_id", "sock-10"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(progress2).isNotEmpty();
        assertThat(progress2.getLast().get("loaded").asLong()).isEqualTo(10);
        assertThat(progress2.getLast().get("item_uid").asString()).isEqualTo(uid);
        assertThat(updated).hasSize(1);
        assertThat(updated.getFirst().get("original_client_socket_id").asString()).isEqualTo("sock-10");

        // A copy reports the content it copies the same way (upstream's fs.storage.progress.copy).
        String op4 = op + "-copy";
        List<JsonNode> copied = guiEvents("upload.progress", op4);
        List<JsonNode> copyPending = guiEvents("item.pending", op4);
        r = post(a, "/copy", Map.of("source", desk + "/big.txt", "destination", "/" + a.username() + "/Documents",
                "operation_id", op4));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(copied).hasSize(1);
        assertThat(copied.getFirst().get("item_uid").asString()).isEqualTo(r.json().get(0).get("copied").get("uid").asString());
        assertThat(copied.getFirst().get("item_path").asString()).isEqualTo("/" + a.username() + "/Documents/big.txt");
        assertThat(copied.getFirst().get("loaded").asLong()).isEqualTo(10);
        assertThat(copied.getFirst().get("total").asLong()).isEqualTo(10);
        assertThat(copied.getFirst().get("loaded_diff").asLong()).isEqualTo(10);
        assertThat(copyPending).hasSize(1);

                // A failed write announces its pending item but nothing is added.
        String op3 = op + "-fail";
        List<JsonNode> added3 = guiEvents("item.added", op3);
        r = batch(a, List.of(new String[] {"operation_id", op3},
                new String[] {"fileinfo", json(Map.of("name", "x", "size", 1))},
                new String[] {"operation", json(Map.of("op", "write", "path", desk, "name", "big.txt"))},
                new String[] {"file", "x", "x"}));
        assertThat(r.status()).isEqualTo(218);
        assertThat(added3).isEmpty();
    }

    @Test
    void shortcutsByBatchMkdirAndWriteSayWhereTheyLead() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        String desk = "/" + a.username() + "/Desktop";
        String fileUid = write(a, d, "target.txt", "hello").json().get("uid").asString();
        assertThat(post(a, "/mkdir", Map.of("path", d + "/folder")).status()).isEqualTo(200);

        // batch shortcut, as puter.js uploads with shortcutTo: default name "Shortcut to <name>", deduped.
        FsHttpClient.Reply r = batch(a, List.<String[]>of(new String[] {"operation", json(Map.of("op", "shortcut",
                "path", desk, "shortcut_to", d + "/target.txt", "shortcut_to_uid", fileUid))},
                new String[] {"operation", json(Map.of("op", "shortcut", "path", desk, "shortcut_to", d + "/target.txt"))},
                new String[] {"operation", json(Map.of("op", "shortcut", "path", desk, "name", "link.txt",
                        "shortcut_to", d + "/folder"))},
                new String[] {"operation", json(Map.of("op", "shortcut", "path", desk, "shortcut_to", d + "/nope"))}));
        assertThat(r.status()).as(r.toString()).isEqualTo(218);
        JsonNode results = r.json().get("results");
        assertThat(results.get(0).get("name").asString()).isEqualTo("Shortcut to target.txt");
        assertThat(results.get(0).get("is_shortcut").asInt()).isEqualTo(1);
        assertThat(results.get(0).get("shortcut_to").asString()).isEqualTo(fileUid);
        assertThat(results.get(0).get("shortcut_to_path").asString()).isEqualTo(d + "/target.txt");
        assertThat(results.get(0).get("is_dir").asBoolean()).isFalse();
        assertThat(results.get(1).get("name").asString()).isEqualTo("Shortcut to target (1).txt");
        assertThat(results.get(2).get("is_dir").asBoolean()).isTrue();
        assertThat(results.get(2).get("shortcut_to_path").asString()).isEqualTo(d + "/folder");
        assertThat(json(results.get(3))).isEqualTo("{\"code\":\"shortcut_to_does_not_exist\","
                + "\"$\":\"heyputer:api/APIError\",\"message\":\"Shortcut target was not found.\",\"status\":404}");

        // mkdir shortcut_to: a directory target only.
        r = post(a, "/mkdir", Map.of("parent", desk, "path", "folder-link", "shortcut_to", d + "/folder"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("is_shortcut").asInt()).isEqualTo(1);
        assertThat(r.json().get("shortcut_to_path").asString()).isEqualTo(d + "/folder");
        r = post(a, "/mkdir", Map.of("path", desk + "/file-link", "shortcut_to", d + "/target.txt"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.text()).isEqualTo("{\"message\":\"Shortcut target is not a directory; expected a directory.\","
                + "\"code\":\"shortcut_target_is_not_a_directory\"}");
        r = post(a, "/mkdir", Map.of("path", desk + "/x", "shortcut_to", d + "/missing"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("code").asString()).isEqualTo("shortcut_to_does_not_exist");

        // write shortcut_to: a file target only, no file part needed.
        byte[] noFile = ("--" + BOUNDARY + "\r\nContent-Disposition:"
                + " form-data; name=\"path\"\r\n\r\n" + desk + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data;"
                + " name=\"name\"\r\n\r\nw.lnk\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data;"
                + " name=\"shortcut_to\"\r\n\r\n" + fileUid + "\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        r = http.send("POST", "/write", new java.io.ByteArrayInputStream(noFile),
                noFile.length, "Authorization: Bearer " + a.token(), "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("shortcut_to_path").asString()).isEqualTo(d + "/target.txt");
        r = write(a, desk, "dir.lnk", "", Map.of("shortcut_to", d + "/folder"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asString()).isEqualTo("shortcut_target_is_a_directory");

        // stat and readdir present them; a shortcut whose target is gone says so.
        JsonNode st = postInBody(a, "/stat", Map.of("path", desk + "/w.lnk")).json();
        assertThat(st.get("shortcut_to").asString()).isEqualTo(fileUid);
        assertThat(st.get("shortcut_to_path").asString()).isEqualTo(d + "/target.txt");
        assertThat(post(a, "/move", Map.of("source", d + "/target.txt", "destination", desk, "new_name", "moved.txt"))
                .status()).isEqualTo(200);
        JsonNode listed = postInBody(a, "/readdir", Map.of("path", desk)).json();
        JsonNode w = null;
        for (JsonNode e : listed) {
            if (e.get("name").asString().equals("w.lnk")) {
                w = e;
            }
        }
        assertThat(w).isNotNull();
        assertThat(w.get("shortcut_to_path").asString()).isEqualTo(desk + "/moved.txt");
        assertThat(post(a, "/delete", Map.of("paths", List.of(desk + "/moved.txt"))).status()).isEqualTo(200);
        st = postInBody(a, "/stat", Map.of("path", desk + "/w.lnk")).json();
        assertThat(st.get("shortcut_invalid").asBoolean()).isTrue();
        assertThat(st.get("shortcut_uid").asString()).isEqualTo(fileUid);
        assertThat(st.has("shortcut_to_path")).isFalse();
        // Regular entries carry none of it.
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/folder")).json().has("shortcut_to")).isFalse();
    }

    @Test
    void batchWriteAtAnOffsetAndReadOfAVersion() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        write(a, d, "f.txt", "0123456789");
        FsHttpClient.Reply r = batch(a, List.of(new String[] {"fileinfo", json(Map.of("name", "f.txt", "size", 3))},
                new String[] {"operation", json(Map.of("op", "write", "path", d, "name", "f.txt", "offset", 4,
                        "overwrite", true))},
                new String[] {"file", "abc", "f.txt"}));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("results").get(0).get("size").asLong()).isEqualTo(10);
        assertThat(get(a, "/read?file=" + q(d + "/f.txt")).text()).isEqualTo("0123abc789");
        r = batch(a, List.of(new String[] {"fileinfo", json(Map.of("size", 4))},
                new String[] {"operation", json(Map.of("op", "write", "path", d + "/f.txt", "offset", 8,
                        "overwrite", true))},
                new String[] {"file", "WXYZ", "f.txt"}));
        assertThat(r.status()).isEqualTo(200);
        assertThat(get(a, "/read?file=" + q(d + "/f.txt")).text()).isEqualTo("0123abc7WXYZ");
        r = batch(a, List.of(new String[] {"fileinfo", json(Map.of("size", 1))},
                new String[] {"operation", json(Map.of("op", "write", "path", d + "/f.txt", "offset", 0))},
                new String[] {"file", "q", "f.txt"},
                new String[] {"fileinfo", json(Map.of("size", 1))},
                new String[] {"operation", json(Map.of("op", "write", "path", d + "/none.txt", "offset", 0,
                        "overwrite", true))},
                new String[] {"file", "q", "none.txt"}));
        assertThat(r.status()).isEqualTo(218);
        assertThat(r.json().get("results").get(0).get("code").asString()).isEqualTo("offset_requires_overwrite");
        assertThat(r.json().get("results").get(1).get("code").asString()).isEqualTo("offset_without_existing_file");
        assertThat(r.json().get("results").get(1).get("status").asInt()).isEqualTo(404);

        // Hearth keeps no versions: no version id names anything.
        r = get(a, "/read?file=" + q(d + "/f.txt") + "&version_id=abc");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("code").asString()).isEqualTo("subject_does_not_exist");
        assertThat(get(a, "/read?file=" + q(d + "/f.txt") + "&version_id=").status()).isEqualTo(200);
        String uid = postInBody(a, "/stat", Map.of("path", d + "/f.txt")).json().get("uid").asString();
        String token = post(a, "/auth/create-access-token", Map.of("permissions", List.of("fs:" + uid + ":read")))
                .json().get("token").asString();
        assertThat(http.send("GET", "/token-read?uid=" + uid + "&token=" + token + "&version_id=v1", (String) null)
                .status()).isEqualTo(404);
        assertThat(http.send("GET", "/token-read?uid=" + uid + "&token=" + token, (String) null).text())
                .isEqualTo("0123abc7WXYZ");
    }

    FsHttpClient.Reply writeBytes(Account a, String dir, String name, byte[] bytes) throws IOException {
        Multipart m = multipart(Map.of("path", dir, "size", Integer.toString(bytes.length)), name,
                new ByteArrayInputStream(bytes), bytes.length);
        return http.send("POST", "/write", m.body(), m.length(), "Authorization: Bearer " + a.token(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
    }

    static byte[] png(int width, int height) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillRect(0, 0, width / 2, height);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void activeContentIsNeverServedInlineOnTheApiOriginAndTypesComeFromNameThenContent() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        String html = "<!DOCTYPE html><html><body><script>fetch('/whoami')</script></body></html>";
        String svg = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        Map<String, String> uids = new LinkedHashMap<>();
        uids.put("evil.html", write(a, d, "evil.html", html).json().get("uid").asString());
        uids.put("evil.svg", write(a, d, "evil.svg", svg).json().get("uid").asString());
        uids.put("page", write(a, d, "page", html).json().get("uid").asString()); // no extension: HTML by content
        uids.put("evil.htm.txt", write(a, d, "evil.htm.txt", html).json().get("uid").asString());
        String picture = writeBytes(a, d, "picture", png(4, 4)).json().get("uid").asString();

        // /stat: the name's type, else the content's.
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/evil.html")).json().get("type").asString())
                .isEqualTo("text/html; charset=utf-8");
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/evil.svg")).json().get("type").asString())
                .isEqualTo("image/svg+xml");
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/page")).json().get("type").asString())
                .isEqualTo("text/html; charset=utf-8");
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/picture")).json().get("type").asString())
                .isEqualTo("image/png");
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/evil.htm.txt")).json().get("type").asString())
                .isEqualTo("text/plain; charset=utf-8");

        String tokenFor = null;
        for (Map.Entry<String, String> f : uids.entrySet()) {
            String path = d + "/" + f.getKey();
            String uid = f.getValue();
            List<FsHttpClient.Reply> served = new ArrayList<>();
            served.add(get(a, "/read?file=" + q(path)));
            JsonNode sig = post(a, "/sign", Map.of("items", List.of(Map.of("uid", uid, "action", "read"))))
                    .json().get("signatures").get(0);
            served.add(http.send("GET", pathOf(sig.get("read_url").asString()), (String) null));
            String anti = get(a, "/get-anticsrf-token").json().get("token").asString();
            served.add(http.send("POST", "/down?path=" + q(path), json(Map.of("anti_csrf", anti)),
                    "Authorization: Bearer " + a.token()));
            tokenFor = post(a, "/auth/create-access-token", Map.of("permissions", List.of("fs:" + uid + ":read")))
                    .json().get("token").asString();
            FsHttpClient.Reply tokenRead = http.send("GET", "/token-read?uid=" + uid + "&token=" + tokenFor, (String) null);
            served.add(tokenRead);
            for (FsHttpClient.Reply r : served) {
                assertThat(r.status()).as(path + " " + r).isEqualTo(200);
                String type = r.header("content-type").orElseThrow();
                assertThat(type).as(path).doesNotContain("html").doesNotContain("svg").doesNotContain("xml")
                        .doesNotContain("javascript");
                assertThat(r.header("x-content-type-options")).as(path).contains("nosniff");
                assertThat(r.header("content-security-policy")).as(path).contains("sandbox");
            }
            if (!f.getKey().endsWith(".txt")) {
                assertThat(tokenRead.header("content-type")).contains("application/octet-stream");
                assertThat(tokenRead.header("content-disposition").orElseThrow()).startsWith("attachment");
            } else {
                assertThat(tokenRead.header("content-type")).contains("text/plain; charset=utf-8");
            }
            assertThat(served.get(2).header("content-disposition").orElseThrow()).startsWith("attachment");
            assertThat(served.get(0).text()).isIn(html, svg);
        }
        // A name beyond ASCII survives as RFC 5987's filename*, with an ASCII fallback.
        write(a, d, "résumé ü.html", html);
        String anti = get(a, "/get-anticsrf-token").json().get("token").asString();
        FsHttpClient.Reply down = http.send("POST", "/down?path=" + q(d + "/résumé ü.html"), json(Map.of("anti_csrf", anti)),
                "Authorization: Bearer " + a.token());
        assertThat(down.header("content-disposition")).contains(
                "attachment; filename=\"r_sum_ _.html\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%C3%BC.html");
                // A picture is what a read URL is for (an <img>): served as such, inline.
        String token = post(a, "/auth/create-access-token", Map.of("permissions", List.of("fs:" + picture + ":read")))
                .json().get("token").asString();
        FsHttpClient.Reply r = http.send("GET", "/token-read?uid=" + picture + "&token=" + token, (String) null);
        assertThat(r.header("content-type")).contains("image/png");
        assertThat(r.header("content-disposition")).isEmpty();
    }

    /** The thumbnail /readdir shows for {@code name} in {@code dir}, once it is there (at most 20 s). */
    Optional<String> thumbnailOf(Account a, String dir, String name, boolean wait) throws IOException {
        for (int i = 0; i < 200; i++) {
            for (JsonNode e : postInBody(a, "/readdir", Map.of("path", dir)).json()) {
                if (e.get("name").asString().equals(name) && e.get("thumbnail").isString()) {
                    return Optional.of(e.get("thumbnail").asString());
                }
            }
            if (!wait) {
                break;
            }
            sleep(100);
        }
        return Optional.empty();
    }

    @Test
    void uploadedImagesGetAThumbnailMadeOffTheRequestPathAndClientThumbnailsAreChecked() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Pictures";
        List<JsonNode> updated = new java.util.concurrent.CopyOnWriteArrayList<>();
        kernel.events().on("outer.gui.item.updated", (key, data, meta) -> {
            JsonNode r = Json.mapper().valueToTree(data).get("response");
            if (r.path("path").asString("").startsWith(d + "/")) {
                updated.add(r);
            }
        });
        // A header announcing 100 000 × 100 000 pixels: refused before decoding, no thumbnail ever.
        writeBytes(a, d, "bomb.png", FsThumbnailsTest.pngHeaderOnly(100_000, 100_000));
        FsHttpClient.Reply r = writeBytes(a, d, "photo.png", png(300, 200));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("thumbnail").isNull()).isTrue(); // the response does not wait for it
        String thumb = thumbnailOf(a, d, "photo.png", true).orElseThrow();
        assertThat(thumb).startsWith("data:image/jpeg;base64,");
        java.awt.image.BufferedImage small = FsThumbnailsTest.decode(thumb);
        assertThat(Math.max(small.getWidth(), small.getHeight())).isEqualTo(128);
        for (int i = 0; i < 100 && updated.isEmpty(); i++) {
            sleep(50);
        }
        assertThat(updated).anySatisfy(u -> {
            assertThat(u.get("name").asString()).isEqualTo("photo.png");
            assertThat(u.get("thumbnail").asString()).isEqualTo(thumb);
        });
        // /stat has no thumbnail (filesystem.md 1.7), readdir does.
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/photo.png")).json().has("thumbnail")).isFalse();
        assertThat(thumbnailOf(a, d, "bomb.png", false)).isEmpty();
        // An overwrite without a thumbnail clears the old one; the new content gets its own.
        r = writeBytes(a, d, "photo.png", png(50, 100));
        assertThat(r.status()).isEqualTo(409);
        Multipart m = multipart(Map.of("path", d, "overwrite", "true", "size", Integer.toString(png(50, 100).length)),
                "photo.png", new ByteArrayInputStream(png(50, 100)), png(50, 100).length);
        assertThat(http.send("POST", "/write", m.body(), m.length(), "Authorization: Bearer " + a.token(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY).status()).isEqualTo(200);
        String second = null;
        for (int i = 0; i < 200 && (second == null || second.equals(thumb)); i++) {
            second = thumbnailOf(a, d, "photo.png", false).orElse(null);
            sleep(100);
        }
        assertThat(second).isNotNull().isNotEqualTo(thumb);
        assertThat(FsThumbnailsTest.decode(second).getHeight()).isEqualTo(128);

        // Clients' thumbnails: a raster data URL is kept (and nothing is made), anything else is dropped.
        String given = "data:image/png;base64,iVBORw0KGgo=";
        assertThat(write(a, d, "given.png", "not really a png", Map.of("thumbnail", given)).json().get("thumbnail")
                .asString()).isEqualTo(given);
        assertThat(write(a, d, "script.txt", "x", Map.of("thumbnail", "data:text/html;base64,PHNjcmlwdD4="))
                .json().get("thumbnail").isNull()).isTrue();
        r = batch(a, List.of(new String[] {"fileinfo", json(Map.of("name", "b.txt", "size", 1,
                        "thumbnail", "javascript:alert(1)"))},
                new String[] {"operation", json(Map.of("op", "write", "path", d, "name", "b.txt"))},
                new String[] {"file", "b", "b.txt"}));
        assertThat(r.json().get("results").get(0).get("thumbnail").isNull()).isTrue();
        r = write(a, d, "huge.txt", "x", Map.of("thumbnail", "data:image/png;base64," + "A".repeat(2_097_152)));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.text()).isEqualTo("{\"message\":\"Thumbnail too large. Max size is 2097152 bytes.\","
                + "\"max_size\":2097152,\"code\":\"thumbnail_too_large\"}");
        assertThat(thumbnailOf(a, d, "given.png", false)).contains(given);
    }

    static String pathOf(String url) {
        return url.substring(url.indexOf('/', url.indexOf("//") + 2));
    }

    @Test
    void signedUrlsReadWriteAndDescribeAsTheOwner() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        String uid = write(a, d, "notes.txt", "signed content").json().get("uid").asString();
        FsHttpClient.Reply r = post(a, "/sign", Map.of("items", List.of(Map.of("uid", uid, "action", "write"),
                Map.of("path", d + "/missing.txt", "action", "read"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode sig = r.json().get("signatures").get(0);
        assertThat(sig.get("fsentry_name").asString()).isEqualTo("notes.txt");
        assertThat(sig.get("path").asString()).isEqualTo(d + "/notes.txt");
        assertThat(r.json().get("signatures").get(1).size()).isZero();
        String read = pathOf(sig.get("read_url").asString());
        r = http.send("GET", read, (String) null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("signed content");
        r = http.send("GET", read, (String) null, "Range: bytes=0-5");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("signed");
        assertThat(http.send("GET", read.replace("signature=", "signature=0"), (String) null).text())
                .isEqualTo("{\"message\":\"Authentication failed\"}");
        assertThat(http.send("GET", "/file?uid=" + uid, (String) null).text())
                .isEqualTo("{\"message\":\"`expires` is required for signature-based authentication.\"}");
        r = http.send("GET", pathOf(sig.get("metadata_url").asString()) + "&return_path=1", (String) null);
        assertThat(r.json().get("name").asString()).isEqualTo("notes.txt");
        assertThat(r.json().get("path").asString()).isEqualTo(d + "/notes.txt");
        assertThat(r.json().get("size").asLong()).isEqualTo(14);

        Multipart m = multipart(Map.of(), "whatever.bin", new ByteArrayInputStream("rewritten".getBytes()), 9);
        r = http.send("POST", pathOf(sig.get("write_url").asString()), m.body(), m.length(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("name").asString()).isEqualTo("notes.txt");
        assertThat(get(a, "/read?file=" + uid).text()).isEqualTo("rewritten");

        // with an app: a token for it, and the app may use the signed item (and nothing else of the user's)
        write(a, d, "diary.txt", "private");
        r = post(a, "/sign", Map.of("app_uid", "app-7d1b1c1e-1111-4c2a-9a55-3d3a9f1c2b77",
                "items", List.of(Map.of("uid", uid, "action", "write"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Account app = new Account(a.username(), r.json().get("token").asString());
        assertThat(get(app, "/read?file=" + uid).text()).isEqualTo("rewritten");
        assertThat(get(app, "/read?file=" + q(d + "/diary.txt")).status()).isEqualTo(404);

        // a read signature does not write
        r = post(a, "/sign", Map.of("items", Map.of("uid", uid, "action", "read")));
        String readOnly = pathOf(r.json().get("signatures").get(0).get("write_url").asString());
        m = multipart(Map.of(), "x", new ByteArrayInputStream("x".getBytes()), 1);
        assertThat(http.send("POST", readOnly, m.body(), m.length(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY).status()).isEqualTo(403);
    }

    @Test
    void tokenReadServesWhatAnAccessTokenMayRead() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        String uid = write(a, d, "page.html", "<p>hi</p>").json().get("uid").asString();
        String other = write(a, d, "other.txt", "no").json().get("uid").asString();
        FsHttpClient.Reply r = post(a, "/auth/create-access-token", Map.of("expiresIn", "24h",
                "permissions", List.of("fs:" + uid + ":read")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String token = r.json().get("token").asString();
        r = http.send("GET", "/token-read?uid=" + uid + "&token=" + token, (String) null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("<p>hi</p>");
        // Never as HTML on the API origin: it would run with the user's credentials (see activeContent...).
        assertThat(r.header("content-type").orElseThrow()).isEqualTo("application/octet-stream");
        assertThat(http.send("GET", "/token-read?uid=" + other + "&token=" + token, (String) null).status())
                .isIn(403, 404);
        assertThat(http.send("GET", "/token-read?uid=" + uid + "&token=" + a.token(), (String) null).text())
                .isEqualTo("{\"message\":\"Authentication failed.\",\"code\":\"token_auth_failed\"}");
    }

    @Test
    void guiRoutesAndEvents() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        List<Object> added = new java.util.concurrent.CopyOnWriteArrayList<>();
        kernel.events().on("outer.gui.item.added", (key, data, meta) -> added.add(data));
        FsHttpClient.Reply r = post(a, "/mkdir", Map.of("path", d + "/gui", "original_client_socket_id", "sock-1"));
        assertThat(r.status()).isEqualTo(200);
        for (int i = 0; i < 100 && added.isEmpty(); i++) {
            sleep(20);
        }
        assertThat(json(added.getFirst())).contains("\"original_client_socket_id\":\"sock-1\"")
                .contains("\"path\":\"" + d + "/gui\"");
        assertThat(get(a, "/cache/last-change-timestamp").json().get("timestamp").isNumber()).isTrue();

        assertThat(post(a, "/set_layout", Map.of("item_path", d + "/gui", "layout", "list")).text()).isEqualTo("{}");
        assertThat(post(a, "/set_layout", Map.of("item_path", d + "/gui", "layout", "grid")).text())
                .isEqualTo("invalid `layout`");
        assertThat(post(a, "/set_layout", Map.of("layout", "list")).text())
                .isEqualTo("`item_uid` or `item_path` is required");
        assertThat(post(a, "/set_sort_by", Map.of("item_path", d + "/gui", "sort_by", "size", "sort_order", "desc"))
                .text()).isEqualTo("{}");
        JsonNode st = postInBody(a, "/stat", Map.of("path", d + "/gui")).json();
        assertThat(st.get("layout").asString()).isEqualTo("list");
        assertThat(st.get("sort_by").asString()).isEqualTo("size");
        assertThat(post(a, "/set_sort_by", Map.of("item_path", d + "/nope", "sort_by", "size")).text())
                .isEqualTo("{\"error\":{\"message\":\"No entry found with this uid\"}}");

        assertThat(post(a, "/update-fsentry-thumbnail", Map.of("path", d + "/gui", "thumbnail",
                "data:image/png;base64,AAAA")).text()).isEqualTo("{}");
        assertThat(postInBody(a, "/readdir", Map.of("path", d)).json().get(0).get("thumbnail").asString())
                .isEqualTo("data:image/png;base64,AAAA");
        assertThat(post(a, "/update-fsentry-thumbnail", Map.of("path", d + "/gui")).json().get("code").asString())
                .isEqualTo("field_missing");

        r = post(a, "/readdir-subdomains", Map.of("directory_ids", List.of("x")));
        assertThat(r.text()).isEqualTo("[{\"directory_id\":\"x\",\"subdomains\":[],\"has_website\":false}]");
    }

    @Test
    void searchIsLiteralAndOwnOnlyAndDownNeedsAnAntiCsrfToken() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        write(a, d, "Report_2024.txt", "r");
        write(a, d, "report-2024.txt", "r");
        FsHttpClient.Reply r = post(a, "/search", Map.of("text", "report_"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        assertThat(r.json().get(0).get("name").asString()).isEqualTo("Report_2024.txt");
        assertThat(post(a, "/search", Map.of("text", "%")).json().size()).isZero();

        assertThat(post(a, "/touch", Map.of("path", d + "/empty.txt")).text()).isEqualTo("{}");
        assertThat(postInBody(a, "/stat", Map.of("path", d + "/empty.txt")).json().get("size").asLong()).isZero();
        assertThat(post(a, "/touch", Map.of("path", d + "/empty.txt", "set_modified_to_now", true)).status())
                .isEqualTo(200);
        assertThat(post(a, "/touch", Map.of("path", "/")).status()).isIn(403, 422);

        assertThat(http.send("POST", "/down?path=" + q(d + "/report-2024.txt"), json(Map.of("anti_csrf", "nope")),
                "Authorization: Bearer " + a.token()).status()).isEqualTo(400);
    }

    @Test
    void aWriteShareMakesTheEntryWritable() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String docs = "/" + alice.username() + "/Documents";
        String dir = post(alice, "/mkdir", Map.of("path", docs + "/team")).json().get("uid").asString();
        write(alice, docs + "/team", "plan.txt", "v1");
        assertThat(post(alice, "/auth/grant-user-user", Map.of("target_username", bob.username(),
                "permission", "fs:" + docs + "/team:write")).status()).isEqualTo(200);
        FsHttpClient.Reply r = postInBody(bob, "/stat", Map.of("path", docs + "/team/plan.txt"));
        assertThat(r.json().get("writable").asBoolean()).isTrue();
        assertThat(write(bob, docs + "/team", "plan.txt", "v2", Map.of("overwrite", "true")).status()).isEqualTo(200);
        assertThat(get(alice, "/read?file=" + q(docs + "/team/plan.txt")).text()).isEqualTo("v2");
        assertThat(dir).isNotEmpty();
    }

    FsHttpClient.Reply writeFile(String url, String operation, Map<String, String> fields) throws IOException {
        Multipart m = multipart(fields, null, null, 0);
        return http.send("POST", pathOf(url) + "&operation=" + operation, m.body(), m.length(),
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
    }

    @Test
    void writeFileOperations() throws IOException {
        Account a = signup();
        String d = "/" + a.username() + "/Documents";
        String dir = post(a, "/mkdir", Map.of("path", d + "/w")).json().get("uid").asString();
        String file = write(a, d, "f.txt", "f").json().get("uid").asString();
        JsonNode sigs = post(a, "/sign", Map.of("items", List.of(Map.of("uid", dir, "action", "write"),
                Map.of("uid", file, "action", "write")))).json().get("signatures");
        String dirUrl = sigs.get(0).get("write_url").asString();
        String fileUrl = sigs.get(1).get("write_url").asString();

        FsHttpClient.Reply r = writeFile(dirUrl, "mkdir", Map.of("name", "sub"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("fsentry_name").asString()).isEqualTo("sub");
        assertThat(writeFile(dirUrl, "mkdir", Map.of()).text()).isEqualTo("{\"error\":{\"message\":\"Name is required.\"}}");

        r = writeFile(fileUrl, "copy", Map.of("destination_write_url", dirUrl));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get(0).get("copied").get("path").asString()).isEqualTo(d + "/w/f.txt");
        r = writeFile(fileUrl, "move", Map.of("destination_write_url", dirUrl, "new_name", "g.txt"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("new_path").asString()).isEqualTo(d + "/w/g.txt");
        assertThat(writeFile(fileUrl, "move", Map.of()).text())
                .isEqualTo("{\"error\":{\"message\":\"No destination specified.\"}}");
        r = writeFile(fileUrl, "rename", Map.of("new_name", "h.txt"));
        assertThat(r.json().get("path").asString()).isEqualTo(d + "/w/h.txt");
        r = writeFile(fileUrl, "trash", Map.of());
        assertThat(r.text()).isEqualTo("{\"message\":\"Item trashed\"}");
        assertThat(postInBody(a, "/stat", Map.of("uid", file)).json().get("path").asString())
                .isEqualTo("/" + a.username() + "/Trash/" + file);
        assertThat(writeFile(fileUrl, "delete", Map.of()).status()).isEqualTo(200);
        assertThat(postInBody(a, "/stat", Map.of("uid", file)).status()).isEqualTo(404);
        assertThat(post(a, "/open_item", Map.of("uid", dir)).json().get("code").asString()).isEqualTo("no_suitable_app");
    }

    static JsonNode body(FsHttpClient.Reply r) {
        return r.json();
    }

    // ---------------------------------------------------------------------------------------------------------
    // POST /share (accounts spec 3.12)

    private static final AtomicInteger SHARE_CLIENT = new AtomicInteger();

    /** A client address of its own per test, so that the 30-per-minute limit of one test leaves the others alone. */
    static String shareClient() {
        int n = SHARE_CLIENT.incrementAndGet();
        return "X-Forwarded-For: 10.77." + (n / 256 % 256) + "." + (n % 256);
    }

    FsHttpClient.Reply share(Account a, Object body, String client) throws IOException {
        return http.send("POST", "/share", json(body), "Authorization: Bearer " + a.token(), TPJ, client);
    }

    dev.hearth.core.User confirm(Account a) {
        dev.hearth.core.Users users = kernel.services().get(dev.hearth.core.Users.class);
        dev.hearth.core.User u = users.byUsername(a.username()).orElseThrow();
        return users.confirmEmail(u.id(), u.email().orElseThrow());
    }

    static final String SHARE_SUCCESS = "{\"$\":\"api:share\",\"$version\":\"v0.0.0\",\"status\":\"success\","
            + "\"recipients\":[{\"$\":\"api:status-report\",\"status\":\"success\"}],"
            + "\"shares\":[{\"$\":\"api:status-report\",\"status\":\"success\",\"fields\":{}}]}";

    @Test
    void shareReadThenWriteByUsernameAndByEmail() throws IOException {
        Account alice = signup();
        Account bob = signup();
        confirm(alice);
        String client = shareClient();
        String docs = "/" + alice.username() + "/Documents";
        write(alice, docs, "report.txt", "the report");
        String file = docs + "/report.txt";

        FsHttpClient.Reply r = share(alice, Map.of("recipients", bob.username(), "shares",
                Map.of("$", "fs-share", "path", file, "access", "read"), "metadata", Map.of("message", "hi")), client);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(SHARE_SUCCESS);
        r = get(bob, "/read?file=" + q(file));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("the report");
        assertThat(write(bob, docs, "report.txt", "mine", Map.of("overwrite", "true")).status()).isEqualTo(403);
        List<String> roots = new ArrayList<>();
        postInBody(bob, "/readdir", Map.of("path", "/")).json().forEach(e -> roots.add(e.get("name").asString()));
        assertThat(roots).contains(alice.username());
        // Bob was told.
        dev.hearth.core.User bobUser = kernel.services().get(dev.hearth.core.Users.class).byUsername(bob.username())
                .orElseThrow();
        JsonNode told = kernel.services().get(dev.hearth.core.Notifications.class).list(bobUser.id(), 10).getFirst().value();
        assertThat(told.get("source").asString()).isEqualTo("sharing");
        assertThat(told.get("template").asString()).isEqualTo("file-shared-with-you");
        assertThat(told.get("fields").get("username").asString()).isEqualTo(alice.username());
        assertThat(told.get("fields").get("metadata").get("message").asString()).isEqualTo("hi");
        assertThat(told.get("fields").get("files").get(0).get("path").asString()).isEqualTo(file);

        // Write, by bob's address, in the array spelling: now he may overwrite it.
        r = share(alice, Map.of("recipients", List.of(bob.username() + "@example.com"), "shares",
                List.of(List.of("fs-share", Map.of("path", file, "access", "write")))), client);
        assertThat(r.text()).as(r.toString()).isEqualTo(SHARE_SUCCESS);
        r = write(bob, docs, "report.txt", "edited by bob", Map.of("overwrite", "true"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(get(alice, "/read?file=" + q(file)).text()).isEqualTo("edited by bob");
        // A later read share does not lower it (only_if_higher); $meta-body spelling.
        r = share(alice, Map.of("recipients", bob.username(), "shares", Map.of("$", "$meta-body", "type", "fs-share",
                "body", Map.of("path", file))), client);
        assertThat(r.text()).as(r.toString()).isEqualTo(SHARE_SUCCESS);
        assertThat(write(bob, docs, "report.txt", "again", Map.of("overwrite", "true")).status()).isEqualTo(200);
    }

    @Test
    void anEmailWithoutAccountIsAPendingShareAppliedWhenConfirmed() throws IOException {
        Account alice = signup();
        confirm(alice);
        String docs = "/" + alice.username() + "/Documents";
        write(alice, docs, "for-carol.txt", "hello carol");
        String email = "carol" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid() + "@example.org";
        List<dev.hearth.core.EmailMessage> mails = new java.util.concurrent.CopyOnWriteArrayList<>();
        kernel.events().on(dev.hearth.core.EmailMessage.EVENT, (key, data, meta) -> {
            if (data instanceof dev.hearth.core.EmailMessage m && email.equals(m.to())) {
                mails.add(m);
            }
        });
        FsHttpClient.Reply r = share(alice, Map.of("recipients", List.of(email), "shares",
                List.of(Map.of("$", "fs-share", "path", docs + "/for-carol.txt"))), shareClient());
        assertThat(r.text()).as(r.toString()).isEqualTo(SHARE_SUCCESS);
        // The share email carries a link whose token /sharelink/check accepts.
        assertThat(mails).hasSize(1);
        assertThat(mails.getFirst().template()).isEqualTo("share_by_email");
        String link = (String) mails.getFirst().values().get("link");
        assertThat(link).contains("?share_token=");
        r = http.send("POST", "/sharelink/check", json(Map.of("token", link.substring(link.indexOf('=') + 1))), TPJ);
        assertThat(r.json().get("email").asString()).as(r.toString()).isEqualTo(email);

        Account carol = signup(email);
        assertThat(get(carol, "/read?file=" + q(docs + "/for-carol.txt")).status()).isEqualTo(404);
        confirm(carol);
        r = get(carol, "/read?file=" + q(docs + "/for-carol.txt"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello carol");
        assertThat(write(carol, docs, "for-carol.txt", "x", Map.of("overwrite", "true")).status()).isEqualTo(403);
    }

    @Test
    void anUnconfirmedSenderAndOtherActorsAreRefused() throws IOException {
        Account alice = signup();
        Account bob = signup();
        FsHttpClient.Reply r = share(alice, Map.of("recipients", bob.username(), "shares",
                Map.of("$", "fs-share", "path", "/" + alice.username() + "/Documents")), shareClient());
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.text()).isEqualTo("{\"message\":\"Email must be confirmed to share something. Go to"
                + " https://puter.com to confirm your email address.\",\"action\":\"share something\","
                + "\"code\":\"email_must_be_confirmed\"}");
        r = http.send("POST", "/share", json(Map.of("recipients", bob.username())), TPJ, shareClient());
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void perItemErrorsStrictModeAndDryRun() throws IOException {
        Account alice = signup();
        Account bob = signup();
        confirm(alice);
        String client = shareClient();
        String docs = "/" + alice.username() + "/Documents";
        write(alice, docs, "a.txt", "a");
        write(bob, "/" + bob.username() + "/Documents", "secret.txt", "bob's");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recipients", List.of(bob.username(), "nobody_" + COUNTER.incrementAndGet(), 42, "not an email"));
        body.put("shares", List.of(Map.of("$", "fs-share", "path", docs + "/a.txt"),
                Map.of("$", "fs-share", "path", docs + "/missing.txt"),
                Map.of("$", "fs-share", "path", "/" + bob.username() + "/Documents/secret.txt"),
                Map.of("$", "app-share", "uid", "app-00000000-0000-0000-0000-000000000000")));
        FsHttpClient.Reply r = share(alice, body, client);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("status").asString()).isEqualTo("mixed");
        assertThat(j.get("recipients").get(0).toString()).isEqualTo("{\"$\":\"api:status-report\",\"status\":\"success\"}");
        assertThat(j.get("recipients").get(1).get("code").asString()).isEqualTo("user_does_not_exist");
        assertThat(j.get("recipients").get(1).get("$").asString()).isEqualTo("heyputer:api/APIError");
        assertThat(j.get("recipients").get(1).get("status").asInt()).isEqualTo(422);
        assertThat(j.get("recipients").get(2).toString()).isEqualTo("{\"value\":\"42\",\"code\":\"invalid_username_or_email\","
                + "\"$\":\"heyputer:api/APIError\",\"message\":\"The value `42` is not a valid username or email.\",\"status\":400}");
        assertThat(j.get("recipients").get(3).get("code").asString()).isEqualTo("invalid_username_or_email");
        assertThat(j.get("shares").get(0).get("status").asString()).isEqualTo("success");
        assertThat(j.get("shares").get(1).toString()).isEqualTo("{\"code\":\"subject_does_not_exist\","
                + "\"$\":\"heyputer:api/APIError\",\"message\":\"File or directory not found.\",\"status\":404}");
        // Someone else's file is as if it did not exist.
        assertThat(j.get("shares").get(2).get("code").asString()).isEqualTo("subject_does_not_exist");
        assertThat(j.get("shares").get(3).get("code").asString()).isEqualTo("entity_not_found");
        // The valid share went through for the valid recipient; nothing of bob's reached alice.
        assertThat(get(bob, "/read?file=" + q(docs + "/a.txt")).status()).isEqualTo(200);
        assertThat(get(alice, "/read?file=" + q("/" + bob.username() + "/Documents/secret.txt")).status()).isEqualTo(404);

        // strict: any error aborts everything with 218.
        write(alice, docs, "b.txt", "b");
        body.put("shares", List.of(Map.of("$", "fs-share", "path", docs + "/b.txt")));
        body.put("mode", "strict");
        r = share(alice, body, client);
        assertThat(r.status()).isEqualTo(218);
        assertThat(r.json().get("status").asString()).isEqualTo("aborted");
        assertThat(get(bob, "/read?file=" + q(docs + "/b.txt")).status()).isEqualTo(404);
        // dry_run: success reports, nothing granted.
        r = share(alice, Map.of("recipients", bob.username(), "shares", Map.of("$", "fs-share", "path", docs + "/b.txt"),
                "dry_run", true), client);
        assertThat(r.text()).isEqualTo("{\"$\":\"api:share\",\"$version\":\"v0.0.0\",\"status\":\"success\",\"dry_run\":true,"
                + "\"recipients\":[{\"$\":\"api:status-report\",\"status\":\"success\"}],"
                + "\"shares\":[{\"$\":\"api:status-report\",\"status\":\"success\",\"fields\":{}}]}");
        assertThat(get(bob, "/read?file=" + q(docs + "/b.txt")).status()).isEqualTo(404);
    }

    @Test
    void badBodiesHaveTheExactErrors() throws IOException {
        Account alice = signup();
        Account bob = signup();
        confirm(alice);
        String client = shareClient();
        Map<String, Object> ok = Map.of("$", "fs-share", "path", "/" + alice.username() + "/Documents");
        FsHttpClient.Reply r = share(alice, Map.of("shares", ok), client);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("field_invalid");
        assertThat(r.json().get("key").asString()).isEqualTo("recipients");
        r = share(alice, Map.of("recipients", List.of(), "shares", ok), client);
        assertThat(r.json().get("key").asString()).isEqualTo("recipients");
        r = share(alice, Map.of("recipients", bob.username(), "shares", List.of()), client);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("key").asString()).isEqualTo("shares");
        r = share(alice, Map.of("recipients", bob.username(), "shares", ok, "mode", "lenient"), client);
        assertThat(r.json().get("key").asString()).isEqualTo("mode");
        r = share(alice, Map.of("recipients", bob.username(), "shares", ok, "metadata", Map.of("x", List.of())), client);
        assertThat(r.json().get("code").asString()).isEqualTo("field_invalid");
        r = share(alice, Map.of("recipients", bob.username(), "shares", Map.of("$", "fs-share")), client);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"message\":\"The value for `shares[0]` has the following errors: `path` is"
                + " required\",\"key\":\"shares[0]\",\"errors\":[\"`path` is required\"],\"code\":\"field_errors\"}");
        r = share(alice, Map.of("recipients", bob.username(), "shares", Map.of("$", "fs-share", "path", "/x",
                "access", "own")), client);
        assertThat(r.json().get("errors").get(0).asString()).isEqualTo("`access` should be `read` or `write`");
        r = share(alice, Map.of("recipients", bob.username(), "shares", Map.of("$", "kv-share")), client);
        assertThat(r.text()).isEqualTo("{\"message\":\"Request contained a `kv-share` in a place where `kv-share` isn't"
                + " accepted; accepted types are: `fs-share`, `app-share`.\",\"thing\":\"kv-share\","
                + "\"accepted\":[\"fs-share\",\"app-share\"],\"code\":\"disallowed_thing\"}");
        r = share(alice, Map.of("recipients", bob.username(), "shares", List.of(List.of())), client);
        assertThat(r.text()).isEqualTo("{\"message\":\"format error: tag-typed arrays should have 1-3 elements\","
                + "\"code\":\"format_error\"}");
        r = share(alice, Map.of("recipients", bob.username(), "shares", List.of(Map.of("path", "/x"))), client);
        assertThat(r.json().get("message").asString()).isEqualTo("format error: type parameter is missing");
        r = share(alice, Map.of("recipients", bob.username(), "shares", List.of("fs-share")), client);
        assertThat(r.json().get("message").asString()).isEqualTo("format error: should be object or array");
    }

    @Test
    void shareIsLimitedTo30PerMinutePerClient() throws IOException {
        Account alice = signup();
        Account bob = signup();
        confirm(alice);
        String client = shareClient();
        Map<String, Object> body = Map.of("recipients", bob.username(), "shares",
                Map.of("$", "fs-share", "path", "/" + alice.username() + "/Documents"), "dry_run", true);
        for (int i = 0; i < 30; i++) {
            assertThat(share(alice, body, client).status()).isEqualTo(200);
        }
        FsHttpClient.Reply r = share(alice, body, client);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.text()).isEqualTo("{\"message\":\"Too many requests.\",\"code\":\"too_many_requests\"}");
        assertThat(share(alice, body, shareClient()).status()).isEqualTo(200);
    }

    @Test
    void shareLinksCheckApplyAndRequest() throws IOException {
        Account alice = signup();
        Account dave = signup();
        confirm(alice);
        confirm(dave);
        String docs = "/" + alice.username() + "/Documents";
        write(alice, docs, "linked.txt", "by link");
        String email = "erin" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid() + "@example.org";
        assertThat(share(alice, Map.of("recipients", email, "shares", Map.of("$", "fs-share", "path",
                docs + "/linked.txt")), shareClient()).text()).isEqualTo(SHARE_SUCCESS);
        dev.hearth.core.User aliceUser = kernel.services().get(dev.hearth.core.Users.class).byUsername(alice.username())
                .orElseThrow();
        List<Map<String, Object>> pending = kernel.services().get(Sharing.class).pendingOf(aliceUser.id());
        assertThat(pending).hasSize(1);
        String uid = (String) pending.getFirst().get("uid");
        String token = kernel.services().get(ShareRoutes.class).shareToken(uid);

        FsHttpClient.Reply r = http.send("POST", "/sharelink/check", json(Map.of("token", token)), TPJ);
        assertThat(r.text()).isEqualTo("{\"$\":\"api:share\",\"uid\":\"" + uid + "\",\"email\":\"" + email + "\"}");
        r = http.send("POST", "/sharelink/check", json(Map.of("token", "not.a.jwt")), TPJ);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"message\":\"Invalid token\",\"code\":\"invalid_token\"}");
        r = http.send("POST", "/sharelink/check", json(Map.of()), TPJ);
        assertThat(r.text()).isEqualTo("{\"message\":\"Field `token` is required.\",\"key\":\"token\",\"code\":\"field_missing\"}");

        // Someone else: may not apply it, may ask for it.
        r = post(dave, "/sharelink/apply", Map.of("uid", uid));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asString()).isEqualTo("can_not_apply_to_this_user");
        r = post(dave, "/sharelink/request", Map.of("uid", uid));
        assertThat(r.text()).isEqualTo("{\"$\":\"api:status-report\",\"status\":\"success\"}");
        JsonNode asked = kernel.services().get(dev.hearth.core.Notifications.class).list(aliceUser.id(), 10).getFirst()
                .value();
        assertThat(asked.get("template").asString()).isEqualTo("user-requesting-share");
        assertThat(asked.get("fields").get("username").asString()).isEqualTo(dave.username());

        // The recipient, unconfirmed, may not apply it yet.
        Account erin = signup(email);
        r = post(erin, "/sharelink/apply", Map.of("uid", uid));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asString()).isEqualTo("email_must_be_confirmed");

        // A share made for dave's address before he had it applies through the link.
        String daveEmail = dave.username() + "@example.com";
        String daveShare = kernel.services().get(Sharing.class).storePending(aliceUser, daveEmail,
                List.of(Sharing.fsPermission(postInBody(alice, "/stat", Map.of("path", docs + "/linked.txt")).json()
                        .get("uid").asString(), "read")), Map.of());
        r = post(dave, "/sharelink/request", Map.of("uid", daveShare));
        assertThat(r.json().get("code").asString()).isEqualTo("no_need_to_request");
        assertThat(get(dave, "/read?file=" + q(docs + "/linked.txt")).status()).isEqualTo(404);
        r = post(dave, "/sharelink/apply", Map.of("uid", daveShare));
        assertThat(r.text()).as(r.toString()).isEqualTo("{\"$\":\"api:status-report\",\"status\":\"success\"}");
        assertThat(get(dave, "/read?file=" + q(docs + "/linked.txt")).text()).isEqualTo("by link");
        r = post(dave, "/sharelink/apply", Map.of("uid", daveShare));
        assertThat(r.text()).isEqualTo("{\"message\":\"This share is expired.\",\"code\":\"share_expired\"}");

        // Erin confirms: her pending share is applied and spent.
        confirm(erin);
        assertThat(get(erin, "/read?file=" + q(docs + "/linked.txt")).text()).isEqualTo("by link");
        assertThat(http.send("POST", "/sharelink/check", json(Map.of("token", token)), TPJ).status()).isEqualTo(400);
    }

    @Test
    void puterJs263ShareListAndRevoke() throws IOException {
        Account alice = signup();
        Account bob = signup();
        confirm(alice);
        String client = shareClient();
        String docs = "/" + alice.username() + "/Documents";
        write(alice, docs, "v2.txt", "v2 content");
        String file = docs + "/v2.txt";
        String email = "frank" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid() + "@example.org";
        FsHttpClient.Reply r = share(alice, Map.of("recipients", List.of(Map.of("username", bob.username()),
                Map.of("email", email)), "items", List.of(Map.of("path", file)), "mode", "write"), client);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("status").asString()).isEqualTo("success");
        JsonNode first = j.get("results").get(0);
        assertThat(first.get("recipient").asString()).isEqualTo(bob.username());
        assertThat(first.get("status").asString()).isEqualTo("success");
        assertThat(first.get("path").asString()).isEqualTo(file);
        assertThat(first.get("mode").asString()).isEqualTo("write");
        assertThat(first.get("holder").asString()).isEqualTo(bob.username());
        assertThat(first.get("issuer").asString()).isEqualTo(alice.username());
        assertThat(first.get("is_dir").asBoolean()).isFalse();
        assertThat(j.get("results").get(1).get("status").asString()).isEqualTo("pending");
        assertThat(j.get("results").get(1).get("recipient_email").asString()).isEqualTo(email);
        assertThat(write(bob, docs, "v2.txt", "bob wrote", Map.of("overwrite", "true")).status()).isEqualTo(200);

        r = get(bob, "/share/shared-with-me?limit=10&includeTotal=true");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("total").asInt()).isEqualTo(1);
        assertThat(r.json().get("items").get(0).get("path").asString()).isEqualTo(file);
        assertThat(r.json().get("items").get(0).get("mode").asString()).isEqualTo("write");
        assertThat(r.json().get("items").get(0).get("issuer").asString()).isEqualTo(alice.username());
        r = get(alice, "/share/shares?path=" + q(file));
        assertThat(r.json().get("items").size()).isEqualTo(2);
        assertThat(r.json().get("items").get(0).get("holder").asString()).isEqualTo(bob.username());
        assertThat(r.json().get("items").get(1).get("status").asString()).isEqualTo("pending");
        assertThat(get(alice, "/share/shared-by-me").json().get("items").size()).isEqualTo(2);
        // Read now: the mode is set, not only raised.
        r = share(alice, Map.of("recipients", List.of(bob.username()), "items", List.of(Map.of("path", file))), client);
        assertThat(r.json().get("status").asString()).isEqualTo("success");
        assertThat(write(bob, docs, "v2.txt", "again", Map.of("overwrite", "true")).status()).isEqualTo(403);

        r = share(alice, Map.of("recipients", List.of("nobody_" + COUNTER.incrementAndGet()), "items",
                List.of(Map.of("path", file))), client);
        assertThat(r.json().get("status").asString()).isEqualTo("aborted");
        assertThat(r.json().get("results").get(0).get("code").asString()).isEqualTo("user_does_not_exist");

        r = post(alice, "/share/revoke", Map.of("recipients", List.of(Map.of("username", bob.username()),
                Map.of("email", email)), "items", List.of(Map.of("path", file))));
        assertThat(r.json().get("revoked").asInt()).as(r.toString()).isEqualTo(2);
        assertThat(get(bob, "/read?file=" + q(file)).status()).isEqualTo(404);
        assertThat(get(bob, "/share/shared-with-me").json().get("items").size()).isZero();
    }
}
