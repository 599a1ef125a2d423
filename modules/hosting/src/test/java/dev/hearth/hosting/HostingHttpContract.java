package dev.hearth.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.hearth.core.Database;
import dev.hearth.core.Users;
import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.fs.ClientMetadata;
import dev.hearth.fs.DeleteRequest;
import dev.hearth.fs.Entry;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FilesystemModule;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.MkdirRequest;
import dev.hearth.fs.NodeRef;
import dev.hearth.fs.WriteRequest;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Module;
import dev.hearth.web.WebServer;
import dev.hearth.web.testing.RawHttp;
import tools.jackson.databind.JsonNode;

/**
 * {@code puter-subdomains} over {@code /drivers/call} and sites served from folders, on each engine and in each host
 * mode (the subclasses): single-origin mode serves sites on the sites port ({@code /<name>/...}), subdomain mode on
 * {@code <name>.site.<domain>}.
 */
abstract class HostingHttpContract extends DriverHttpFixture {

    static final String SUBDOMAINS = "puter-subdomains";

    /** Subdomain mode rather than single-origin mode. */
    protected abstract boolean subdomainMode();

    @Override
    protected List<Module> modules() {
        return List.of(new FilesystemModule(), new HostingModule());
    }

    @Override
    protected Config configure(Config config) {
        return subdomainMode() ? config.with("experimental_no_subdomain", false) : config;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.mapper().readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    /** One request on {@code port} with any {@code Host}. */
    static Reply raw(int port, String method, String path, String host, String body, String... headers)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            if (bytes != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (bytes != null) {
                out.write(bytes);
            }
            out.flush();
            RawHttp.Response r = RawHttp.read(socket.getInputStream(), method.equals("HEAD"));
            return new Reply(r.status(), r.headers(), r.body());
        }
    }

    int port() {
        return service(WebServer.class).port();
    }

    String apiHost() {
        return (subdomainMode() ? "api.127.0.0.1:" : "127.0.0.1:") + port();
    }

    /** An API request with a Bearer token. */
    Reply api(String token, String method, String path, Object body) throws IOException {
        return raw(port(), method, path, apiHost(), body == null ? null : json(body), bearer(token));
    }

