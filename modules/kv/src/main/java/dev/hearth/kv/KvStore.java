package dev.hearth.kv;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.AccessTokenActor;
import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.Database;
import dev.hearth.core.SiteActor;
import dev.hearth.core.SystemActor;
import dev.hearth.core.UserActor;
import dev.hearth.core.UserEvents;
import dev.hearth.core.spi.Migrations;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.DriverError;
import dev.hearth.drivers.InterfaceSpec;
import dev.hearth.drivers.Metering;
import dev.hearth.drivers.spi.DriverProvider;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.databind.JsonNode;

/**
 * The {@code puter-kvstore} service (spec 3): namespaced key-value items in the SQL database (table
 * {@code kv_entries}), and the driver of the {@code puter-kvstore} interface.
 *
 * <ul>
 *   <li>Namespaces: {@link #namespaceOf} ({@code v1:<user uuid>:global}, {@code v1:<user uuid>:<app uid>},
 *       {@code v1:system}).</li>
 *   <li>Expiry: an item whose expiry has passed is absent for every operation at once; expired rows are deleted when
 *       read, and every {@code services.puter-kvstore.purge_interval_seconds} (60).</li>
 *   <li>Read-modify-write operations ({@link #modify}: incr, decr, update, add, remove, expire) are atomic per key
 *       without locks: each write is a compare-and-set on the row's {@code version} (or an insert that must not
 *       conflict), retried on a lost race. So concurrent {@code incr}s never lose an update, on SQLite and
 *       PostgreSQL alike, and no connection is held across the computation.</li>
 *   <li>Limits: keys of at most {@value #MAX_KEY_BYTES} UTF-8 bytes, items (namespace + key + JSON value) of at most
 *       {@value #MAX_ITEM_BYTES} bytes, with upstream's error texts.</li>
 *   <li>A user's items (every namespace of the user) go when the user is deleted ({@code user.deleting}).</li>
 * </ul>
 */
public final class KvStore implements Service, Migrations, DriverProvider {

    private static final Logger LOG = LoggerFactory.getLogger(KvStore.class);

    public static final int MAX_KEY_BYTES = 1024;
    public static final int MAX_ITEM_BYTES = 409_600;
    static final String KEY_TOO_LARGE = "key is too large. Max size is 1024.";
    static final String ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size";
    private static final int BATCH = 500;
    private static final int MAX_ATTEMPTS = 10_000;

    private final ServiceContext context;
    private final Clock clock;
    private final KvSettings settings;
    private volatile Jdbi jdbi;
    private volatile Metering metering;
    private volatile ScheduledExecutorService purger;

    KvStore(ServiceContext context) {
        this(context, Clock.systemUTC());
    }

    KvStore(ServiceContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
        this.settings = context.settings(KvSettings.class);
    }

    @Override
    public void init() {
        jdbi = context.services().get(Database.class).jdbi();
        metering = context.services().get(Metering.class);
        context.events().on(UserEvents.DELETING, (key, data, meta) ->
                deleteUser(((UserEvents.Deleted) data).userUuid()));
    }

