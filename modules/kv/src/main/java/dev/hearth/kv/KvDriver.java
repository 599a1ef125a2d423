package dev.hearth.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.drivers.Args;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.DriverCall;
import dev.hearth.drivers.DriverError;
import dev.hearth.drivers.DriverErrors;
import dev.hearth.drivers.DriverResult;
import dev.hearth.drivers.InterfaceSpec;
import dev.hearth.drivers.Metering;
import dev.hearth.drivers.MethodSpec;
import dev.hearth.drivers.Param;
import dev.hearth.drivers.RateLimit;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code puter-kvstore} driver (spec 2.1, 3.3–3.9) over {@link KvStore}. */
final class KvDriver implements Driver {

    private static final Param OPT_CONFIG = Param.json("optConfig");

    static final InterfaceSpec INTERFACE = InterfaceSpec.of("puter-kvstore", "A simple key-value store.",
            MethodSpec.of("get", "Get a value by key.", Param.json("key").asRequired(), OPT_CONFIG).returning("json"),
            MethodSpec.of("set", "Set a value by key.", Param.string("key").asRequired(), Param.json("value"),
                    Param.number("expireAt").nullAsAbsent(), OPT_CONFIG),
            MethodSpec.of("batchPut", "Set many values.", Param.json("items").asRequired(), OPT_CONFIG),
            MethodSpec.of("del", "Delete a value by key.", Param.string("key"), OPT_CONFIG),
            MethodSpec.of("list", "List keys, values or entries.", Param.string("as"), Param.string("pattern"),
                    Param.number("limit").nullAsAbsent(), Param.string("cursor"), OPT_CONFIG).returning("json"),
            MethodSpec.of("flush", "Delete all keys.", OPT_CONFIG),
            MethodSpec.of("update", "Set values at paths.", Param.string("key").asRequired(),
                    Param.json("pathAndValueMap").asRequired(), Param.number("ttl").nullAsAbsent(), OPT_CONFIG)
                    .returning("json"),
            MethodSpec.of("add", "Append values to lists at paths.", Param.string("key").asRequired(),
                    Param.json("pathAndValueMap").asRequired(), OPT_CONFIG).returning("json"),
            MethodSpec.of("remove", "Remove paths.", Param.string("key").asRequired(), Param.json("paths").asRequired(),
                    OPT_CONFIG).returning("json"),
            MethodSpec.of("incr", "Increment numbers at paths.", Param.string("key").asRequired(),
                    Param.json("pathAndAmountMap").asRequired(), OPT_CONFIG).returning("json"),
            MethodSpec.of("decr", "Decrement numbers at paths.", Param.string("key").asRequired(),
                    Param.json("pathAndAmountMap").asRequired(), OPT_CONFIG).returning("json"),
            MethodSpec.of("expireAt", "Expire a key at a time (epoch seconds).", Param.string("key").asRequired(),
                    Param.number("timestamp").asRequired(), OPT_CONFIG).returning("number"),
            MethodSpec.of("expire", "Expire a key after seconds.", Param.string("key").asRequired(),
                    Param.number("ttl").asRequired(), OPT_CONFIG).returning("number"));

    /** Upstream's KV shortcut: 200 calls per 10 s per user and method, whatever the grants. */
    static final RateLimit RATE_LIMIT = new RateLimit(200, 10_000);

    private final KvStore store;
    private final Metering metering;

    KvDriver(KvStore store, Metering metering) {
        this.store = store;
        this.metering = metering;
    }

    @Override
    public String serviceName() {
        return "puter-kvstore";
    }

    @Override
    public String interfaceName() {
        return "puter-kvstore";
    }

    @Override
    public Optional<RateLimit> rateLimit(String method) {
        return Optional.of(RATE_LIMIT);
    }

