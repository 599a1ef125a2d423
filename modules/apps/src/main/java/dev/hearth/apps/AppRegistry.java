package dev.hearth.apps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.hearth.core.Database;
import dev.hearth.core.User;
import dev.hearth.core.UserEvents;
import dev.hearth.core.Users;
import dev.hearth.core.spi.Migrations;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.spi.DriverProvider;
import dev.hearth.fs.Filesystem;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * The {@code apps} service: the app registry in the SQL database (tables {@code apps},
 * {@code app_filetype_association}, {@code old_app_names}, {@code app_opens}), the {@code es:app} driver of
 * {@code crud-q}. {@link AppLookup} answers what the lower modules ask about apps.
 *
 * <p>Apps are looked up by uid or by name; a name freed by a rename keeps leading to its app for
 * {@value #OLD_NAME_DAYS} days. Suggestions are cached for a few seconds per extension, because a directory listing
 * asks for every entry; a change made here drops the cache at once, one made on another instance is seen within
 * {@link #SUGGESTION_TTL}.
 */
public final class AppRegistry implements Service, Migrations, DriverProvider {

    static final int OLD_NAME_DAYS = 120;
    static final Duration SUGGESTION_TTL = Duration.ofSeconds(5);

    private static final String COLUMNS = "id, uid, owner_user_id, icon, name, title, description, godmode, "
            + "maximize_on_start, index_url, approved_for_listing, approved_for_opening_items, "
            + "approved_for_incentive_program, created_at, last_review, tags, app_owner, background, metadata, protected, "
            + "is_private";

    private final ServiceContext context;
    private final Clock clock;
    /** Suggestion candidates per entry kind and type (see {@link #suggestions}). */
    private final Cache<String, List<Candidate>> candidates = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(SUGGESTION_TTL).build();
    private volatile Jdbi jdbi;
    private volatile AppIcons icons;
    private volatile AppsDriver driver;

    AppRegistry(ServiceContext context) {
        this(context, Clock.systemUTC());
    }

    AppRegistry(ServiceContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public void init() {
        jdbi = context.services().get(Database.class).jdbi();
        icons = new AppIcons(context.services().get(Filesystem.class).blobStore(), AppsSettings.from(context.config()));
        driver = new AppsDriver(context, this, icons, clock);
        context.events().on(UserEvents.DELETING, (key, data, meta) ->
                deleteAppsOf(((UserEvents.Deleted) data).userId()));
    }

    /** A deleted user's apps go with them, with their stored icons (the rows would cascade, the blobs would not). */
    void deleteAppsOf(long userId) {
        for (App app : where("owner_user_id = :u", q -> q.bind("u", userId), "id", 0, Integer.MAX_VALUE)) {
            if (app.iconStored()) {
                icons.remove(app.uid());
            }
            delete(app);
        }
    }

    @Override
    public String migrationsName() {
        return "apps";
    }

    @Override
    public String migrationsLocation() {
        return "db/apps";
    }

    @Override
    public List<Driver> drivers() {
        return List.of(driver);
    }

    AppIcons icons() {
        return icons;
    }

    /** The API origin icons are served from ({@code api_base_url}). */
    String apiBaseUrl() {
        return context.services().find(WebServer.class).map(w -> w.urls().apiBaseUrl()).orElse("");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lookups

    public Optional<App> byUid(String uid) {
        return one("uid = :v", q -> q.bind("v", uid));
    }

    /** The app with this name now, exactly. */
    public Optional<App> byName(String name) {
        return one("name = :v", q -> q.bind("v", name));
    }

    /** The app with this name, or the one that had it within {@value #OLD_NAME_DAYS} days (spec 4.3, old names). */
    public Optional<App> byNameFollowingRenames(String name) {
        return byName(name).or(() -> oldName(name).flatMap(this::byUid));
    }

    Optional<App> byId(long id) {
        return one("id = :v", q -> q.bind("v", id));
    }

    /** The uid of the app that had this name, if the name is still reserved for it; expired rows are deleted. */
    Optional<String> oldName(String name) {
        long cutoff = clock.millis() - Duration.ofDays(OLD_NAME_DAYS).toMillis();
        return jdbi.withHandle(h -> {
            h.createUpdate("DELETE FROM old_app_names WHERE name = :n AND created_at < :c").bind("n", name)
                    .bind("c", cutoff).execute();
            return h.createQuery("SELECT app_uid FROM old_app_names WHERE name = :n").bind("n", name)
                    .mapTo(String.class).findFirst();
        });
    }

    /** Whether a new app may not take this name: an app has it, or it is reserved for a renamed app. */
    boolean nameTaken(String name) {
        return byName(name).isPresent() || oldName(name).isPresent();
    }

    private Optional<App> one(String where, Consumer<Query> binder) {
        List<App> apps = list("SELECT " + COLUMNS + " FROM apps WHERE " + where, binder);
        return apps.stream().findFirst();
    }

    /** Apps of a query selecting {@link #COLUMNS}, with their file-type associations. */
    List<App> list(String sql, Consumer<Query> binder) {
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql);
            binder.accept(q);
            List<Row> rows = q.map((rs, ctx) -> row(rs)).list();
            Map<Long, List<String>> types = filetypes(h, rows.stream().map(Row::id).toList());
            return rows.stream().map(r -> r.app(types.getOrDefault(r.id(), List.of()))).toList();
        });
    }

    /** Apps matching {@code where} (SQL over the apps table's columns), by id. */
    List<App> where(String where, Consumer<Query> binder, String orderBy, int offset, int limit) {
        return list("SELECT " + COLUMNS + " FROM apps WHERE " + where + " ORDER BY " + orderBy + " LIMIT " + limit
                + " OFFSET " + offset, binder);
    }

    private static Map<Long, List<String>> filetypes(Handle h, Collection<Long> ids) {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        h.createQuery("SELECT app_id, type FROM app_filetype_association WHERE app_id IN (<ids>) ORDER BY app_id, type")
                .bindList("ids", new ArrayList<>(ids))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    private record Row(long id, String uid, Optional<Long> owner, String icon, String name, String title,
            Optional<String> description, boolean godmode, boolean maximize, String indexUrl, boolean listed,
            boolean opensItems, boolean incentive, Instant createdAt, Optional<String> tags, Optional<Long> appOwner,
            boolean background, Optional<String> metadata, boolean isProtected, boolean isPrivate) {
        App app(List<String> types) {
            return new App(id, uid, owner, icon, name, title, description, godmode, maximize, indexUrl, listed,
                    opensItems, incentive, createdAt, tags, appOwner, background, metadata, isProtected, isPrivate,
                    types);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("uid"), optLong(rs, "owner_user_id"),
                Optional.ofNullable(rs.getString("icon")).orElse(""), rs.getString("name"), rs.getString("title"),
                Optional.ofNullable(rs.getString("description")), rs.getInt("godmode") != 0,
                rs.getInt("maximize_on_start") != 0, rs.getString("index_url"), rs.getInt("approved_for_listing") != 0,
                rs.getInt("approved_for_opening_items") != 0, rs.getInt("approved_for_incentive_program") != 0,
                Instant.ofEpochMilli(rs.getLong("created_at")), Optional.ofNullable(rs.getString("tags")),
                optLong(rs, "app_owner"), rs.getInt("background") != 0, Optional.ofNullable(rs.getString("metadata")),
                rs.getInt("protected") != 0, rs.getInt("is_private") != 0);
    }

    private static Optional<Long> optLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writes (the driver validates; these only store)

    /** Inserts an app; {@code columns} are column names of the apps table (from the driver's fixed list). */
    App insert(Map<String, Object> columns, Optional<List<String>> filetypes) {
        long id = jdbi.inTransaction(h -> {
            var u = h.createUpdate("INSERT INTO apps (" + String.join(", ", columns.keySet()) + ") VALUES (:"
                    + String.join(", :", columns.keySet()) + ")");
            columns.forEach(u::bind);
            u.execute();
            long inserted = h.createQuery("SELECT id FROM apps WHERE uid = :u").bind("u", columns.get("uid"))
                    .mapTo(Long.class).one();
            filetypes.ifPresent(t -> replaceFiletypes(h, inserted, t));
            return inserted;
        });
        changed();
        return byId(id).orElseThrow();
    }

    /** Updates columns of an app (and replaces its file types when given); records a freed name. */
    App update(App app, Map<String, Object> columns, Optional<List<String>> filetypes) {
        jdbi.useTransaction(h -> {
            if (!columns.isEmpty()) {
                StringBuilder set = new StringBuilder();
                for (String c : columns.keySet()) {
                    set.append(set.isEmpty() ? "" : ", ").append(c).append(" = :").append(c);
                }
                var u = h.createUpdate("UPDATE apps SET " + set + " WHERE id = :id").bind("id", app.id());
                columns.forEach(u::bind);
                u.execute();
            }
            if (columns.get("name") instanceof String newName && !newName.equals(app.name())) {
                // Reclaiming its own old name frees that reservation; the name given up is reserved in turn.
                h.createUpdate("DELETE FROM old_app_names WHERE name = :n").bind("n", newName).execute();
                h.createUpdate("DELETE FROM old_app_names WHERE name = :n").bind("n", app.name()).execute();
                h.createUpdate("INSERT INTO old_app_names (name, app_uid, created_at) VALUES (:n, :u, :t)")
                        .bind("n", app.name()).bind("u", app.uid()).bind("t", clock.millis()).execute();
            }
            filetypes.ifPresent(t -> replaceFiletypes(h, app.id(), t));
        });
        changed();
        return byId(app.id()).orElseThrow();
    }

    void delete(App app) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM apps WHERE id = :id").bind("id", app.id()).execute());
        changed();
    }

    private static void replaceFiletypes(Handle h, long appId, List<String> types) {
        h.createUpdate("DELETE FROM app_filetype_association WHERE app_id = :a").bind("a", appId).execute();
        for (String t : types) {
            h.createUpdate("INSERT INTO app_filetype_association (app_id, type) VALUES (:a, :t)").bind("a", appId)
                    .bind("t", t).execute();
        }
    }

    void changed() {
        candidates.invalidateAll();
        context.events().emit("app.changed", Map.of());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Opens (POST /rao, GET /get-launch-apps, stats)

    void recordOpen(String appUid, long userId) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO app_opens (app_uid, user_id, ts) VALUES (:a, :u, :t)")
                .bind("a", appUid).bind("u", userId).bind("t", clock.millis()).execute());
    }

    /** The uids of the apps the user opened last, most recent first, each once. */
    List<String> recentlyOpened(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT app_uid FROM app_opens WHERE user_id = :u GROUP BY app_uid "
                        + "ORDER BY MAX(id) DESC LIMIT " + limit).bind("u", userId).mapTo(String.class).list());
    }

    /** {@code [open_count, user_count]} per app uid. */
    Map<String, long[]> openStats(Collection<String> uids) {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (uids.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT app_uid, COUNT(*), COUNT(DISTINCT user_id) FROM app_opens "
                        + "WHERE app_uid IN (<uids>) GROUP BY app_uid").bindList("uids", new ArrayList<>(uids))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /**
     * Records the bootstrap app of a third-party origin (spec 2.6.5) unless it exists: {@code uid = name = title},
     * no owner. Two requests may race: the uid's uniqueness decides and the loser inserts nothing.
     */
    void bootstrap(String appUid, String origin) {
        if (byUid(appUid).isPresent()) {
            return;
        }
        int n = jdbi.withHandle(h -> h.createUpdate("INSERT INTO apps (uid, name, title, description, index_url, "
                        + "created_at) VALUES (:u, :u, :u, :d, :i, :t) ON CONFLICT DO NOTHING").bind("u", appUid)
                .bind("d", "App created from origin " + origin).bind("i", origin).bind("t", clock.millis()).execute());
        if (n > 0) {
            changed();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Suggestions (spec 4.6)

    /** Built-in rules (spec 4.6): the apps suggested by extension before the registered associations. */
    static List<String> builtInSuggestions(String name, boolean directory) {
        if (directory) {
            return List.of();
        }
        int dot = name.lastIndexOf('.');
        String ext = dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        return switch (ext) {
            case "" , "js", "mjs", "cjs", "ts", "json", "html", "htm", "css", "java", "py", "rb", "go", "rs", "c",
                 "h", "cpp", "hpp", "cs", "php", "sh", "xml", "yml", "yaml", "toml", "ini", "sql", "jsx", "tsx",
                 "kt", "swift", "lua", "pl", "r", "scss", "less", "vue", "csv", "log" -> List.of("code", "editor");
            case "txt" -> List.of("editor", "code");
            case "md" -> List.of("markus");
            case "jpg", "jpeg", "png", "webp", "svg", "bmp" -> List.of("viewer", "draw");
            case "gif", "ico", "tif", "tiff", "avif" -> List.of("draw");
            case "pdf" -> List.of("pdf");
            case "mp4", "webm", "mpg", "mpv", "mp3", "m4a", "ogg", "wav", "mov" -> List.of("player");
            default -> List.of();
        };
    }

    /** An app that may open entries of a type: by the built-in rules (for everyone) or by its own association. */
    private record Candidate(App app, boolean byRule) {}

    /**
     * The apps that can open an entry, for a user (spec 4.6): built-ins by rule, then associated apps that are
     * approved for opening items or the user's own, then {@code codeapp} after {@code editor}; each once. The
     * candidates of a type are cached (a listing asks for every entry); only the owner filter is per user.
     */
    List<App> suggestions(long userId, String name, boolean directory) {
        int dot = name.lastIndexOf('.');
        String type = directory ? "directory" : dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        // What the candidates depend on: the kind, whether the rules see an extension, and the type.
        String key = (directory ? "dir:" : "file:") + (dot <= 0 ? "-" : "") + type;
        Map<String, App> unique = new LinkedHashMap<>();
        for (Candidate c : candidates.get(key, k -> candidates(name, directory, type))) {
            if (c.byRule() || c.app().approvedForOpeningItems() || c.app().ownedBy(userId)) {
                unique.putIfAbsent(c.app().uid(), c.app());
            }
        }
        return List.copyOf(unique.values());
    }

    private List<Candidate> candidates(String name, boolean directory, String type) {
        List<Candidate> out = new ArrayList<>();
        for (String n : builtInSuggestions(name, directory)) {
            byName(n).ifPresent(a -> out.add(new Candidate(a, true)));
        }
        if (!type.isEmpty()) {
            for (App a : list("SELECT " + COLUMNS + " FROM apps WHERE id IN (SELECT app_id FROM app_filetype_association "
                    + "WHERE type = :t) ORDER BY id", q -> q.bind("t", type))) {
                out.add(new Candidate(a, false));
            }
        }
        if (out.stream().anyMatch(c -> c.byRule() && c.app().name().equals("editor"))) {
            byName("codeapp").ifPresent(a -> out.add(new Candidate(a, true)));
        }
        return List.copyOf(out);
    }

    Optional<User> user(long id) {
        return context.services().get(Users.class).byId(id);
    }
}