    /** A driver call's reply envelope. */
    JsonNode sd(String token, String method, Object args) throws IOException {
        Reply r = api(token, "POST", "/drivers/call", obj("interface", SUBDOMAINS, "method", method, "args", args));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    JsonNode ok(String token, String method, Object args) throws IOException {
        JsonNode r = sd(token, method, args);
        assertThat(r.get("success").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.get("service").get("name").asString()).isEqualTo("es:subdomain");
        return r.get("result");
    }

    JsonNode err(String token, String method, Object args) throws IOException {
        JsonNode r = sd(token, method, args);
        assertThat(r.get("success").asBoolean()).as(r.toString()).isFalse();
        return r.get("error");
    }

    /** A GET of {@code path} inside the site {@code name}, in this class's host mode. */
    Reply site(String name, String path, String... headers) throws IOException {
        if (subdomainMode()) {
            return raw(port(), "GET", path, name + ".site.127.0.0.1:" + port(), null, headers);
        }
        int sites = service(WebServer.class).sitesPort().orElseThrow();
        return raw(sites, "GET", "/" + name + path, "127.0.0.1:" + sites, null, headers);
    }

    String siteUrl(String name) {
        return service(WebServer.class).urls().siteUrl(name);
    }

    FsUser fsUser(Account a) {
        return new FsUser(service(Users.class).byUsername(a.username()).orElseThrow().id(), a.username());
    }

    Entry mkdir(Account a, String path) {
        return service(Filesystem.class).mkdir(fsUser(a), new MkdirRequest(Optional.empty(), path, false, false, true,
                ClientMetadata.NONE)).entry();
    }

    Entry write(Account a, String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        int slash = path.lastIndexOf('/');
        // With createMissingParents the path is the folder, created as needed, and the name is the file's.
        return service(Filesystem.class).write(fsUser(a), new WriteRequest(NodeRef.path(path.substring(0, slash)),
                Optional.of(path.substring(slash + 1)), Optional.empty(), bytes.length, true, false, true,
                Optional.empty(), Optional.empty(), ClientMetadata.NONE), new ByteArrayInputStream(bytes));
    }

    /** A user with a folder {@code ~/<folder>} holding a small site. */
    Entry siteFolder(Account a, String folder) {
        String base = "/" + a.username() + "/" + folder;
        Entry dir = mkdir(a, base);
        write(a, base + "/index.html", "<h1>Hello from " + folder + "</h1>");
        write(a, base + "/css/style.css", "body { color: red; }");
        write(a, base + "/docs/index.html", "<p>docs</p>");
        write(a, base + "/data.bin", "0123456789abcdef");
        write(a, base + "/app.js", "console.log('hi')");
        return dir;
    }

    static void sleepPastTheSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String uniqueName(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // CRUD

    @Test
    void createReadSelectUpdateDeleteThroughDriversCall() throws IOException {
        Account alice = signup();
        Entry dir = siteFolder(alice, "site");
        Entry other = mkdir(alice, "/" + alice.username() + "/other");
        String name = uniqueName("alice-site");

        JsonNode created = ok(alice.token(), "create", obj("object", obj("subdomain", name,
                "root_dir", "/" + alice.username() + "/site")));
        assertThat(created.get("uid").asString()).startsWith("sd-");
        assertThat(created.get("subdomain").asString()).isEqualTo(name);
        assertThat(created.get("root_dir").get("uid").asString()).isEqualTo(dir.uuid());
        assertThat(created.get("root_dir").get("path").asString()).isEqualTo("/" + alice.username() + "/site");
        assertThat(created.get("root_dir").get("is_dir").asBoolean()).isTrue();
        assertThat(json(created.get("owner"))).isEqualTo(json(obj("username", alice.username(), "uuid", alice.uuid())));
        String uid = created.get("uid").asString();

        JsonNode read = ok(alice.token(), "read", obj("uid", uid));
        List<String> keys = new ArrayList<>();
        read.propertyNames().forEach(keys::add);
        assertThat(keys).containsExactly("uid", "subdomain", "domain", "root_dir", "associated_app", "created_at",
                "owner", "app_owner", "protected");
        assertThat(read.get("domain").asString()).isEmpty();
        assertThat(read.get("associated_app").isNull()).isTrue();
        assertThat(read.get("protected").asBoolean()).isFalse();
        assertThat(read.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(ok(alice.token(), "read", obj("id", obj("subdomain", name.toUpperCase(Locale.ROOT))))
                .get("uid").asString()).isEqualTo(uid);

        JsonNode list = ok(alice.token(), "select", obj("predicate", List.of("user-can-edit")));
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("subdomain").asString()).isEqualTo(name);

        JsonNode updated = ok(alice.token(), "update", obj("id", obj("subdomain", name), "object",
                obj("root_dir", "~/other", "protected", true)));
        assertThat(updated.get("root_dir").get("uid").asString()).isEqualTo(other.uuid());
        assertThat(updated.get("protected").asBoolean()).isTrue();
        JsonNode cleared = ok(alice.token(), "update", obj("id", obj("subdomain", name), "object",
                obj("root_dir", null, "protected", 0)));
        assertThat(cleared.has("root_dir")).isFalse();
        assertThat(cleared.get("protected").asBoolean()).isFalse();
        assertThat(ok(alice.token(), "update", obj("object", obj("uid", uid, "root_dir", dir.uuid())))
                .get("root_dir").get("uid").asString()).isEqualTo(dir.uuid());
        JsonNode immutable = err(alice.token(), "update", obj("id", obj("subdomain", name), "object",
                obj("subdomain", "renamed-" + name)));
        assertThat(immutable.get("code").asString()).isEqualTo("field_immutable");
        assertThat(immutable.get("status").asInt()).isEqualTo(400);

        JsonNode upserted = ok(alice.token(), "upsert", obj("object", obj("subdomain", name, "protected", true)));
        assertThat(upserted.get("uid").asString()).as("an upsert of an existing name updates it").isEqualTo(uid);
        String fresh = uniqueName("upserted");
        assertThat(ok(alice.token(), "upsert", obj("object", obj("subdomain", fresh))).get("subdomain").asString())
                .isEqualTo(fresh);

        assertThat(json(sd(alice.token(), "delete", obj("uid", uid)))).isEqualTo("{\"success\":true,\"service\":"
                + "{\"name\":\"es:subdomain\"},\"result\":{\"data\":{}},\"metadata\":{}}");
        JsonNode gone = err(alice.token(), "read", obj("uid", uid));
        assertThat(json(gone)).isEqualTo("{\"identifier\":\"" + uid + "\",\"code\":\"entity_not_found\",\"$\":"
                + "\"heyputer:api/APIError\",\"message\":\"Entity not found: `" + uid + "`\",\"status\":422}");
        assertThat(err(alice.token(), "delete", obj("id", obj("subdomain", name))).get("code").asString())
                .isEqualTo("entity_not_found");
        ok(alice.token(), "delete", obj("id", obj("subdomain", fresh)));
        assertThat(ok(alice.token(), "select", obj())).isEmpty();
    }

    @Test
    void validationErrorsAreUpstreams() throws IOException {
        Account alice = signup();
        siteFolder(alice, "site");
        String t = alice.token();
        assertThat(json(err(t, "create", obj("object", obj("root_dir", "~/site"))))).isEqualTo("{\"key\":\"subdomain\","
                + "\"code\":\"field_missing\",\"$\":\"heyputer:api/APIError\",\"message\":\"Field `subdomain` is "
                + "required.\",\"status\":400}");
        assertThat(err(t, "create", obj("object", obj("subdomain", "a.b"))).get("code").asString())
                .isEqualTo("field_invalid");
        assertThat(err(t, "create", obj("object", obj("subdomain", 5))).get("code").asString())
                .isEqualTo("field_invalid");
        JsonNode tooLong = err(t, "create", obj("object", obj("subdomain", "x".repeat(61))));
        assertThat(tooLong.get("code").asString()).isEqualTo("field_too_long");
        assertThat(tooLong.get("message").asString()).isEqualTo("Field `subdomain` is too long. Max length is 60.");
        for (String reserved : new String[] {"www", "API", "a", "7", "ns3", "mx0"}) {
            JsonNode e = err(t, "create", obj("object", obj("subdomain", reserved)));
            assertThat(e.get("code").asString()).as(reserved).isEqualTo("subdomain_reserved");
            assertThat(e.get("message").asString()).isEqualTo("Subdomain `" + reserved.toLowerCase(Locale.ROOT)
                    + "` is not available.");
        }
        String name = uniqueName("taken");
        ok(t, "create", obj("object", obj("subdomain", name.toUpperCase(Locale.ROOT))));
        Account bob = signup();
        assertThat(json(err(bob.token(), "create", obj("object", obj("subdomain", name))))).isEqualTo("{\"what\":"
                + "\"subdomain\",\"value\":\"" + name + "\",\"code\":\"already_in_use\","
                + "\"$\":\"heyputer:api/APIError\","
                + "\"message\":\"The subdomain `" + name + "` is already in use.\",\"status\":409}");
        assertThat(err(t, "create", obj("object", obj("uid", "sd-x", "subdomain", uniqueName("u")))).get("code")
                .asString()).isEqualTo("field_not_allowed_for_create");
        assertThat(err(t, "create", obj("object", obj("subdomain", uniqueName("r"), "root_dir", "/"))).get("code")
                .asString()).isEqualTo("forbidden");
        assertThat(err(t, "create", obj("object", obj("subdomain", uniqueName("r"), "root_dir", "~/missing")))
                .get("code").asString()).isEqualTo("subject_does_not_exist");
        assertThat(err(t, "create", obj("object", obj("subdomain", uniqueName("r"), "root_dir", "site")))
                .get("code").asString()).as("a relative path").isNotEmpty();
        siteFolder(bob, "private");
        assertThat(err(t, "create", obj("object", obj("subdomain", uniqueName("r"), "root_dir",
                "/" + bob.username() + "/private"))).get("code").asString())
                .as("someone else's folder is not even visible").isEqualTo("subject_does_not_exist");
        assertThat(err(t, "create", obj("object", obj("subdomain", uniqueName("p"), "protected", "yes")))
                .get("code").asString()).isEqualTo("field_invalid");
        assertThat(json(err(t, "read", obj()))).isEqualTo("{\"names\":[\"uid\",\"id\"],\"code\":\"xor_field_missing\","
                + "\"$\":\"heyputer:api/APIError\",\"message\":\"One of these mutually-exclusive fields is required: "
                + "`uid`, `id`\",\"status\":400}");
        assertThat(err(t, "read", obj("id", obj("name", "x"))).get("code").asString()).isEqualTo("invalid_id");
        assertThat(err(t, "create", obj()).get("code").asString()).isEqualTo("missing_required_argument");
        assertThat(err(t, "update", obj("id", obj("subdomain", "nope-" + name), "object", obj())).get("code")
                .asString()).isEqualTo("entity_not_found");
        JsonNode domain = ok(t, "create", obj("object", obj("subdomain", uniqueName("d"), "domain", "Example.ORG")));
        assertThat(domain.get("domain").asString()).as("recorded, never activated")
                .isEqualTo("in-progress:example.org");
        assertThat(err(t, "create", obj("object", obj("subdomain", uniqueName("d"), "domain", "not a domain")))
                .get("code").asString()).isEqualTo("field_invalid");
    }

    @Test
    void othersMayReadButNotSeeTheFolderNorChangeAnything() throws IOException {
        Account alice = signup();
        siteFolder(alice, "site");
        Account bob = signup();
        String name = uniqueName("mine");
        String uid = ok(alice.token(), "create", obj("object", obj("subdomain", name, "root_dir", "~/site")))
                .get("uid").asString();
        JsonNode seen = ok(bob.token(), "read", obj("id", obj("subdomain", name)));
        assertThat(seen.get("owner").get("username").asString()).isEqualTo(alice.username());
        assertThat(seen.has("root_dir")).isFalse();
        assertThat(seen.has("domain")).isFalse();
        assertThat(ok(bob.token(), "select", obj())).isEmpty();
        assertThat(err(bob.token(), "update", obj("id", obj("subdomain", name), "object", obj("root_dir", null)))
                .get("code").asString()).isEqualTo("forbidden");
        assertThat(err(bob.token(), "delete", obj("uid", uid)).get("code").asString()).isEqualTo("forbidden");
        assertThat(ok(alice.token(), "read", obj("uid", uid)).has("root_dir")).isTrue();
        assertThat(api("not-a-token", "POST", "/drivers/call", obj("interface", SUBDOMAINS, "method", "select"))
                .status()).isEqualTo(401);
    }

    @Test
    void appsOnlySeeAndChangeTheSitesTheyCreated() throws IOException {
        Account alice = signup();
        Reply token = api(alice.token(), "POST", "/auth/get-user-app-token", obj("origin",
                "https://site-maker.example.org"));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        String app = token.json().get("token").asString();
        String mine = uniqueName("by-user");
        ok(alice.token(), "create", obj("object", obj("subdomain", mine)));
        String made = uniqueName("by-app");
        JsonNode created = ok(app, "create", obj("object", obj("subdomain", made)));
        assertThat(created.get("owner").get("username").asString()).isEqualTo(alice.username());
        assertThat(created.get("app_owner").get("uid").asString()).startsWith("app-");
        assertThat(ok(app, "select", obj())).extracting(n -> n.get("subdomain").asString()).containsExactly(made);
        assertThat(ok(alice.token(), "select", obj())).extracting(n -> n.get("subdomain").asString())
                .containsExactly(mine, made);
        assertThat(err(app, "read", obj("id", obj("subdomain", mine))).get("code").asString())
                .isEqualTo("entity_not_found");
        assertThat(err(app, "delete", obj("id", obj("subdomain", mine))).get("code").asString())
                .isIn("forbidden", "entity_not_found");
        ok(app, "delete", obj("id", obj("subdomain", made)));
        assertThat(ok(alice.token(), "read", obj("id", obj("subdomain", mine))).get("subdomain").asString())
                .isEqualTo(mine);
    }

    @Test
    void legacyDeleteSiteDeletesOnlyTheCallersOwn() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String uid = ok(alice.token(), "create", obj("object", obj("subdomain", uniqueName("legacy"))))
                .get("uid").asString();
        Reply missing = api(alice.token(), "POST", "/delete-site", obj());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text()).isEqualTo("site_uuid is required");
        assertThat(api(bob.token(), "POST", "/delete-site", obj("site_uuid", uid)).text()).isEqualTo("{}");
        assertThat(ok(alice.token(), "read", obj("uid", uid)).get("uid").asString()).as("not bob's").isEqualTo(uid);
        assertThat(api(alice.token(), "POST", "/delete-site", obj("site_uuid", uid)).text()).isEqualTo("{}");
        assertThat(err(alice.token(), "read", obj("uid", uid)).get("code").asString()).isEqualTo("entity_not_found");
    }

