package dev.hearth.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.hearth.core.Database;
import dev.hearth.core.Users;
import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.drivers.testing.TestHttp;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/** {@code puter-kvstore} over {@code /drivers/call}, on each engine (the subclasses). */
abstract class KvHttpContract extends DriverHttpFixture {

    static final String KV = "puter-kvstore";

    @Override
    protected List<Module> modules() {
        return List.of(new KvModule());
    }

    String ok(String value) {
        return "{\"success\":true,\"service\":{\"name\":\"puter-kvstore\"},\"result\":" + value + ",\"metadata\":{}}";
    }

    String send(String token, String method, Object args) throws IOException {
        return call(token, KV, method, args).text();
    }

    JsonNode kv(String token, String method, Object args) throws IOException {
        return result(token, KV, method, args);
    }

    JsonNode kvError(String token, String method, Object args) throws IOException {
        return error(token, KV, method, args);
    }

    @Test
    void theCapturedExchangesOfExamplesSection3() throws IOException {
        Account a = signup();
        String t = a.token();
        assertThat(send(t, "set", obj("key", "greeting", "value", "hello"))).isEqualTo(ok("true"));
        TestHttp.Reply plain = http.send("POST", "/drivers/call", json(obj("interface", KV, "method", "set", "args",
                obj("key", "counter", "value", 10), "auth_token", t)), "Origin: " + http.origin(),
                "Content-Type: text/plain;actually=json");
        assertThat(plain.header("content-type")).contains("application/json; charset=utf-8");
        assertThat(plain.text()).isEqualTo(ok("true"));
        assertThat(send(t, "get", obj("key", "greeting"))).isEqualTo(ok("\"hello\""));
        assertThat(send(t, "get", obj("key", "no-such-key"))).isEqualTo(ok("null"));
        assertThat(send(t, "incr", obj("key", "counter", "pathAndAmountMap", obj("", 5)))).isEqualTo(ok("15"));
        assertThat(send(t, "incr", obj("key", "stats", "pathAndAmountMap", obj("visits.today", 1))))
                .isEqualTo(ok("{\"visits\":{\"today\":1}}"));
        assertThat(send(t, "decr", obj("key", "counter", "pathAndAmountMap", obj("", 3)))).isEqualTo(ok("12"));
        assertThat(send(t, "incr", obj("key", "counter"))).isEqualTo("{\"success\":false,\"error\":{\"interface_name\":"
                + "\"puter-kvstore\",\"method_name\":\"incr\",\"arg_name\":\"pathAndAmountMap\",\"code\":"
                + "\"missing_required_argument\",\"$\":\"heyputer:api/APIError\",\"message\":\"Missing required "
                + "argument `pathAndAmountMap` for method `incr` on interface `puter-kvstore`\",\"status\":400}}");
        for (int i = 1; i <= 3; i++) {
            kv(t, "set", obj("key", "user:" + i, "value", obj("n", i)));
        }
        assertThat(send(t, "list", obj("as", "keys", "pattern", "user:*")))
                .isEqualTo(ok("[\"user:1\",\"user:2\",\"user:3\"]"));
        assertThat(send(t, "list", obj("as", "entries"))).isEqualTo(ok("[{\"key\":\"counter\",\"value\":12},"
                + "{\"key\":\"greeting\",\"value\":\"hello\"},{\"key\":\"stats\",\"value\":{\"visits\":{\"today\":1}}},"
                + "{\"key\":\"user:1\",\"value\":{\"n\":1}},{\"key\":\"user:2\",\"value\":{\"n\":2}},"
                + "{\"key\":\"user:3\",\"value\":{\"n\":3}}]"));
        String ns = "v1:" + a.uuid() + ":global";
        String cursor1 = b64("{\"namespace\":\"" + ns + "\",\"key\":\"greeting\"}");
        assertThat(send(t, "list", obj("as", "keys", "limit", 2)))
                .isEqualTo(ok("{\"items\":[\"counter\",\"greeting\"],\"cursor\":\"" + cursor1 + "\"}"));
        assertThat(send(t, "list", obj("as", "keys", "limit", 2, "cursor", cursor1))).isEqualTo(ok("{\"items\":"
                + "[\"stats\",\"user:1\"],\"cursor\":\"" + b64("{\"namespace\":\"" + ns + "\",\"key\":\"user:1\"}")
                + "\"}"));
        assertThat(send(t, "del", obj("key", "greeting"))).isEqualTo(ok("true"));
        assertThat(send(t, "set", obj("key", "k".repeat(1025), "value", "x")))
                .isEqualTo("{\"success\":false,\"error\":\"key is too large. Max size is 1024.\"}");
        assertThat(send(t, "flush", obj())).isEqualTo(ok("true"));
        assertThat(send(t, "list", obj())).isEqualTo(ok("[]"));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSpecExamplesOfSection8() throws IOException {
        Account a = signup();
        String t = a.token();
        assertThat(send(t, "set", obj("key", "greeting", "value", obj("hello", "world"), "expireAt", 1893456000)))
                .isEqualTo(ok("true"));
        assertThat(send(t, "get", obj("key", "greeting"))).isEqualTo(ok("{\"hello\":\"world\"}"));
        assertThat(send(t, "incr", obj("key", "counter", "pathAndAmountMap", obj("total", 5, "nested.count", 2))))
                .isEqualTo(ok("{\"total\":5,\"nested\":{\"count\":2}}"));
        assertThat(send(t, "expire", obj("key", "greeting", "ttl", 60)))
                .isEqualTo("{\"success\":true,\"service\":{\"name\":\"puter-kvstore\"},\"metadata\":{}}");
        assertThat(send(t, "get", obj())).isEqualTo("{\"success\":false,\"error\":{\"interface_name\":\"puter-kvstore\","
                + "\"method_name\":\"get\",\"arg_name\":\"key\",\"code\":\"missing_required_argument\",\"$\":"
                + "\"heyputer:api/APIError\",\"message\":\"Missing required argument `key` for method `get` on interface "
                + "`puter-kvstore`\",\"status\":400}}");
        assertThat(send(t, "set", obj("key", "", "value", 1))).isEqualTo("{\"success\":false,\"error\":{\"key\":\"key\","
                + "\"code\":\"field_empty\",\"$\":\"heyputer:api/APIError\",\"message\":\"Field `key` is required.\","
                + "\"status\":400}}");
        kv(t, "set", obj("key", "a", "value", 3));
        kv(t, "set", obj("key", "c", "value", 1));
        assertThat(send(t, "get", obj("key", List.of("a", "b", "c")))).isEqualTo(ok("[3,null,1]"));
    }

    @Test
    void getTakesArraysAndNumberKeysAndNumbersRoundTrip() throws IOException {
        String t = signup().token();
        kv(t, "set", obj("key", "5", "value", 0));
        kv(t, "set", obj("key", "f", "value", 1.5));
        kv(t, "set", obj("key", "big", "value", 2.0));
        assertThat(json(kv(t, "get", obj("key", 5)))).isEqualTo("0");
        assertThat(json(kv(t, "get", obj("key", List.of(5, "f", "5", "big", "nope"))))).isEqualTo("[0,1.5,0,2,null]");
        kv(t, "set", obj("key", "novalue"));
        assertThat(json(kv(t, "get", obj("key", "novalue")))).isEqualTo("null");
        assertThat(kvError(t, "get", obj("key", "")).get("code").asString()).isEqualTo("field_empty");
        assertThat(kvError(t, "get", obj("key", List.of("a", ""))).get("code").asString()).isEqualTo("field_empty");
    }

    @Test
    void expiredItemsAreAbsentAtOnceEverywhere() throws IOException {
        String t = signup().token();
        long past = System.currentTimeMillis() / 1000 - 10;
        kv(t, "set", obj("key", "old", "value", 1, "expireAt", past));
        kv(t, "set", obj("key", "new", "value", 2, "expireAt", null));
        assertThat(json(kv(t, "get", obj("key", "old")))).isEqualTo("null");
        assertThat(json(kv(t, "list", obj("as", "keys")))).isEqualTo("[\"new\"]");
        kv(t, "set", obj("key", "old", "value", 1, "expireAt", past));
        assertThat(json(kv(t, "incr", obj("key", "old", "pathAndAmountMap", obj("", 1))))).as("starts afresh")
                .isEqualTo("1");
        assertThat(json(kv(t, "get", obj("key", "old")))).as("the old expiry went with it").isEqualTo("1");
        assertThat(send(t, "expire", obj("key", "new", "ttl", -1))).doesNotContain("result");
        assertThat(json(kv(t, "get", obj("key", "new")))).isEqualTo("null");
        kv(t, "expireAt", obj("key", "ghost", "timestamp", System.currentTimeMillis() / 1000 + 3600));
        assertThat(json(kv(t, "list", obj("pattern", "ghost")))).isEqualTo("[{\"key\":\"ghost\",\"value\":null}]");
        kv(t, "update", obj("key", "u", "pathAndValueMap", obj("a", 1), "ttl", -5));
        assertThat(json(kv(t, "get", obj("key", "u")))).isEqualTo("null");
        assertThat(json(kvError(t, "set", obj("key", "x", "value", 1, "expireAt", "soon")))).isEqualTo("{"
                + "\"interface_name\":\"puter-kvstore\",\"method_name\":\"set\",\"arg_name\":\"expireAt\",\"message\":"
                + "\"Failed to parse or process argument `expireAt` for method `set` on interface `puter-kvstore`: Field "
                + "`expireAt` is invalid. Expected number.\",\"code\":\"argument_consolidation_failed\",\"$\":"
                + "\"heyputer:api/APIError\",\"status\":400}");
        assertThat(kvError(t, "expire", obj("key", "x", "ttl", null)).get("code").asString())
                .isEqualTo("argument_consolidation_failed");

        KvStore store = service(KvStore.class);
        store.set("v1:test:purge", "gone", Json.mapper().readTree("1"), OptionalLong.of(System.currentTimeMillis() - 1));
        assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(rows("v1:test:purge")).isZero();
    }

    @Test
    void pathOperationsReturnTheWholeValue() throws IOException {
        String t = signup().token();
        kv(t, "set", obj("key", "k", "value", obj("a", obj("b", List.of(1, 2)))));
        assertThat(json(kv(t, "update", obj("key", "k", "pathAndValueMap", obj("a.b[1]", 5)))))
                .isEqualTo("{\"a\":{\"b\":[1,5]}}");
        assertThat(json(kv(t, "add", obj("key", "l", "pathAndValueMap", obj("a.b", 1))))).isEqualTo("{\"a\":{\"b\":[1]}}");
        assertThat(json(kv(t, "add", obj("key", "l", "pathAndValueMap", obj("a.b", 2, "a.c", List.of("x", "y"))))))
                .isEqualTo("{\"a\":{\"b\":[1,2],\"c\":[\"x\",\"y\"]}}");
        kv(t, "set", obj("key", "n", "value", obj("a", obj("b", List.of(List.of(1), List.of(2))))));
        assertThat(json(kv(t, "add", obj("key", "n", "pathAndValueMap", obj("a.b[1]", 3)))))
                .isEqualTo("{\"a\":{\"b\":[[1],[2,3]]}}");
        assertThat(json(kv(t, "add", obj("key", "root", "pathAndValueMap", obj("", 1))))).isEqualTo("[1]");
        kv(t, "set", obj("key", "r", "value", obj("a", obj("b", List.of(1, 2, 3), "c", obj("d", 4), "e", "keep"))));
        assertThat(json(kv(t, "remove", obj("key", "r", "paths", List.of("a.b[1]", "a.c")))))
                .isEqualTo("{\"a\":{\"b\":[1,3],\"e\":\"keep\"}}");
        assertThat(json(kv(t, "remove", obj("key", "r", "paths", List.of("a.b", "a.b[0]")))))
                .as("overlapping: unchanged").isEqualTo("{\"a\":{\"b\":[1,3],\"e\":\"keep\"}}");
        assertThat(json(kv(t, "remove", obj("key", "r", "paths", List.of("x.y.z"))))).as("invalid: unchanged")
                .isEqualTo("{\"a\":{\"b\":[1,3],\"e\":\"keep\"}}");
        assertThat(json(kv(t, "remove", obj("key", "missing", "paths", List.of("a"))))).isEqualTo("null");
        assertThat(json(kv(t, "incr", obj("key", "m", "pathAndAmountMap", obj("a.b.c", 2, "x", 1)))))
                .isEqualTo("{\"a\":{\"b\":{\"c\":2}},\"x\":1}");
        kv(t, "set", obj("key", "z", "value", 0));
        assertThat(json(kv(t, "decr", obj("key", "z", "pathAndAmountMap", obj("", 3))))).isEqualTo("-3");
        assertThat(json(kv(t, "incr", obj("key", "z", "pathAndAmountMap", obj("", 0.5))))).isEqualTo("-2.5");
        assertThat(call(t, KV, "incr", obj("key", "m", "pathAndAmountMap", obj("a.b", 1, "a.b.c", 1))).json()
                .get("error").asString()).containsIgnoringCase("paths overlap").contains("Two document paths overlap");
        assertThat(call(t, KV, "incr", obj("key", "m", "pathAndAmountMap", obj("x", "1"))).text())
                .isEqualTo("{\"success\":false,\"error\":\"All values in pathAndAmountMap must be numbers\"}");
        assertThat(call(t, KV, "incr", obj("key", "m", "pathAndAmountMap", null)).json().get("error").asString())
                .isEqualTo("All values in pathAndAmountMap must be numbers");
        kv(t, "set", obj("key", "s", "value", "text"));
        assertThat(call(t, KV, "incr", obj("key", "s", "pathAndAmountMap", obj("", 1))).json().get("error").asString())
                .isEqualTo("An operand in the update expression has an incorrect data type");
        assertThat(call(t, KV, "incr", obj("key", "s", "pathAndAmountMap", obj("a.b", 1))).json().get("error")
                .asString()).isEqualTo("The document path provided in the update expression is invalid for update");
        assertThat(call(t, KV, "update", obj("key", "s", "pathAndValueMap", obj())).json().get("error").asString())
                .isEqualTo("invalid use of #update: no pathAndValueMap");
        assertThat(call(t, KV, "add", obj("key", "s", "pathAndValueMap", 5)).json().get("error").asString())
                .isEqualTo("invalid use of #add: no pathAndValueMap");
        assertThat(call(t, KV, "remove", obj("key", "s", "paths", List.of())).json().get("error").asString())
                .isEqualTo("invalid use of #remove: no paths");
        assertThat(json(kv(t, "update", obj("key", "sp", "pathAndValueMap", obj("with space.and-dash", true)))))
                .isEqualTo("{\"with space\":{\"and-dash\":true}}");
        kv(t, "update", obj("key", "ttl", "pathAndValueMap", obj("v", 1), "ttl", 3600));
        assertThat(json(kv(t, "get", obj("key", "ttl")))).isEqualTo("{\"v\":1}");
    }

    @Test
    void listingsPageByCursorAndMatchPrefixes() throws IOException {
        String t = signup().token();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(obj("key", String.format("item-%02d", i), "value", i));
        }
        items.add(obj("key", "k*y-extra", "value", 1));
        items.add(obj("key", "key*", "value", 1));
        items.add(obj("key", "item-00", "value", "last wins"));
        assertThat(send(t, "batchPut", obj("items", items))).isEqualTo(ok("true"));
        assertThat(json(kv(t, "get", obj("key", "item-00")))).isEqualTo("\"last wins\"");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = kv(t, "list", obj("as", "keys", "pattern", "item-*", "limit", 10, "cursor", cursor));
            page.get("items").forEach(k -> seen.add(k.asString()));
            cursor = page.has("cursor") ? page.get("cursor").asString() : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).isSorted().first().isEqualTo("item-00");
        assertThat(json(kv(t, "list", obj("as", "values", "pattern", "item-2")))).isEqualTo("[20,21,22,23,24]");
        assertThat(json(kv(t, "list", obj("as", "keys", "pattern", "k*y*")))).isEqualTo("[\"k*y-extra\"]");
        assertThat(json(kv(t, "list", obj("as", "keys", "pattern", "key**")))).isEqualTo("[\"key*\"]");
        assertThat(kv(t, "list", obj("as", "keys", "pattern", "*")).size()).isEqualTo(27);
        assertThat(json(kvError(t, "list", obj("as", "all")))).isEqualTo("{\"key\":\"as\",\"code\":\"field_invalid\","
                + "\"$\":\"heyputer:api/APIError\",\"message\":\"Field `as` is invalid. Expected \\\"keys\\\", "
                + "\\\"values\\\", or \\\"entries\\\".\",\"status\":400}");
        assertThat(kvError(t, "list", obj("limit", 0)).get("message").asString())
                .isEqualTo("Field `limit` is invalid. Expected positive number.");
        assertThat(kvError(t, "list", obj("cursor", "%%%")).get("key").asString()).isEqualTo("cursor");
        JsonNode sdk263 = kv(t, "list", obj("as", "keys", "limit", 1000, "fetchUntilFull", true, "cursor", null));
        assertThat(sdk263.get("items").size()).isEqualTo(27);
        assertThat(sdk263.has("cursor")).isFalse();
        assertThat(send(t, "batchPut", obj("items", List.of()))).isEqualTo(ok("true"));
        assertThat(kvError(t, "batchPut", obj("items", List.of(obj("key", "", "value", 1)))).get("code").asString())
                .isEqualTo("field_empty");
    }

    @Test
    void namespacesArePerUserAndPerApp() throws IOException {
        Account alice = signup();
        Account bob = signup();
        Map.Entry<String, String> app = appToken(alice, "https://kv-one.example.org");
        Map.Entry<String, String> other = appToken(alice, "https://kv-two.example.org");
        kv(alice.token(), "set", obj("key", "k", "value", "alice"));
        assertThat(json(kv(bob.token(), "get", obj("key", "k")))).isEqualTo("null");
        assertThat(json(kv(app.getKey(), "get", obj("key", "k")))).isEqualTo("null");
        kv(app.getKey(), "set", obj("key", "k", "value", "app"));
        assertThat(json(kv(alice.token(), "get", obj("key", "k")))).isEqualTo("\"alice\"");
        assertThat(json(kv(alice.token(), "get", obj("key", "k", "optConfig", obj("appUuid", app.getValue())))))
                .as("a user token reaches its apps' stores").isEqualTo("\"app\"");
        assertThat(json(kv(other.getKey(), "get", obj("key", "k", "optConfig", obj("appUuid", app.getValue())))))
                .as("an app's optConfig is ignored").isEqualTo("null");
        assertThat(json(kv(bob.token(), "get", obj("key", "k", "optConfig", obj("appUuid", app.getValue())))))
                .isEqualTo("null");
        kv(alice.token(), "flush", obj("optConfig", obj("appUuid", app.getValue())));
        assertThat(json(kv(app.getKey(), "get", obj("key", "k")))).isEqualTo("null");
        assertThat(json(kv(alice.token(), "get", obj("key", "k")))).isEqualTo("\"alice\"");
        String access = accessToken(alice, "service:puter-kvstore:ii:puter-kvstore");
        assertThat(json(kv(access, "get", obj("key", "k")))).as("an access token acts as its authorizer")
                .isEqualTo("\"alice\"");
        String unrelated = accessToken(alice, "driver:puter-chat-completion");
        assertThat(json(kv(unrelated, "get", obj("key", "k")))).as("KV is open to every actor with a user, as upstream")
                .isEqualTo("\"alice\"");
    }

    @Test
    void keysAndItemsHaveLimits() throws IOException {
        String t = signup().token();
        assertThat(send(t, "set", obj("key", "k".repeat(1024), "value", 1))).isEqualTo(ok("true"));
        assertThat(call(t, KV, "set", obj("key", "é".repeat(513), "value", 1)).json().get("error").asString())
                .isEqualTo("key is too large. Max size is 1024.");
        assertThat(call(t, KV, "incr", obj("key", "é".repeat(513), "pathAndAmountMap", obj("", 1))).json().get("error")
                .asString()).isEqualTo("key is too large. Max size is 1024.");
        assertThat(call(t, KV, "batchPut", obj("items", List.of(obj("key", "k".repeat(1025), "value", 1)))).json()
                .get("error").asString()).isEqualTo("key is too large. Max size is 1024.");
        assertThat(send(t, "set", obj("key", "big", "value", "x".repeat(300_000)))).isEqualTo(ok("true"));
        assertThat(send(t, "set", obj("key", "big", "value", "x".repeat(409_600))))
                .isEqualTo("{\"success\":false,\"error\":\"Item size has exceeded the maximum allowed size\"}");
        kv(t, "set", obj("key", "list", "value", List.of("x".repeat(300_000))));
        assertThat(call(t, KV, "add", obj("key", "list", "pathAndValueMap", obj("", "y".repeat(200_000)))).json()
                .get("error").asString()).isEqualTo("Item size has exceeded the maximum allowed size");
        assertThat(kv(t, "get", obj("key", "big")).asString()).hasSize(300_000);
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        KvStore store = service(KvStore.class);
        String ns = "v1:concurrency:" + System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        store.incr(ns, "hits", Map.of("", Json.mapper().getNodeFactory().numberNode(1)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(store.get(ns, "hits").orElseThrow().asLong()).isEqualTo(800);
        assertThat(store.get(ns, "hits").orElseThrow().isIntegralNumber()).isTrue();
    }

    @Test
    void aDeletedUsersItemsGoWithThem() throws IOException {
        Account a = signup();
        kv(a.token(), "set", obj("key", "mine", "value", 1));
        Map.Entry<String, String> app = appToken(a, "https://kv-deleted.example.org");
        kv(app.getKey(), "set", obj("key", "apps", "value", 1));
        assertThat(rows("v1:" + a.uuid() + ":global")).isEqualTo(1);
        Users users = service(Users.class);
        users.delete(users.byUuid(a.uuid()).orElseThrow().id());
        assertThat(rows("v1:" + a.uuid() + ":global")).isZero();
        assertThat(rows("v1:" + a.uuid() + ":" + app.getValue())).isZero();
    }

    @Test
    void kvIsDescribedAndMetered() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("GET", "/drivers/list-interfaces", null, bearer(t));
        JsonNode methods = r.json().get(KV).get("methods");
        assertThat(json(methods.get("set"))).isEqualTo("{\"description\":\"Set a value by key.\",\"parameters\":{"
                + "\"key\":{\"type\":\"string\"},\"value\":{\"type\":\"json\"},\"expireAt\":{\"type\":\"number\"},"
                + "\"optConfig\":{\"type\":\"json\"}},\"result\":{\"type\":null}}");
        assertThat(json(methods.get("get"))).isEqualTo("{\"description\":\"Get a value by key.\",\"parameters\":{"
                + "\"key\":{\"type\":\"json\"},\"optConfig\":{\"type\":\"json\"}},\"result\":{\"type\":\"json\"}}");
        assertThat(methods.properties().stream().map(Map.Entry::getKey).toList()).containsExactly("get", "set",
                "batchPut", "del", "list", "flush", "update", "add", "remove", "incr", "decr", "expireAt", "expire");
        kv(t, "set", obj("key", "a", "value", 1));
        kv(t, "get", obj("key", "a"));
        kv(t, "get", obj("key", "a"));
        assertThat(http.send("GET", "/drivers/usage", null, bearer(t)).text()).isEqualTo("{\"user\":[],\"apps\":{},"
                + "\"app_objects\":{},\"usages\":[{\"usage_type\":\"kv:write\",\"units\":1,\"count\":1},"
                + "{\"usage_type\":\"kv:read\",\"units\":2,\"count\":2}]}");
    }

    int rows(String ns) {
        return service(Database.class).jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM kv_entries"
                + " WHERE namespace = :ns").bind("ns", ns).mapTo(Integer.class).one());
    }
}