    @Override
    public DriverResult call(DriverCall call) {
        Args args = call.args();
        Optional<String> appUuid = args.json("optConfig").filter(JsonNode::isObject)
                .map(o -> o.get("appUuid")).filter(JsonNode::isString).map(JsonNode::asString);
        String ns = KvStore.namespaceOf(call.actor(), appUuid);
        boolean read = call.method().equals("get") || call.method().equals("list");
        metering.record(call.actor(), read ? "kv:read" : "kv:write", 1);
        return switch (call.method()) {
            case "get" -> DriverResult.of(get(ns, args.json("key").orElseThrow()));
            case "set" -> {
                String key = key(args);
                store.set(ns, key, args.json("value").orElse(null),
                        args.number("expireAt").map(KvDriver::epochMillis).orElse(OptionalLong.empty()));
                yield DriverResult.of(true);
            }
            case "batchPut" -> {
                batchPut(ns, args.json("items").orElseThrow());
                yield DriverResult.of(true);
            }
            case "del" -> {
                store.delete(ns, args.string("key").orElseThrow(() -> DriverErrors.fieldEmpty("key")));
                yield DriverResult.of(true);
            }
            case "list" -> DriverResult.of(list(ns, args));
            case "flush" -> {
                store.flush(ns);
                yield DriverResult.of(true);
            }
            case "update" -> DriverResult.of(store.update(ns, key(args), pathMap(args, "pathAndValueMap", "update"),
                    args.number("ttl").map(JsonNode::doubleValue)));
            case "add" -> DriverResult.of(store.add(ns, key(args), pathMap(args, "pathAndValueMap", "add")));
            case "remove" -> DriverResult.of(store.remove(ns, key(args), paths(args)));
            case "incr", "decr" -> DriverResult.of(store.incr(ns, key(args), amounts(args,
                    call.method().equals("decr"))));
            case "expireAt" -> {
                String key = key(args);
                OptionalLong at = epochMillis(args.number("timestamp").orElseThrow());
                if (at.isPresent()) {
                    store.expireAt(ns, key, at.getAsLong());
                }
                yield DriverResult.empty();
            }
            case "expire" -> {
                String key = key(args);
                store.expireAt(ns, key, store.fromNow(args.number("ttl").orElseThrow().doubleValue()));
                yield DriverResult.empty();
            }
            default -> throw DriverErrors.methodNotFound("puter-kvstore", call.method());
        };
    }

    /** Epoch seconds (possibly fractional) as milliseconds; 0 means never, as upstream's falsy ttl. */
    private static OptionalLong epochMillis(JsonNode seconds) {
        double s = seconds.doubleValue();
        return s == 0 || Double.isNaN(s) ? OptionalLong.empty() : OptionalLong.of(Math.round(s * 1000));
    }

    private static String key(Args args) {
        String key = args.string("key").orElse("");
        if (key.isEmpty()) {
            throw DriverErrors.fieldEmpty("key");
        }
        KvStore.checkKey(key);
        return key;
    }

    private static String keyOf(JsonNode k) {
        if (k == null || k.isNull()) {
            throw DriverErrors.fieldEmpty("key");
        }
        if (!k.isString() && !k.isNumber()) {
            throw ApiError.fieldInvalid("key", "a string or an array of strings", null);
        }
        String key = k.isString() ? k.asString() : k.asString();
        if (key.isEmpty()) {
            throw DriverErrors.fieldEmpty("key");
        }
        return key;
    }

    private JsonNode get(String ns, JsonNode key) {
        if (key.isArray()) {
            ArrayNode out = Json.mapper().createArrayNode();
            for (JsonNode k : key) {
                out.add(store.get(ns, keyOf(k)).orElse(Json.mapper().nullNode()));
            }
            return out;
        }
        return store.get(ns, keyOf(key)).orElse(Json.mapper().nullNode());
    }