    @Test
    void perUserLimitZeroMeaningUnlimited() throws IOException {
        Account alice = signup();
        service(Database.class).jdbi().useHandle(h -> h.createUpdate("UPDATE users SET max_subdomains = 2 WHERE "
                + "username = :u").bind("u", alice.username()).execute());
        ok(alice.token(), "create", obj("object", obj("subdomain", uniqueName("l1"))));
        ok(alice.token(), "create", obj("object", obj("subdomain", uniqueName("l2"))));
        assertThat(json(err(alice.token(), "create", obj("object", obj("subdomain", uniqueName("l3"))))))
                .isEqualTo("{\"limit\":2,\"code\":\"subdomain_limit_reached\",\"$\":\"heyputer:api/APIError\","
                        + "\"message\":\"You have exceeded the number of subdomains under your current plan (2).\","
                        + "\"status\":400}");
        service(Database.class).jdbi().useHandle(h -> h.createUpdate("UPDATE users SET max_subdomains = 0 WHERE "
                + "username = :u").bind("u", alice.username()).execute());
        ok(alice.token(), "create", obj("object", obj("subdomain", uniqueName("l3"))));
    }

    @Test
    void readdirSubdomainsAndStatShowTheSitesOfAFolder() throws IOException {
        Account alice = signup();
        Entry dir = siteFolder(alice, "site");
        Entry plain = mkdir(alice, "/" + alice.username() + "/plain");
        String name = uniqueName("listed");
        String uid = ok(alice.token(), "create", obj("object", obj("subdomain", name, "root_dir", "~/site")))
                .get("uid").asString();
        Reply r = api(alice.token(), "POST", "/readdir-subdomains", obj("directory_ids", List.of(dir.uuid(),
                plain.uuid())));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(json(List.of(
                obj("directory_id", dir.uuid(), "subdomains", List.of(obj("subdomain", name, "address", siteUrl(name),
                        "uuid", uid)), "has_website", true),
                obj("directory_id", plain.uuid(), "subdomains", List.of(), "has_website", false))));
        Account bob = signup();
        assertThat(api(bob.token(), "POST", "/readdir-subdomains", obj("directory_ids", List.of(dir.uuid()))).text())
                .as("only the caller's sites").contains("\"has_website\":false");
        JsonNode stat = api(alice.token(), "POST", "/stat", obj("path", "/" + alice.username() + "/site",
                "return_subdomains", true)).json();
        assertThat(stat.get("has_website").asBoolean()).isTrue();
        assertThat(stat.get("subdomains").get(0).get("address").asString()).isEqualTo(siteUrl(name));

        JsonNode listing = api(alice.token(), "POST", "/readdir", obj("path", "/" + alice.username())).json();
        JsonNode row = findByName(listing, "site");
        assertThat(row.get("has_website").asBoolean()).isTrue();
        assertThat(row.get("subdomain_subdomain").asString()).isEqualTo(name);
        assertThat(row.get("subdomain_uuid").asString()).isEqualTo(uid);
        assertThat(findByName(listing, "plain").get("has_website").asBoolean()).isFalse();
        assertThat(findByName(listing, "plain").get("subdomain_uuid").isNull()).isTrue();
        JsonNode v2 = api(alice.token(), "POST", "/fs/readdir", obj("path", "/" + alice.username())).json();
        assertThat(findByName(v2, "site").get("hasWebsite").asBoolean()).isTrue();
        assertThat(findByName(v2, "site").get("subdomains").get(0).get("subdomain").asString()).isEqualTo(name);
        JsonNode paged = api(alice.token(), "POST", "/fs/readdir", obj("path", "/" + alice.username(), "cursor",
                null)).json().get("items");
        assertThat(findByName(paged, "site").get("hasWebsite").asBoolean()).isTrue();
    }

