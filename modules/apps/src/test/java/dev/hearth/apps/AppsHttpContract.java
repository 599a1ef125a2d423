package dev.hearth.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.hearth.core.Users;
import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.drivers.testing.TestHttp;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FilesystemModule;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.NodeRef;
import dev.hearth.fs.WriteRequest;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/** {@code puter-apps} over {@code /drivers/call} and the app routes, on each engine (the subclasses). */
abstract class AppsHttpContract extends DriverHttpFixture {

    static final String APPS = "puter-apps";
    static final String EDITOR = "app-838dfbc4-bf8b-48c2-b47b-c4adc77fab58";
    /** A small limit, so that the test of the limit sends little. */
    static final int MAX_ICON = 200_000;

    @Override
    protected List<Module> modules() {
        return List.of(new FilesystemModule(), new AppsModule());
    }

    @Override
    protected Config configure(Config config) {
        // A hosting domain with a real top-level domain, so that hosted index URLs are valid URLs.
        return config.with("app_max_icon_size", MAX_ICON).with("static_hosting_domain", "site.hearth.test");
    }

    String send(String token, String method, Object args) throws IOException {
        return call(token, APPS, method, args).text();
    }

    JsonNode apps(String token, String method, Object args) throws IOException {
        return result(token, APPS, method, args);
    }