    private void batchPut(String ns, JsonNode items) {
        if (!items.isArray() || items.isEmpty()) {
            return;
        }
        Map<String, KvStore.Item> byKey = new LinkedHashMap<>();
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw ApiError.fieldInvalid("items", "an array of {key, value, expireAt?} objects", null);
            }
            String key = keyOf(item.get("key"));
            KvStore.checkKey(key);
            JsonNode expireAt = item.get("expireAt");
            if (expireAt != null && !expireAt.isNull() && !expireAt.isNumber()) {
                throw ApiError.fieldInvalid("expireAt", "number", null);
            }
            byKey.remove(key); // the last one wins
            byKey.put(key, new KvStore.Item(key, item.get("value"),
                    expireAt == null || expireAt.isNull() ? OptionalLong.empty() : epochMillis(expireAt)));
        }
        store.batchPut(ns, new ArrayList<>(byKey.values()));
    }

    private Object list(String ns, Args args) {
        String as = args.string("as").orElse("");
        if (as.isEmpty()) {
            as = "entries";
        }
        if (!as.equals("keys") && !as.equals("values") && !as.equals("entries")) {
            throw ApiError.fieldInvalid("as", "\"keys\", \"values\", or \"entries\"", null);
        }
        OptionalLong limit = OptionalLong.empty();
        if (args.number("limit").isPresent()) {
            double l = args.number("limit").get().doubleValue();
            if (!Double.isFinite(l) || l <= 0 || Math.floor(l) < 1) {
                throw ApiError.fieldInvalid("limit", "positive number", null);
            }
            limit = OptionalLong.of((long) Math.floor(l));
        }
        Optional<String> after = args.string("cursor").filter(c -> !c.isBlank()).map(KvDriver::cursorKey);
        String pattern = args.string("pattern").orElse("").strip();
        if (pattern.endsWith("*")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        boolean paginated = limit.isPresent() || after.isPresent();
        KvStore.Page page = store.list(ns, pattern, limit, after);
        ArrayNode items = Json.mapper().createArrayNode();
        for (KvStore.Entry e : page.entries()) {
            switch (as) {
                case "keys" -> items.add(e.key());
                case "values" -> items.add(e.value());
                default -> {
                    ObjectNode entry = items.addObject();
                    entry.put("key", e.key());
                    entry.set("value", e.value());
                }
            }
        }
        if (!paginated) {
            return items;
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.set("items", items);
        page.continueAfter().ifPresent(k -> out.put("cursor", cursor(ns, k)));
        return out;
    }

    /** The opaque cursor: base64 of {@code {"namespace":..., "key":...}}, as upstream's. */
    static String cursor(String ns, String key) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("namespace", ns);
        c.put("key", key);
        return Base64.getEncoder().encodeToString(Json.mapper().writeValueAsBytes(c));
    }

    /** The key a cursor continues after (its namespace is not trusted: the caller's is used). */
    private static String cursorKey(String cursor) {
        JsonNode parsed = null;
        try {
            parsed = Json.mapper().readTree(Base64.getDecoder().decode(cursor.strip()));
        } catch (RuntimeException notBase64) {
            try {
                parsed = Json.mapper().readTree(cursor.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException notJson) {
                // invalid below
            }
        }
        if (parsed == null || !parsed.isObject() || parsed.get("key") == null || !parsed.get("key").isString()) {
            throw ApiError.fieldInvalid("cursor", null, null);
        }
        return parsed.get("key").asString();
    }

    private static Map<String, JsonNode> pathMap(Args args, String name, String method) {
        JsonNode map = args.json(name).orElse(null);
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new DriverError("invalid use of #" + method + ": no " + name);
        }
        return KvStore.members(map);
    }

    private static List<String> paths(Args args) {
        JsonNode paths = args.json("paths").orElse(null);
        if (paths == null || !paths.isArray() || paths.isEmpty()) {
            throw new DriverError("invalid use of #remove: no paths");
        }
        List<String> out = new ArrayList<>();
        paths.forEach(p -> out.add(p.isString() ? p.asString() : p.toString()));
        return out;
    }

    private static Map<String, JsonNode> amounts(Args args, boolean negate) {
        JsonNode map = args.json("pathAndAmountMap").orElse(null);
        if (map == null || !map.isObject()) {
            throw new DriverError("All values in pathAndAmountMap must be numbers");
        }
        Map<String, JsonNode> out = KvStore.members(map);
        for (Map.Entry<String, JsonNode> e : out.entrySet()) {
            if (!e.getValue().isNumber()) {
                throw new DriverError("All values in pathAndAmountMap must be numbers");
            }
            if (negate) {
                e.setValue(KvPaths.number(e.getValue().decimalValue().negate()));
            }
        }
        return out;
    }
}