    static JsonNode findByName(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.get("name").asString().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + list);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Serving

    String publish(Account a, String folder) throws IOException {
        String name = uniqueName(folder);
        ok(a.token(), "create", obj("object", obj("subdomain", name, "root_dir", "~/" + folder)));
        return name;
    }

    @Test
    void aSiteAnswersWithItsFiles() throws IOException {
        Account alice = signup();
        siteFolder(alice, "www1");
        String name = publish(alice, "www1");

        Reply index = site(name, "/");
        assertThat(index.status()).as(index.toString()).isEqualTo(200);
        assertThat(index.text()).isEqualTo("<h1>Hello from www1</h1>");
        assertThat(index.header("content-type")).contains("text/html; charset=utf-8");
        assertThat(index.header("access-control-allow-origin")).contains("*");
        assertThat(index.header("access-control-allow-credentials")).isEmpty();
        assertThat(index.header("x-content-type-options")).contains("nosniff");
        assertThat(index.header("x-expected-entity-length")).contains("24");
        assertThat(index.header("accept-ranges")).contains("bytes");
        assertThat(index.header("cache-control")).contains("no-cache");
        assertThat(index.header("etag")).isPresent();
        assertThat(index.header("last-modified")).isPresent();
        assertThat(index.header("x-frame-options")).as("sites may be framed").isEmpty();

        Optional<Long> accessed = service(Filesystem.class).lookup(NodeRef.path("/" + alice.username()
                + "/www1/index.html")).orElseThrow().accessed();
        sleepPastTheSecond(); // access times are in seconds
        assertThat(site(name, "/index.html").text()).isEqualTo("<h1>Hello from www1</h1>");
        assertThat(service(Filesystem.class).lookup(NodeRef.path("/" + alice.username() + "/www1/index.html"))
                .orElseThrow().accessed()).as("a visit is not a write").isEqualTo(accessed);
        Reply css = site(name, "/css/style.css");
        assertThat(css.text()).isEqualTo("body { color: red; }");
        assertThat(css.header("content-type")).contains("text/css; charset=utf-8");
        assertThat(site(name, "/app.js").header("content-type")).contains("application/javascript; charset=utf-8");
        assertThat(site(name, "/data.bin").header("content-type")).contains("application/octet-stream");
        assertThat(site(name, "/docs/").text()).isEqualTo("<p>docs</p>");
        Reply folder = site(name, "/docs");
        assertThat(folder.status()).isEqualTo(302);
        assertThat(folder.header("location")).contains(subdomainMode() ? "/docs/" : "/" + name + "/docs/");
        assertThat(site(name, "/caf%C3%A9.txt").status()).isEqualTo(404);
        write(alice, "/" + alice.username() + "/www1/café.txt", "unicode");
        assertThat(site(name, "/caf%C3%A9.txt").text()).isEqualTo("unicode");

        Reply range = site(name, "/data.bin", "Range: bytes=2-5");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("2345");
        assertThat(range.header("content-range")).contains("bytes 2-5/16");
        assertThat(site(name, "/data.bin", "Range: bytes=99-").status()).isEqualTo(416);

        String etag = index.header("etag").orElseThrow();
        Reply cached = site(name, "/", "If-None-Match: " + etag);
        assertThat(cached.status()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
        assertThat(site(name, "/", "If-Modified-Since: " + index.header("last-modified").orElseThrow()).status())
                .isEqualTo(304);
    }

    @Test
    void aChangedFileIsServedFreshOnTheNextRequest() throws IOException {
        Account alice = signup();
        siteFolder(alice, "fresh");
        String name = publish(alice, "fresh");
        Reply before = site(name, "/index.html");
        assertThat(before.text()).isEqualTo("<h1>Hello from fresh</h1>");
        write(alice, "/" + alice.username() + "/fresh/index.html", "<h1>v2</h1>");
        Reply after = site(name, "/index.html", "If-None-Match: " + before.header("etag").orElseThrow());
        assertThat(after.status()).as("the old entity tag no longer matches").isEqualTo(200);
        assertThat(after.text()).isEqualTo("<h1>v2</h1>");
        assertThat(after.header("etag")).isNotEqualTo(before.header("etag"));
        service(Filesystem.class).delete(fsUser(alice), DeleteRequest.of(NodeRef.path("/" + alice.username()
                + "/fresh/css"), true));
        assertThat(site(name, "/css/style.css").status()).isEqualTo(404);
    }

    @Test
    void notFoundGoesThroughSiteConfigThen404HtmlThenTheBuiltInPage() throws IOException {
        Account alice = signup();
        siteFolder(alice, "nf");
        String name = publish(alice, "nf");
        Reply builtIn = site(name, "/nope.html");
        assertThat(builtIn.status()).isEqualTo(404);
        assertThat(builtIn.header("content-type")).contains("text/html; charset=UTF-8");
        assertThat(builtIn.text()).endsWith("<h1 style=\"margin:0; color:#727272;\">404</h1><p style=\"margin-top:10px;"
                + "\">Not Found</p></div>");

        String base = "/" + alice.username() + "/nf";
        write(alice, base + "/404.html", "<p>custom 404</p>");
        Reply custom = site(name, "/nope.html");
        assertThat(custom.status()).isEqualTo(404);
        assertThat(custom.text()).isEqualTo("<p>custom 404</p>");
        assertThat(custom.header("content-type")).contains("text/html; charset=utf-8");

        write(alice, base + "/.puter_site_config", "{\"rewrites\":[{\"source\":\"/(.*)\",\"destination\":"
                + "\"/index.html\"}]}");
        Reply spa = site(name, "/some/client/route");
        assertThat(spa.status()).as("a single-page app's fallback").isEqualTo(200);
        assertThat(spa.text()).isEqualTo("<h1>Hello from nf</h1>");
        Reply hidden = site(name, "/.puter_site_config");
        assertThat(hidden.text()).as("the config is never served").doesNotContain("rewrites");
        service(Filesystem.class).symlink(fsUser(alice), NodeRef.path(base), "cfg.txt", base + "/.puter_site_config",
                ClientMetadata.NONE);
        assertThat(site(name, "/cfg.txt").text()).as("not even through a link").doesNotContain("rewrites");

        write(alice, base + "/.puter_site_config", "error_page 404 /missing.html;");
        assertThat(site(name, "/nope").text()).as("a rule whose file is missing falls back to 404.html")
                .isEqualTo("<p>custom 404</p>");
        write(alice, base + "/.puter_site_config", "{\"errors\":{\"404\":410}}");
        assertThat(site(name, "/nope").status()).isEqualTo(410);

        Reply unknown = site("no-such-site-" + name, "/");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).isEqualTo("Subdomain not found");
    }