    JsonNode appsError(String token, String method, Object args) throws IOException {
        return error(token, APPS, method, args);
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    JsonNode createApp(String token, String name, Object... more) throws IOException {
        Map<String, Object> object = obj("name", name, "title", "Title of " + name, "index_url",
                "https://example.com/" + name + "/index.html");
        for (int i = 0; i < more.length; i += 2) {
            object.put((String) more[i], more[i + 1]);
        }
        return apps(token, "create", obj("object", object));
    }

    TestHttp.Reply get(String path, String token) throws IOException {
        return token == null ? http.send("GET", path, null) : http.send("GET", path, null, bearer(token));
    }

    TestHttp.Reply post(String path, String token, Object body) throws IOException {
        return http.send("POST", path, json(body), bearer(token), "Origin: " + http.origin());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The captured exchanges (examples.md 3.17–3.24, 3.34, 3.35)

    @Test
    void theCapturedExchanges() throws IOException {
        Account alice = signup();
        String t = alice.token();
        String name = unique("alice-app");
        String created = send(t, "create", obj("object", obj("name", name, "title", "Alice App", "description",
                "An example app", "index_url", "https://example.com/app/index.html")));
        String uid = call(t, APPS, "read", obj("id", obj("name", name))).json().get("result").get("uid").asString();
        assertThat(uid).matches("app-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(created).isEqualTo("{\"success\":true,\"service\":{\"name\":\"es:app\"},\"result\":{\"uid\":\""
                + uid + "\",\"name\":\"" + name + "\",\"title\":\"Alice App\",\"description\":\"An example app\","
                + "\"index_url\":\"https://example.com/app/index.html\",\"owner\":{\"username\":\"" + alice.username()
                + "\",\"uuid\":\"" + alice.uuid() + "\"}},\"metadata\":{}}");

        assertThat(send(t, "create", obj("object", obj("name", name, "title", "Dup", "index_url",
                "https://example.com/dup/index.html")))).isEqualTo("{\"success\":false,\"error\":{\"name\":\"" + name
                + "\",\"code\":\"app_name_already_in_use\",\"$\":\"heyputer:api/APIError\",\"message\":\"App name `"
                + name + "` is already in use.\",\"status\":409}}");

        JsonNode read = apps(t, "read", obj("uid", uid));
        assertThat(read.propertyNames()).containsExactly("uid", "icon", "name", "title", "description", "metadata",
                "maximize_on_start", "background", "index_url", "created_at", "filetype_associations", "stats",
                "privateAccess", "created_from_origin", "owner", "app_owner", "protected", "is_private",
                "approved_for_listing", "approved_for_opening_items", "approved_for_incentive_program", "godmode");
        String timestamp = read.get("created_at").asString();
        assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        String entity = "{\"uid\":\"" + uid + "\",\"icon\":\"\",\"name\":\"" + name + "\",\"title\":\"%s\","
                + "\"description\":\"An example app\",\"metadata\":{},\"maximize_on_start\":false,\"background\":false,"
                + "\"index_url\":\"https://example.com/app/index.html\",\"created_at\":\"" + timestamp + "\","
                + "\"filetype_associations\":[],\"stats\":{\"open_count\":0,\"user_count\":0,\"referral_count\":null},"
                + "\"privateAccess\":{\"hasAccess\":true,\"checkedBy\":\"core/public-app\"},\"created_from_origin\":\"\","
                + "\"owner\":{\"username\":\"" + alice.username() + "\",\"uuid\":\"" + alice.uuid() + "\"},"
                + "\"app_owner\":null,\"protected\":false,\"is_private\":false,\"approved_for_listing\":false,"
                + "\"approved_for_opening_items\":false,\"approved_for_incentive_program\":false,\"godmode\":false}";
        assertThat(json(read)).isEqualTo(entity.formatted("Alice App"));

        assertThat(send(t, "select", obj("predicate", List.of("user-can-edit")))).isEqualTo(
                "{\"success\":true,\"service\":{\"name\":\"es:app\"},\"result\":[" + entity.formatted("Alice App")
                        + "],\"metadata\":{}}");

        assertThat(send(t, "update", obj("id", obj("name", name), "object", obj("title", "Alice App (renamed)"))))
                .isEqualTo("{\"success\":true,\"service\":{\"name\":\"es:app\"},\"result\":"
                        + entity.formatted("Alice App (renamed)") + ",\"metadata\":{}}");

        assertThat(send(t, "delete", obj("uid", uid)))
                .isEqualTo("{\"success\":true,\"service\":{\"name\":\"es:app\"},\"metadata\":{}}");
        assertThat(send(t, "read", obj("uid", uid))).isEqualTo("{\"success\":false,\"error\":{\"identifier\":\"" + uid
                + "\",\"code\":\"entity_not_found\",\"$\":\"heyputer:api/APIError\",\"message\":\"Entity not found: `"
                + uid + "`\",\"status\":422}}");

        assertThat(send(t, "create", obj("object", "not-an-object"))).isEqualTo("{\"success\":false,\"error\":{"
                + "\"interface_name\":\"puter-apps\",\"method_name\":\"create\",\"arg_name\":\"object\",\"message\":"
                + "\"Failed to parse or process argument `object` for method `create` on interface `puter-apps`: Field "
                + "`object` is invalid. Expected JSON value of type object. Got JSON value of type string.\",\"code\":"
                + "\"argument_consolidation_failed\",\"$\":\"heyputer:api/APIError\",\"status\":400}}");
        assertThat(send(t, "create", obj())).isEqualTo("{\"success\":false,\"error\":{\"interface_name\":\"puter-apps\","
                + "\"method_name\":\"create\",\"arg_name\":\"object\",\"code\":\"missing_required_argument\",\"$\":"
                + "\"heyputer:api/APIError\",\"message\":\"Missing required argument `object` for method `create` on "
                + "interface `puter-apps`\",\"status\":400}}");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Validation (spec 4.3 create step 4)

    String code(JsonNode error) {
        return error.get("code").asString();
    }

    @Test
    void createValidatesEveryField() throws IOException {
        String t = signup().token();
        String n = unique("v");
        Map<String, Object> ok = obj("name", n, "title", "T", "index_url", "https://example.com/");
        for (String required : List.of("name", "title", "index_url")) {
            Map<String, Object> o = new java.util.LinkedHashMap<>(ok);
            o.remove(required);
            JsonNode e = appsError(t, "create", obj("object", o));
            assertThat(json(e)).isEqualTo("{\"key\":\"" + required + "\",\"code\":\"field_missing\",\"$\":"
                    + "\"heyputer:api/APIError\",\"message\":\"Field `" + required + "` is required.\",\"status\":400}");
        }
        assertThat(json(appsError(t, "create", obj("object", with(ok, "uid", "app-x"))))).isEqualTo("{\"key\":\"uid\","
                + "\"code\":\"field_not_allowed_for_create\",\"$\":\"heyputer:api/APIError\",\"message\":\"Field `uid` is "
                + "not allowed for create.\",\"status\":400}");
        assertThat(json(appsError(t, "create", obj("object", with(ok, "name", "x".repeat(61)))))).isEqualTo(
                "{\"key\":\"name\",\"max_length\":60,\"code\":\"field_too_long\",\"$\":\"heyputer:api/APIError\","
                        + "\"message\":\"Field `name` is too long. Max length is 60.\",\"status\":400}");
        assertThat(json(appsError(t, "create", obj("object", with(ok, "name", "no spaces"))))).isEqualTo(
                "{\"key\":\"name\",\"converted_from_another_error\":true,\"code\":\"field_invalid\",\"$\":"
                        + "\"heyputer:api/APIError\",\"message\":\"Field `name` is invalid.\",\"status\":400}");
        assertThat(code(appsError(t, "create", obj("object", with(ok, "title", "t".repeat(61)))))).isEqualTo("field_too_long");
        assertThat(code(appsError(t, "create", obj("object", with(ok, "description", "d".repeat(7001))))))
                .isEqualTo("field_too_long");
        for (String bad : List.of("javascript:alert(1)", "not a url", "ftp//x", "https://nodot", "https://a.b.c/\"x",
                "data:text/html,hi", "https://user@example.com/")) {
            JsonNode e = appsError(t, "create", obj("object", with(ok, "index_url", bad)));
            assertThat(e.get("key").asString()).as(bad).isEqualTo("index_url");
            assertThat(code(e)).isEqualTo("field_invalid");
        }
        for (String good : List.of("http://localhost:3000/app", "example.org", "https://127.0.0.1:8443/x?y=1#z",
                "https://sub.example.co.uk/path/")) {
            assertThat(createApp(t, unique("good"), "index_url", good).get("index_url").asString()).isEqualTo(good);
        }
        assertThat(code(appsError(t, "create", obj("object", with(ok, "index_url", "https://x.org/" + "a".repeat(3000))))))
                .isEqualTo("field_too_long");
        for (Object badIcon : List.of("data:image/svg+xml,<svg onload=alert(1)>", "data:image/png;base64,AAAA\"",
                "https://evil.example.org/x.png", 12, "data:image/png;base64,bm90IGFuIGltYWdl")) {
            JsonNode e = appsError(t, "create", obj("object", with(ok, "icon", badIcon)));
            assertThat(json(e)).as(String.valueOf(badIcon)).isEqualTo("{\"key\":\"icon\",\"converted_from_another_error\":"
                    + "true,\"code\":\"field_invalid\",\"$\":\"heyputer:api/APIError\",\"message\":\"Field `icon` is "
                    + "invalid.\",\"status\":400}");
        }
        assertThat(code(appsError(t, "create", obj("object", with(ok, "maximize_on_start", "yes")))))
                .isEqualTo("field_invalid");
        assertThat(code(appsError(t, "create", obj("object", with(ok, "metadata", List.of(1))))))
                .isEqualTo("field_invalid");
        assertThat(code(appsError(t, "create", obj("object", with(ok, "filetype_associations", "txt")))))
                .isEqualTo("field_invalid");
        assertThat(code(appsError(t, "create", obj("object", with(ok, "filetype_associations", List.of(3))))))
                .isEqualTo("field_invalid");
        // flags as upstream's adapter takes them; read-only fields are dropped, unknown ones ignored
        JsonNode created = createApp(t, unique("flags"), "maximize_on_start", "1", "background", 1, "godmode", true,
                "approved_for_listing", true, "is_private", true, "whatever", 1, "metadata", obj("a", 1),
                "filetype_associations", List.of(".TXT", "md", "txt"));
        JsonNode read = apps(t, "read", obj("uid", created.get("uid").asString()));
        JsonNode nulls = apps(t, "update", obj("id", obj("uid", created.get("uid").asString()), "object",
                obj("description", null, "metadata", null, "filetype_associations", null, "icon", null)));
        assertThat(nulls.has("description")).isFalse();
        assertThat(json(nulls.get("metadata"))).isEqualTo("{}");
        assertThat(json(nulls.get("filetype_associations"))).isEqualTo("[]");
        assertThat(read.get("maximize_on_start").asBoolean()).isTrue();
        assertThat(read.get("background").asBoolean()).isTrue();
        assertThat(read.get("godmode").asBoolean()).isFalse();
        assertThat(read.get("approved_for_listing").asBoolean()).isFalse();
        assertThat(read.get("is_private").asBoolean()).isFalse();
        assertThat(json(read.get("metadata"))).isEqualTo("{\"a\":1}");
        assertThat(json(read.get("filetype_associations"))).isEqualTo("[\"md\",\"txt\"]");
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Identifiers, names and renames

    @Test
    void identifiersRenamesAndDuplicateNames() throws IOException {
        Account alice = signup();
        String t = alice.token();
        String name = unique("ids");
        String uid = createApp(t, name).get("uid").asString();
        assertThat(apps(t, "read", obj("id", obj("uid", uid))).get("name").asString()).isEqualTo(name);
        assertThat(apps(t, "read", obj("id", uid)).get("name").asString()).isEqualTo(name);
        assertThat(json(appsError(t, "read", obj("id", obj("color", "red"))))).isEqualTo("{\"id\":{\"color\":\"red\"},"
                + "\"code\":\"invalid_id\",\"$\":\"heyputer:api/APIError\",\"message\":\"Invalid id {\\\"color\\\":"
                + "\\\"red\\\"}\",\"status\":400}");
        assertThat(json(appsError(t, "read", obj()))).isEqualTo("{\"names\":[\"uid\",\"id\"],\"code\":"
                + "\"xor_field_missing\",\"$\":\"heyputer:api/APIError\",\"message\":\"One of these mutually-exclusive "
                + "fields is required: `uid`, `id`\",\"status\":400}");
        assertThat(code(appsError(t, "delete", obj()))).isEqualTo("xor_field_missing");
        assertThat(json(appsError(t, "read", obj("id", obj("name", "no-such-app-here")))).replaceAll("\\s", ""))
                .isEqualTo("{\"identifier\":{\"name\":\"no-such-app-here\"},\"code\":\"entity_not_found\",\"$\":"
                        + "\"heyputer:api/APIError\",\"message\":\"Entitynotfound:{\\\"name\\\":\\\"no-such-app-here\\\"}\","
                        + "\"status\":422}");

        // rename: the old name still leads to the app, and is reserved for it
        String renamed = name + "-new";
        assertThat(apps(t, "update", obj("id", obj("uid", uid), "object", obj("name", renamed))).get("name").asString())
                .isEqualTo(renamed);
        assertThat(apps(t, "read", obj("id", obj("name", name))).get("uid").asString()).isEqualTo(uid);
        Account bob = signup();
        assertThat(code(appsError(bob.token(), "create", obj("object", obj("name", name, "title", "x", "index_url",
                "https://example.com/"))))).isEqualTo("app_name_already_in_use");
        assertThat(get("/apps/nameAvailable?name=" + name, bob.token()).json().get("available").asBoolean()).isFalse();
        // the app itself takes its old name back
        apps(t, "update", obj("id", obj("uid", uid), "object", obj("name", name)));
        assertThat(apps(t, "read", obj("id", obj("name", renamed))).get("uid").asString()).isEqualTo(uid);
        // dedupe_name
        JsonNode deduped = apps(bob.token(), "create", obj("object", obj("name", name, "title", "x", "index_url",
                "https://example.com/"), "options", obj("dedupe_name", true)));
        assertThat(deduped.get("name").asString()).isEqualTo(name + "-1");
        // update can locate by object.uid too; taking another app's name is refused
        assertThat(code(appsError(bob.token(), "update", obj("object", obj("uid", deduped.get("uid").asString(),
                "name", renamed))))).isEqualTo("app_name_already_in_use");
    }

    @Test
    void upsertCreatesThenUpdates() throws IOException {
        String t = signup().token();
        String name = unique("ups");
        JsonNode first = apps(t, "upsert", obj("object", obj("name", name, "title", "One", "index_url",
                "https://example.com/")));
        JsonNode second = apps(t, "upsert", obj("object", obj("name", name, "title", "Two")));
        assertThat(second.get("uid").asString()).isEqualTo(first.get("uid").asString());
        assertThat(second.get("title").asString()).isEqualTo("Two");
        JsonNode third = apps(t, "upsert", obj("id", obj("name", name), "object", obj("description", "d")));
        assertThat(third.get("description").asString()).isEqualTo("d");
        assertThat(third.get("title").asString()).isEqualTo("Two");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ownership, visibility, app actors

    @Test
    void onlyTheOwnerWritesAndSelectShowsOwnOrListedApps() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String name = unique("owned");
        String uid = createApp(alice.token(), name).get("uid").asString();
        JsonNode seen = apps(bob.token(), "read", obj("uid", uid));
        assertThat(seen.get("name").asString()).isEqualTo(name);
        assertThat(seen.has("approved_for_listing")).as("owner-only fields").isFalse();
        for (var attempt : List.of(obj("id", obj("name", name), "object", obj("title", "mine now")),
                obj("object", obj("uid", uid, "title", "mine now")))) {
            assertThat(json(appsError(bob.token(), "update", attempt))).isEqualTo("{\"code\":\"forbidden\",\"$\":"
                    + "\"heyputer:api/APIError\",\"message\":\"Permission denied.\",\"status\":403}");
        }
        assertThat(code(appsError(bob.token(), "delete", obj("uid", uid)))).isEqualTo("forbidden");
        assertThat(code(appsError(bob.token(), "upsert", obj("id", obj("name", name), "object", obj("title", "x")))))
                .isEqualTo("forbidden");
        assertThat(code(appsError(alice.token(), "update", obj("id", obj("name", "editor"), "object",
                obj("title", "Mine"))))).as("built-in apps have no owner").isEqualTo("forbidden");
        assertThat(apps(alice.token(), "read", obj("uid", uid)).get("title").asString()).isEqualTo("Title of " + name);

        // owner, app_owner and created_at cannot be changed through update (Hearth's fix)
        JsonNode updated = apps(alice.token(), "update", obj("id", obj("name", name), "object", obj("owner",
                obj("id", 1), "app_owner", 1, "created_at", "2000-01-01 00:00:00", "godmode", true)));
        assertThat(updated.get("owner").get("uuid").asString()).isEqualTo(alice.uuid());
        assertThat(updated.get("created_at").asString()).isNotEqualTo("2000-01-01 00:00:00");
        assertThat(updated.get("godmode").asBoolean()).isFalse();

        List<String> bobEdits = names(apps(bob.token(), "select", obj("predicate", List.of("user-can-edit"))));
        assertThat(bobEdits).doesNotContain(name);
        List<String> everything = names(apps(bob.token(), "select", obj("predicate", List.of())));
        assertThat(everything).contains("editor", "dev-center").doesNotContain(name);
        assertThat(names(apps(alice.token(), "select", obj()))).contains("editor", name);
        assertThat(names(apps(alice.token(), "select", obj("predicate", List.of("name-like", "edit%")))))
                .containsExactly("editor");
        assertThat(names(apps(alice.token(), "select", obj("predicate", List.of(), "limit", 2, "offset", 1))))
                .hasSize(2);
        assertThat(code(appsError(alice.token(), "select", obj("predicate", List.of("everything")))))
                .isEqualTo("field_invalid");
        JsonNode sized = apps(alice.token(), "select", obj("predicate", List.of("user-can-edit"), "params",
                obj("icon_size", 64)));
        assertThat(sized.get(0).get("icon").asString()).endsWith("/app-icon/" + sized.get(0).get("uid").asString()
                + "/64");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void selectPagesWithCursorsWhenAskedTo() throws IOException {
        String t = signup().token();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(createApp(t, unique("page" + i)).get("name").asString());
        }
        List<String> seen = new ArrayList<>();
        Object cursor = null;
        int pages = 0;
        do {
            JsonNode page = apps(t, "select", obj("predicate", List.of("user-can-edit"), "limit", 2, "cursor", cursor,
                    "includeTotal", true));
            assertThat(page.get("total").asInt()).isEqualTo(5);
            seen.addAll(names(page.get("items")));
            cursor = page.has("cursor") ? page.get("cursor").asString() : null;
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(made);
        assertThat(pages).isEqualTo(3);
        JsonNode all = apps(t, "select", obj("predicate", List.of("user-can-edit"), "cursor", null));
        assertThat(names(all.get("items"))).isEqualTo(made);
        assertThat(all.has("cursor")).isFalse();
        assertThat(apps(t, "select", obj("predicate", List.of("user-can-edit"), "limit", 2)).isArray())
                .as("limit alone keeps the bare array").isTrue();
        assertThat(code(appsError(t, "select", obj("cursor", "not-a-cursor")))).isEqualTo("field_invalid");
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(a -> out.add(a.get("name").asString()));
        return out;
    }

    @Test
    void protectedAppsAreHiddenFromOthers() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String name = unique("secret");
        String uid = createApp(alice.token(), name, "protected", true).get("uid").asString();
        assertThat(apps(alice.token(), "read", obj("uid", uid)).get("protected").asBoolean()).isTrue();
        assertThat(code(appsError(bob.token(), "read", obj("uid", uid)))).isEqualTo("entity_not_found");
        assertThat(code(appsError(bob.token(), "update", obj("id", obj("name", name), "object", obj("title", "x")))))
                .isEqualTo("entity_not_found");
        assertThat(names(apps(bob.token(), "select", obj("predicate", List.of("name-like", name))))).isEmpty();
        assertThat(get("/apps/" + name, bob.token()).text()).isEqualTo("[]");
    }

    @Test
    void anAppActsWithinItsUsersRightsAndOnlyOnItsOwnCreations() throws IOException {
        Account alice = signup();
        Map.Entry<String, String> app = appToken(alice, "https://builder-" + Long.toHexString(System.nanoTime())
                + ".example.org");
        String appToken = app.getKey();
        String userApp = unique("by-user");
        String userAppUid = createApp(alice.token(), userApp).get("uid").asString();

        String byApp = unique("by-app");
        JsonNode created = createApp(appToken, byApp);
        JsonNode read = apps(alice.token(), "read", obj("uid", created.get("uid").asString()));
        assertThat(read.get("owner").get("uuid").asString()).isEqualTo(alice.uuid());
        assertThat(read.get("app_owner").get("uid").asString()).isEqualTo(app.getValue());

        assertThat(apps(appToken, "update", obj("id", obj("name", byApp), "object", obj("title", "ok")))
                .get("title").asString()).isEqualTo("ok");
        assertThat(code(appsError(appToken, "read", obj("uid", userAppUid)))).isEqualTo("entity_not_found");
        assertThat(code(appsError(appToken, "update", obj("id", obj("uid", userAppUid), "object", obj("title", "x")))))
                .isEqualTo("entity_not_found");
        assertThat(names(apps(appToken, "select", obj("predicate", List.of("user-can-edit"))))).containsExactly(byApp);
        assertThat(names(apps(appToken, "select", obj()))).contains(byApp, "editor").doesNotContain(userApp);
        assertThat(apps(appToken, "read", obj("uid", app.getValue())).get("uid").asString())
                .as("an app reads itself").isEqualTo(app.getValue());

        // with apps-of-user:<uuid>:write granted by the user, the app manages all of the user's apps
        TestHttp.Reply grant = post("/auth/grant-user-app", alice.token(), obj("app_uid", app.getValue(),
                "permission", "apps-of-user:" + alice.uuid() + ":write"));
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        assertThat(apps(appToken, "update", obj("id", obj("uid", userAppUid), "object", obj("title", "granted")))
                .get("title").asString()).isEqualTo("granted");
        // ...but never another user's
        Account bob = signup();
        String bobApp = createApp(bob.token(), unique("bobs")).get("uid").asString();
        assertThat(code(appsError(appToken, "delete", obj("uid", bobApp)))).isIn("forbidden", "entity_not_found");
        assertThat(apps(bob.token(), "read", obj("uid", bobApp)).get("uid").asString()).isEqualTo(bobApp);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Icons (spec 4.5)

    static String png(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                img.setRGB(x, y, 0xffcc2200);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Test
    void iconsAreStoredResizedAndServedSafely() throws IOException {
        Account alice = signup();
        String t = alice.token();
        JsonNode created = createApp(t, unique("icon"), "icon", "data:image/png;base64," + png(300, 150));
        String uid = created.get("uid").asString();
        assertThat(created.get("icon").asString()).isEqualTo(http.origin() + "/app-icon/" + uid);
        JsonNode read = apps(t, "read", obj("uid", uid, "params", obj("icon_size", 32)));
        assertThat(read.get("icon").asString()).isEqualTo(http.origin() + "/app-icon/" + uid + "/32");

        for (int size : List.of(16, 64, 512)) {
            TestHttp.Reply icon = get("/app-icon/" + uid + "/" + size, null);
            assertThat(icon.status()).isEqualTo(200);
            assertThat(icon.header("content-type")).contains("image/png");
            assertThat(icon.header("x-content-type-options")).contains("nosniff");
            assertThat(icon.header("content-security-policy").orElse("")).contains("sandbox").contains("default-src 'none'");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(icon.body()));
            assertThat(img.getWidth()).isEqualTo(size);
            assertThat(img.getHeight()).isEqualTo(size);
            assertThat(img.getRGB(size / 2, size / 2)).isEqualTo(0xffcc2200);
            assertThat(img.getRGB(size / 2, 0) >>> 24).as("letterboxed, transparent").isZero();
        }
        assertThat(ImageIO.read(new ByteArrayInputStream(get("/app-icon/" + uid.substring(4), null).body())).getWidth())
                .as("default size 128, prefix optional").isEqualTo(128);
        TestHttp.Reply bad = get("/app-icon/" + uid + "/100", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).isEqualTo("Invalid size");
        TestHttp.Reply unknown = get("/app-icon/app-00000000-0000-4000-8000-000000000000/64", null);
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(unknown.body())).getWidth()).isEqualTo(64);

        // an SVG with a script: served as SVG for every size, sandboxed, never run on the API origin
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(document.cookie)"
                + "</script><rect width=\"10\" height=\"10\"/></svg>";
        apps(t, "update", obj("id", obj("uid", uid), "object", obj("icon", "data:image/svg+xml;base64,"
                + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8)))));
        TestHttp.Reply served = get("/app-icon/" + uid + "/256", null);
        assertThat(served.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/svg+xml"));
        assertThat(served.header("content-security-policy").orElse("")).contains("sandbox").contains("default-src 'none'");
        assertThat(served.header("x-content-type-options")).contains("nosniff");
        assertThat(served.text()).isEqualTo(svg);

        // too large (app_max_icon_size), then cleared
        assertThat(code(appsError(t, "update", obj("id", obj("uid", uid), "object", obj("icon",
                "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[MAX_ICON + 1])))))).isEqualTo("field_invalid");
        assertThat(apps(t, "update", obj("id", obj("uid", uid), "object", obj("icon", ""))).get("icon").asString())
                .isEmpty();
        assertThat(get("/app-icon/" + uid + "/64", null).header("content-type")).contains("image/png");
        // raw base64 is taken as a PNG
        assertThat(apps(t, "update", obj("id", obj("uid", uid), "object", obj("icon", png(20, 20)))).get("icon")
                .asString()).isEqualTo(http.origin() + "/app-icon/" + uid);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Routes (spec 4.4)

    @Test
    void nameAvailabilityAndLookupsByName() throws IOException {
        Account alice = signup();
        String t = alice.token();
        String name = unique("look");
        createApp(t, name, "filetype_associations", List.of("xyz"));
        assertThat(get("/apps/nameAvailable?name=" + name, t).text()).isEqualTo("{\"name\":\"" + name
                + "\",\"available\":false}");
        assertThat(get("/apps/nameAvailable?name=free-" + name, t).text()).isEqualTo("{\"name\":\"free-" + name
                + "\",\"available\":true}");
        assertThat(get("/apps/nameAvailable", t).text()).isEqualTo("{\"message\":\"name query parameter is required\","
                + "\"code\":\"invalid_request\"}");
        assertThat(get("/apps/nameAvailable?name=a%20b", t).text()).isEqualTo("{\"message\":\"name must match app "
                + "naming rules (max length: 60)\",\"code\":\"invalid_request\"}");
        assertThat(get("/apps/nameAvailable?name=x", null).status()).isEqualTo(401);

        JsonNode mine = get("/apps", t).json();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).propertyNames()).containsExactly("uid", "name", "description", "title", "icon",
                "index_url", "godmode", "background", "maximize_on_start", "filetype_associations", "open_count",
                "user_count", "referral_count", "approved_for_incentive_program", "created_at");
        assertThat(json(mine.get(0).get("filetype_associations"))).isEqualTo("[\"xyz\"]");

        JsonNode byName = get("/apps/editor%7C" + name + "%7Cno-such-app", t).json();
        assertThat(names(byName)).containsExactly("editor", name);
        assertThat(byName.get(0).propertyNames()).containsExactly("uuid", "name", "title", "icon", "godmode",
                "background", "maximize_on_start", "index_url", "privateAccess");
        assertThat(byName.get(0).get("uuid").asString()).isEqualTo(EDITOR);
    }

    @Test
    void theAppPageEscapesEverything() throws IOException {
        Account alice = signup();
        String name = unique("page");
        createApp(alice.token(), name, "title", "<script>alert(1)</script>", "description", "\"><img src=x onerror=alert(1)>");
        TestHttp.Reply page = get("/app/" + name, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type").orElse("")).startsWith("text/html");
        assertThat(page.text()).contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>")
                .contains("content=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"").doesNotContain("<script>")
                .doesNotContain("<img");
        assertThat(page.header("content-security-policy").orElse("")).contains("default-src 'none'");
        assertThat(get("/app/no-such-app-anywhere", null).status()).isEqualTo(404);
        String hidden = unique("hidden-page");
        createApp(alice.token(), hidden, "protected", true);
        assertThat(get("/app/" + hidden, null).status()).isEqualTo(404);
    }

    @Test
    void queryAppBySelectors() throws IOException {
        Account alice = signup();
        String name = unique("queried");
        String uid = createApp(alice.token(), name, "filetype_associations", List.of("qq")).get("uid").asString();
        String hidden = unique("hidden");
        createApp(alice.token(), hidden, "protected", true);
        JsonNode out = post("/query/app", alice.token(), List.of(uid, "editor", "collection:popular", "tag:x",
                "no-such-app", name)).json();
        assertThat(names(out)).containsExactly(name, "editor");
        assertThat(out.get(0).propertyNames()).containsExactly("uuid", "name", "title", "description", "metadata",
                "tags", "created", "associations", "user_count", "referral_count");
        assertThat(json(out.get(0).get("associations"))).isEqualTo("[\"qq\"]");
        Account bob = signup();
        assertThat(post("/query/app", bob.token(), List.of(hidden)).text()).isEqualTo("[]");
        assertThat(post("/query/app", alice.token(), List.of(hidden)).json()).hasSize(1);
        assertThat(post("/query/app", alice.token(), obj("not", "an array")).json().get("code").asString())
                .isEqualTo("field_invalid");
    }

    @Test
    void openingAnAppIsRecordedAndAnnounced() throws IOException {
        Account alice = signup();
        String t = alice.token();
        List<Object> events = new CopyOnWriteArrayList<>();
        kernel.events().on("outer.gui.app.opened",
                (key, data, meta) -> events.add(data));
        assertThat(get("/get-launch-apps", t).json().get("recent").isEmpty()).isTrue();
        assertThat(post("/rao", t, obj("app_uid", EDITOR)).text()).isEqualTo("{}");
        JsonNode launch = get("/get-launch-apps?icon_size=64", t).json();
        assertThat(json(launch.get("recent"))).isEqualTo("[{\"uuid\":\"" + EDITOR + "\",\"name\":\"editor\",\"title\":"
                + "\"Editor\",\"icon\":\"" + http.origin() + "/app-icon/" + EDITOR + "/64\",\"godmode\":false,"
                + "\"maximize_on_start\":false,\"index_url\":\"https://editor.puter.com/index.html\"}]");
        assertThat(names(launch.get("recommended"))).contains("editor", "dev-center");
        assertThat(apps(t, "read", obj("uid", EDITOR)).get("stats").get("open_count").asLong()).isPositive();
        for (int i = 0; i < 200 && events.isEmpty(); i++) {
            sleep(25);
        }
        assertThat(json(events.getFirst())).startsWith("{\"user_id_list\":[" + service(Users.class)
                .byUuid(alice.uuid()).orElseThrow().id() + "],\"response\":{\"uuid\":\"" + EDITOR + "\",\"uid\":\""
                + EDITOR + "\",\"name\":\"editor\",\"title\":\"Editor\",\"icon\":");

        assertThat(post("/rao", t, obj("app_uid", "editor")).text()).isEqualTo("{\"message\":\"Invalid app uid\","
                + "\"code\":\"invalid_app_uid\"}");
        assertThat(post("/rao", t, obj("app_uid", "app-00000000-0000-4000-8000-000000000000")).status()).isEqualTo(422);
        // an app records itself
        Map.Entry<String, String> app = appToken(alice, "https://opened-" + Long.toHexString(System.nanoTime())
                + ".example.org");
        assertThat(post("/rao", app.getKey(), obj()).text()).isEqualTo("{}");
        assertThat(get("/get-launch-apps", t).json().get("recent").get(0).get("uuid").asString()).isEqualTo(app.getValue());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tokens and origins (spec 2.6.5, 2.7)

    @Test
    void appTokensResolveRegistryAppsAndOriginsGetBootstrapApps() throws IOException {
        Account alice = signup();
        String origin = "https://site-" + Long.toHexString(System.nanoTime()) + ".example.org";
        Map.Entry<String, String> app = appToken(alice, origin);
        JsonNode bootstrap = apps(alice.token(), "read", obj("uid", app.getValue()));
        assertThat(bootstrap.get("name").asString()).isEqualTo(app.getValue());
        assertThat(bootstrap.get("index_url").asString()).isEqualTo(origin);
        assertThat(bootstrap.get("created_from_origin").asString()).isEqualTo(origin);
        assertThat(bootstrap.has("owner")).isFalse();
        TestHttp.Reply folder = post("/stat", alice.token(), obj("path", "/" + alice.username() + "/AppData/"
                + app.getValue()));
        assertThat(folder.status()).as("the app's AppData folder (spec 4.7)").isEqualTo(200);
        assertThat(folder.json().get("is_dir").asBoolean()).isTrue();
        assertThat(appToken(alice, origin).getValue()).as("again: same app, folder kept").isEqualTo(app.getValue());
        TestHttp.Reply unknown = post("/auth/get-user-app-token", alice.token(),
                obj("app_uid", "app-00000000-0000-4000-8000-000000000000"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("code").asString()).isEqualTo("app_does_not_exist");
        TestHttp.Reply editor = post("/auth/get-user-app-token", alice.token(), obj("app_uid", EDITOR));
        assertThat(editor.status()).isEqualTo(200);
        TestHttp.Reply whoami = get("/whoami", editor.json().get("token").asString());
        assertThat(whoami.json().get("app_name").asString()).isEqualTo("editor");
        JsonNode taskbar = get("/whoami", alice.token()).json().get("taskbar_items");
        assertThat(names(taskbar)).containsExactly("dev-center", "editor", "camera", "recorder");
        assertThat(taskbar.get(0).has("icon")).isFalse();
    }

    @Test
    void aDeveloperClaimsTheBootstrapAppOfAHostedOriginAndHostedIndexUrlsAreUnique() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String sub = "claim" + Long.toHexString(System.nanoTime());
        String origin = "https://" + sub + ".site.hearth.test";
        String bootstrap = appToken(alice, origin).getValue();
        JsonNode claimed = apps(alice.token(), "create", obj("object", obj("name", unique("claimed"), "title", "Mine",
                "index_url", origin + "/index.html")));
        assertThat(claimed.get("uid").asString()).as("the uid (AppData, grants) is kept").isEqualTo(bootstrap);
        JsonNode read = apps(alice.token(), "read", obj("uid", bootstrap));
        assertThat(read.get("owner").get("uuid").asString()).isEqualTo(alice.uuid());
        assertThat(read.get("created_from_origin").asString()).isEqualTo(origin);
        JsonNode taken = appsError(bob.token(), "create", obj("object", obj("name", unique("thief"), "title", "x",
                "index_url", origin + "/")));
        assertThat(json(taken)).isEqualTo("{\"index_url\":\"" + origin + "/\",\"app_uid\":\"" + bootstrap + "\","
                + "\"code\":\"app_index_url_already_in_use\",\"$\":\"heyputer:api/APIError\",\"message\":\"Index URL `"
                + origin + "/` is already used by app `" + bootstrap + "`.\",\"status\":409}");
        // external (not hosted) index URLs are not unique and take no origin over
        createApp(bob.token(), unique("ext1"), "index_url", "https://shared.example.org/");
        createApp(bob.token(), unique("ext2"), "index_url", "https://shared.example.org/");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // File associations, suggestions, open_item (spec 4.6)

    void write(Account account, String path, String content) {
        var user = service(Users.class).byUuid(account.uuid()).orElseThrow();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        service(Filesystem.class).write(new FsUser(user.id(), user.username()), WriteRequest.overwrite(
                NodeRef.path(path), bytes.length), new ByteArrayInputStream(bytes));
    }

    @Test
    void fileAssociationsSuggestAppsAndOpenItemGrantsTheFirst() throws IOException {
        Account alice = signup();
        Account bob = signup();
        String t = alice.token();
        String ext = "hx" + Long.toHexString(System.nanoTime()).substring(8);
        String mine = unique("opener");
        String mineUid = createApp(t, mine, "filetype_associations", List.of(ext)).get("uid").asString();
        createApp(bob.token(), unique("bobs-opener"), "filetype_associations", List.of(ext));
        String path = "/" + alice.username() + "/Documents/data." + ext;
        write(alice, path, "hello");
        write(alice, "/" + alice.username() + "/Documents/notes.txt", "notes");

        JsonNode suggested = post("/suggest_apps", t, obj("path", path)).json();
        assertThat(names(suggested)).as("bob's unapproved app is not suggested to alice").containsExactly(mine);
        assertThat(suggested.get(0).has("owner_user_id")).isFalse();
        assertThat(names(post("/suggest_apps", t, obj("path", "/" + alice.username() + "/Documents/notes.txt")).json()))
                .containsExactly("editor");
        assertThat(post("/suggest_apps", bob.token(), obj("path", path)).status()).as("read ACL").isIn(403, 404);

        JsonNode listing = post("/readdir", t, obj("path", "/" + alice.username() + "/Documents")).json();
        for (JsonNode e : listing) {
            if (e.get("name").asString().equals("notes.txt")) {
                assertThat(e.get("suggested_apps").get(0).propertyNames()).startsWith("id", "uid", "icon", "name");
                assertThat(e.get("suggested_apps").get(0).get("uid").asString()).isEqualTo(EDITOR);
            }
        }

        TestHttp.Reply opened = post("/open_item", t, obj("path", path));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        assertThat(opened.json().propertyNames()).containsExactly("signature", "token", "suggested_apps");
        assertThat(opened.json().get("signature").get("path").asString()).isEqualTo(path);
        assertThat(opened.json().get("suggested_apps").get(0).get("uid").asString()).isEqualTo(mineUid);
        assertThat(opened.json().get("suggested_apps").get(0).has("godmode")).isFalse();
        String appToken = opened.json().get("token").asString();
        TestHttp.Reply read = http.send("GET", "/read?file=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8),
                null, bearer(appToken));
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.text()).isEqualTo("hello");
        TestHttp.Reply other = http.send("GET", "/read?file=" + java.net.URLEncoder.encode("/" + alice.username()
                + "/Documents/notes.txt", StandardCharsets.UTF_8), null, bearer(appToken));
        assertThat(other.status()).as("only the opened item").isNotEqualTo(200);

        write(alice, "/" + alice.username() + "/Documents/blob.unknownext", "x");
        TestHttp.Reply none = post("/open_item", t, obj("path", "/" + alice.username() + "/Documents/blob.unknownext"));
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.json().get("code").asString()).isEqualTo("no_suitable_app");
    }

    @Test
    void aDeletedUsersAppsAndIconsGo() throws IOException {
        Account carol = signup();
        String uid = createApp(carol.token(), unique("gone"), "icon", "data:image/png;base64," + png(8, 8))
                .get("uid").asString();
        long id = service(Users.class).byUuid(carol.uuid()).orElseThrow().id();
        service(Users.class).delete(id);
        assertThat(service(AppRegistry.class).byUid(uid)).isEmpty();
        assertThat(service(Filesystem.class).blobStore().size("app-icon." + uid + "-64.png")).isEmpty();
    }
}