    @Override
    public void activate() {
        if (settings.purgeIntervalSeconds() > 0) {
            purger = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("kv-purge").factory());
            purger.scheduleWithFixedDelay(() -> {
                try {
                    int n = purgeExpired();
                    if (n > 0) {
                        LOG.debug("purged {} expired key-value items", n);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("purging expired key-value items failed: {}", e.getMessage());
                }
            }, settings.purgeIntervalSeconds(), settings.purgeIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    @Override
    public void shutdown() {
        if (purger != null) {
            purger.shutdownNow();
        }
    }

    @Override
    public String migrationsName() {
        return "kv";
    }

    @Override
    public String migrationsLocation() {
        return "db/kv";
    }

    @Override
    public List<InterfaceSpec> driverInterfaces() {
        return List.of(KvDriver.INTERFACE);
    }

    @Override
    public List<Driver> drivers() {
        return List.of(new KvDriver(this, metering));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Namespaces (spec 3.2)

    /**
     * The namespace an actor's calls use: an app's own store for an app (its {@code appUuid} is ignored), the
     * user's global store or, with {@code appUuid}, that app's store for a user; an access token acts as its
     * authorizer; the system has {@code v1:system}. Sites have none ({@code User not found}).
     */
    public static String namespaceOf(Actor actor, Optional<String> appUuid) {
        return switch (actor) {
            case SystemActor s -> "v1:system";
            case AppUnderUserActor a -> "v1:" + a.user().uuid() + ":" + a.appUid();
            case UserActor u -> "v1:" + u.user().uuid() + ":" + appUuid.filter(x -> !x.isEmpty()).orElse("global");
            case AccessTokenActor t -> namespaceOf(t.authorizer(), appUuid);
            case SiteActor s -> throw new DriverError("User not found");
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    private long now() {
        return clock.millis();
    }

    private record Row(JsonNode value, Long expiresAt, long version) {
        boolean expiredAt(long now) {
            return expiresAt != null && expiresAt <= now;
        }
    }

    private Optional<Row> row(String ns, String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value, expires_at, version FROM kv_entries"
                        + " WHERE namespace = :ns AND k = :k")
                .bind("ns", ns).bind("k", key)
                .map((rs, ctx) -> {
                    String v = rs.getString(1);
                    long e = rs.getLong(2);
                    Long expires = rs.wasNull() ? null : e;
                    return new Row(v == null ? null : Json.mapper().readTree(v), expires, rs.getLong(3));
                }).findOne());
    }

    /** The item's value ({@code NullNode} when it has none), or empty if there is no live item. */
    public Optional<JsonNode> get(String ns, String key) {
        Optional<Row> row = row(ns, key);
        long now = now();
        if (row.isPresent() && row.get().expiredAt(now)) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM kv_entries WHERE namespace = :ns AND k = :k"
                    + " AND expires_at <= :now").bind("ns", ns).bind("k", key).bind("now", now).execute());
            return Optional.empty();
        }
        return row.map(r -> r.value() == null ? Json.mapper().nullNode() : r.value());
    }

    /** One entry of a listing. */
    public record Entry(String key, JsonNode value) {}

    /** A page of a listing: the entries, and the key to continue after if more may follow. */
    public record Page(List<Entry> entries, Optional<String> continueAfter) {}

    /**
     * Live items whose key starts with {@code prefix}, in byte order of the keys, after {@code after} if given; at most
     * {@code limit} if given (then {@code continueAfter} is set when more follow), else every one.
     */
    public Page list(String ns, String prefix, OptionalLong limit, Optional<String> after) {
        List<Entry> out = new ArrayList<>();
        String from = after.orElse(null);
        long wanted = limit.orElse(Long.MAX_VALUE);
        long now = now();
        while (true) {
            int batch = limit.isPresent() ? (int) Math.min(BATCH, wanted - out.size() + 1) : BATCH;
            String cursor = from;
            List<Entry> rows = jdbi.withHandle(h -> {
                var q = h.createQuery("SELECT k, value FROM kv_entries WHERE namespace = :ns"
                            + " AND k >= :prefix" + (cursor == null ? "" : " AND k > :after")
                            + " AND (expires_at IS NULL OR expires_at > :now) ORDER BY k LIMIT :n")
                    .bind("ns", ns).bind("prefix", prefix).bind("now", now).bind("n", batch);
                if (cursor != null) {
                    q.bind("after", cursor);
                }
                return q.map((rs, ctx) -> {
                        String v = rs.getString(2);
                        return new Entry(rs.getString(1),
                                v == null ? Json.mapper().nullNode() : Json.mapper().readTree(v));
                    }).list();
            });
            for (Entry e : rows) {
                if (!e.key().startsWith(prefix)) {
                    return new Page(out, Optional.empty());
                }
                if (out.size() == wanted) {
                    return new Page(out, Optional.of(out.getLast().key()));
                }
                out.add(e);
            }
            if (rows.size() < batch) {
                return new Page(out, Optional.empty());
            }
            from = rows.getLast().key();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writing

    static void checkKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new DriverError(KEY_TOO_LARGE);
        }
    }

    private static String serialize(String ns, String key, JsonNode value) {
        String json = value == null ? null : Json.mapper().writeValueAsString(KvPaths.normalize(value));
        long size = ns.getBytes(StandardCharsets.UTF_8).length + key.getBytes(StandardCharsets.UTF_8).length
                + (json == null ? 0 : json.getBytes(StandardCharsets.UTF_8).length);
        if (size > MAX_ITEM_BYTES) {
            throw new DriverError(ITEM_TOO_LARGE);
        }
        return json;
    }

    private static final String UPSERT = "INSERT INTO kv_entries (namespace, k, value, expires_at, version)"
            + " VALUES (:ns, :k, :v, :e, 0) ON CONFLICT (namespace, k) DO UPDATE SET value = excluded.value,"
            + " expires_at = excluded.expires_at, version = kv_entries.version + 1";

    /** Replaces the item; {@code value} null for an item without value; {@code expiresAt} epoch milliseconds. */
    public void set(String ns, String key, JsonNode value, OptionalLong expiresAt) {
        checkKey(key);
        String json = serialize(ns, key, value);
        jdbi.useHandle(h -> h.createUpdate(UPSERT).bind("ns", ns).bind("k", key).bind("v", json)
                .bind("e", expiresAt.isPresent() ? expiresAt.getAsLong() : null).execute());
    }

    /** An item of {@link #batchPut}. */
    public record Item(String key, JsonNode value, OptionalLong expiresAt) {}

    /** Replaces several items in one transaction. */
    public void batchPut(String ns, List<Item> items) {
        List<Object[]> rows = new ArrayList<>();
        for (Item item : items) {
            checkKey(item.key());
            rows.add(new Object[] {item.key(), serialize(ns, item.key(), item.value()),
                    item.expiresAt().isPresent() ? item.expiresAt().getAsLong() : null});
        }
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch(UPSERT);
            for (Object[] r : rows) {
                batch.bind("ns", ns).bind("k", r[0]).bind("v", r[1]).bind("e", r[2]).add();
            }
            batch.execute();
        });
    }

    public void delete(String ns, String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM kv_entries WHERE namespace = :ns AND k = :k")
                .bind("ns", ns).bind("k", key).execute());
    }

    /** Deletes every item of the namespace. */
    public void flush(String ns) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM kv_entries WHERE namespace = :ns").bind("ns", ns).execute());
    }

    /** Deletes every namespace of a user (their own and their apps'). */
    public void deleteUser(String userUuid) {
        String from = "v1:" + userUuid + ":";
        String to = "v1:" + userUuid + ";"; // ';' follows ':'
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM kv_entries WHERE namespace >= :from AND namespace < :to")
                .bind("from", from).bind("to", to).execute());
    }

    /** Deletes expired items; returns how many. */
    public int purgeExpired() {
        long now = now();
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM kv_entries WHERE expires_at IS NOT NULL"
                + " AND expires_at <= :now").bind("now", now).execute());
    }

    /**
     * What a read-modify-write makes of the live item: its new value (null for none) and expiry, and what to return;
     * {@code write} false leaves the item alone.
     */
    record Change(boolean write, JsonNode value, Long expiresAt, JsonNode result) {
        static Change to(JsonNode value, Long expiresAt) {
            return new Change(true, value, expiresAt, value == null ? Json.mapper().nullNode() : value);
        }

        static Change none(JsonNode result) {
            return new Change(false, null, null, result);
        }
    }

    /**
     * Atomically applies {@code f} to the live item (value or null, expiry or null; an expired item is absent) and
     * returns the change's result. Concurrent modifications of the key are retried, never lost.
     */
    JsonNode modify(String ns, String key, BiFunction<JsonNode, Long, Change> f) {
        checkKey(key);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Row> row = row(ns, key);
            boolean live = row.isPresent() && !row.get().expiredAt(now());
            JsonNode value = live ? row.get().value() : null;
            Change change = f.apply(value == null ? null : value.deepCopy(), live ? row.get().expiresAt() : null);
            if (!change.write()) {
                return change.result();
            }
            String json = serialize(ns, key, change.value());
            int n;
            if (row.isPresent()) {
                long version = row.get().version();
                n = jdbi.withHandle(h -> h.createUpdate("UPDATE kv_entries SET value = :v, expires_at = :e,"
                                + " version = version + 1 WHERE namespace = :ns AND k = :k AND version = :version")
                        .bind("v", json).bind("e", change.expiresAt()).bind("ns", ns).bind("k", key)
                        .bind("version", version).execute());
            } else {
                n = jdbi.withHandle(h -> h.createUpdate("INSERT INTO kv_entries (namespace, k, value, expires_at,"
                                + " version) VALUES (:ns, :k, :v, :e, 0) ON CONFLICT (namespace, k) DO NOTHING")
                        .bind("ns", ns).bind("k", key).bind("v", json).bind("e", change.expiresAt()).execute());
            }
            if (n == 1) {
                return change.result();
            }
            if (attempt > 3) {
                Thread.yield();
            }
        }
        throw new IllegalStateException("too much contention on a key-value item");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Path operations (spec 3.5)

    private static List<List<KvPaths.Step>> paths(Map<String, JsonNode> map) {
        List<List<KvPaths.Step>> out = new ArrayList<>();
        map.keySet().forEach(p -> out.add(KvPaths.parse(p)));
        KvPaths.requireNoOverlap(out);
        return out;
    }

    /** Adds each amount at its path (missing paths start from 0); returns the whole new value. */
    public JsonNode incr(String ns, String key, Map<String, JsonNode> pathAndAmount) {
        for (JsonNode amount : pathAndAmount.values()) {
            if (amount == null || !amount.isNumber()) {
                throw new DriverError("All values in pathAndAmountMap must be numbers");
            }
        }
        List<List<KvPaths.Step>> paths = paths(pathAndAmount);
        List<JsonNode> amounts = new ArrayList<>(pathAndAmount.values());
        return modify(ns, key, (value, expires) -> {
            KvPaths.Doc doc = new KvPaths.Doc(value);
            for (int i = 0; i < paths.size(); i++) {
                doc.ensureParents(paths.get(i));
                JsonNode current = doc.get(paths.get(i));
                if (current != null && !current.isNull() && !current.isNumber()) {
                    throw new DriverError(KvPaths.BAD_OPERAND);
                }
                doc.set(paths.get(i), KvPaths.add(current == null || current.isNull()
                        ? Json.mapper().getNodeFactory().numberNode(0) : current, amounts.get(i)));
            }
            return Change.to(doc.root, expires);
        });
    }

    /** Sets each path; with {@code ttlSeconds}, the item expires that many seconds from now. */
    public JsonNode update(String ns, String key, Map<String, JsonNode> pathAndValue, Optional<Double> ttlSeconds) {
        List<List<KvPaths.Step>> paths = paths(pathAndValue);
        List<JsonNode> values = new ArrayList<>(pathAndValue.values());
        return modify(ns, key, (value, expires) -> {
            KvPaths.Doc doc = new KvPaths.Doc(value);
            for (int i = 0; i < paths.size(); i++) {
                doc.ensureParents(paths.get(i));
                doc.set(paths.get(i), values.get(i));
            }
            Long expiry = ttlSeconds.map(this::fromNow).orElse(expires);
            return Change.to(doc.root, expiry);
        });
    }

    /** Appends each value (an array's elements, or the value) to the list at its path (created if missing). */
    public JsonNode add(String ns, String key, Map<String, JsonNode> pathAndValue) {
        List<List<KvPaths.Step>> paths = paths(pathAndValue);
        List<JsonNode> values = new ArrayList<>(pathAndValue.values());
        return modify(ns, key, (value, expires) -> {
            KvPaths.Doc doc = new KvPaths.Doc(value);
            for (int i = 0; i < paths.size(); i++) {
                doc.ensureParents(paths.get(i));
                JsonNode current = doc.get(paths.get(i));
                if (current != null && !current.isArray()) {
                    throw new DriverError(KvPaths.BAD_OPERAND);
                }
                var list = Json.mapper().createArrayNode();
                if (current != null) {
                    list.addAll((tools.jackson.databind.node.ArrayNode) current);
                }
                JsonNode v = values.get(i);
                if (v != null && v.isArray()) {
                    list.addAll((tools.jackson.databind.node.ArrayNode) v);
                } else {
                    list.add(v);
                }
                doc.set(paths.get(i), list);
            }
            return Change.to(doc.root, expires);
        });
    }

    /**
     * Removes the paths at once; if one is invalid (a missing or scalar intermediate) or they overlap, nothing changes
     * and the current value is returned, as upstream does.
     */
    public JsonNode remove(String ns, String key, List<String> paths) {
        List<List<KvPaths.Step>> parsed = new ArrayList<>();
        boolean invalid = false;
        try {
            paths.forEach(p -> parsed.add(KvPaths.parse(p)));
            KvPaths.requireNoOverlap(parsed);
        } catch (DriverError e) {
            invalid = true;
        }
        boolean unchanged = invalid;
        return modify(ns, key, (value, expires) -> {
            JsonNode current = value == null ? Json.mapper().nullNode() : value;
            if (unchanged || value == null) {
                return Change.none(current);
            }
            KvPaths.Doc doc = new KvPaths.Doc(value);
            try {
                doc.removeAll(parsed);
            } catch (DriverError e) {
                return Change.none(current);
            }
            return Change.to(doc.root, expires);
        });
    }

    /** Sets the expiry (epoch milliseconds); creates an item without value if there is none. */
    public void expireAt(String ns, String key, long expiresAtMillis) {
        modify(ns, key, (value, expires) -> Change.to(value, expiresAtMillis));
    }

    /** Epoch milliseconds {@code seconds} from now (upstream: whole seconds now, plus the ttl). */
    long fromNow(double seconds) {
        return (long) Math.floor(now() / 1000.0) * 1000 + Math.round(seconds * 1000);
    }

    /** {@code Map} of a JSON object's members, in order. */
    static Map<String, JsonNode> members(JsonNode object) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