    @Test
    void traversalNeverLeavesTheRoot() throws IOException {
        Account alice = signup();
        siteFolder(alice, "jail");
        write(alice, "/" + alice.username() + "/secret.txt", "TOP SECRET");
        String name = publish(alice, "jail");
        for (String attack : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/css/../../secret.txt",
                "/css/%2E%2E/%2E%2E/secret.txt", "/..%2fsecret.txt", "/css%2f..%2f..%2fsecret.txt",
                "/%2e%2e%5csecret.txt", "/index.html%00.txt"}) {
            Reply r = site(name, attack);
            assertThat(r.status()).as(attack).isIn(400, 404);
            assertThat(r.text()).as(attack).doesNotContain("TOP SECRET");
        }
        service(Filesystem.class).symlink(fsUser(alice), NodeRef.path("/" + alice.username() + "/jail"), "link.txt",
                "/" + alice.username() + "/secret.txt", ClientMetadata.NONE);
        Reply link = site(name, "/link.txt");
        assertThat(link.status()).as("a symbolic link out of the root").isEqualTo(404);
        assertThat(link.text()).doesNotContain("TOP SECRET");
    }

    @Test
    void sitesPointingNowhereOrAtDeletedFolders() throws IOException {
        Account alice = signup();
        String nowhere = uniqueName("nowhere");
        ok(alice.token(), "create", obj("object", obj("subdomain", nowhere)));
        Reply r = site(nowhere, "/");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("Subdomain or site is not pointing to a directory.");

        siteFolder(alice, "doomed");
        String name = publish(alice, "doomed");
        service(Filesystem.class).delete(fsUser(alice), DeleteRequest.of(NodeRef.path("/" + alice.username()
                + "/doomed"), true));
        Reply deleted = site(name, "/");
        assertThat(deleted.status()).isEqualTo(502);
        assertThat(deleted.text()).isEqualTo("subdomain is pointing to deleted directory");

        ok(alice.token(), "delete", obj("id", obj("subdomain", name)));
        assertThat(site(name, "/").text()).isEqualTo("Subdomain not found");
    }

    @Test
    void protectedSitesRefuseStrangersAndApiCredentials() throws IOException {
        Account alice = signup();
        siteFolder(alice, "vault");
        String name = uniqueName("vault");
        ok(alice.token(), "create", obj("object", obj("subdomain", name, "root_dir", "~/vault", "protected", true)));
        String origin = service(WebServer.class).urls().origin();

        Reply anonymous = site(name, "/");
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(anonymous.header("location")).contains(origin + "?error=true&message=Missing+authentication+token."
                + "&status=401&field_code=token_missing");
        assertThat(site(name, "/", bearer(alice.token())).status()).as("API credentials do not count on sites")
                .isEqualTo(302);
        Account bob = signup();
        Reply stranger = site(name, "/?puter.auth.token=" + bob.token());
        assertThat(stranger.status()).isEqualTo(302);
        assertThat(stranger.header("location")).contains(origin + "?error=true&message=Permission+denied.&status=403"
                + "&field_code=forbidden");
        assertThat(stranger.text()).doesNotContain("Hello");

        Reply owner = site(name, "/?puter.auth.token=" + alice.token());
        assertThat(owner.status()).isEqualTo(200);
        assertThat(owner.text()).isEqualTo("<h1>Hello from vault</h1>");
        String setCookie = owner.headers().get("set-cookie").getFirst();
        assertThat(setCookie).startsWith("puter.site.token=").contains("HttpOnly").contains("Secure")
                .contains("SameSite=None").contains("Max-Age=3600")
                .contains(subdomainMode() ? "Path=/;" : "Path=/" + name + "/;");
        String cookie = setCookie.split(";", 2)[0];
        assertThat(site(name, "/css/style.css", "Cookie: " + cookie).status()).isEqualTo(200);

        siteFolder(bob, "bobsite");
        String bobs = uniqueName("bobs");
        ok(bob.token(), "create", obj("object", obj("subdomain", bobs, "root_dir", "~/bobsite", "protected", true)));
        assertThat(site(bobs, "/", "Cookie: " + cookie).status()).as("a cookie is good for its own site only")
                .isEqualTo(302);
    }

    @Test
    void siteHostsServeNoApi() throws IOException {
        Account alice = signup();
        siteFolder(alice, "noapi");
        String name = publish(alice, "noapi");
        Reply r = site(name, "/healthcheck");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).doesNotContain("\"ok\"");
        if (!subdomainMode()) {
            int sites = service(WebServer.class).sitesPort().orElseThrow();
            Reply bare = raw(sites, "GET", "/" + name, "127.0.0.1:" + sites, null);
            assertThat(bare.status()).isEqualTo(302);
            assertThat(bare.header("location")).contains("/" + name + "/");
            Reply driver = raw(sites, "POST", "/drivers/call", "127.0.0.1:" + sites, json(obj("interface", SUBDOMAINS,
                    "method", "select")), bearer(alice.token()));
            assertThat(driver.text()).doesNotContain("success");
        } else {
            Reply base = raw(port(), "GET", "/", "site.127.0.0.1:" + port(), null);
            assertThat(base.status()).isEqualTo(302);
            assertThat(base.header("location")).contains("https://developer.puter.com/static-hosting/");
        }
    }
}
