package dev.hearth.apps;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jdbi.v3.core.statement.Query;

import dev.hearth.apps.spi.PrivateAppAccess;
import dev.hearth.core.AccessTokenActor;
import dev.hearth.core.Actor;
import dev.hearth.core.AppOrigins;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.Permissions;
import dev.hearth.core.User;
import dev.hearth.drivers.Args;
import dev.hearth.drivers.CrudQ;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.DriverCall;
import dev.hearth.drivers.DriverErrors;
import dev.hearth.drivers.DriverResult;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.PublicUrls;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * {@code es:app}, the {@code crud-q} implementation behind {@code puter-apps} (spec 4.3): identifiers, validation,
 * ownership, the app-actor restrictions, protected and private apps, and the client-safe object (4.3.1).
 *
 * <p>Who may do what: anyone with a user may read an app and list the listed ones; only the owner updates and deletes
 * (built-in and bootstrap apps have none, so nobody does); an app acting for its user sees and changes only the apps
 * it created, the listed ones and itself, unless the user granted it {@code apps-of-user:<uuid>:read|write} — and
 * never more than its user. Hearth's fixes: the app-actor restriction is computed per call; {@code owner},
 * {@code app_owner}, {@code created_at} and the read-only fields are ignored on update; {@code id: {uid}} works.
 */
final class AppsDriver implements Driver {

    static final int MAX_LIMIT = 5000;
    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]+$");
    private static final Pattern BASE64 = Pattern.compile("^[A-Za-z0-9+/]+={0,2}$");
    private static final Pattern FORBIDDEN_IN_ICON = Pattern.compile("[<>&\"'`]");
    private static final Set<String> FLAGS = Set.of("maximize_on_start", "background", "protected");

    private final ServiceContext context;
    private final AppRegistry registry;
    private final AppIcons icons;
    private final Clock clock;
    private final AppsSettings settings;

    AppsDriver(ServiceContext context, AppRegistry registry, AppIcons icons, Clock clock) {
        this.context = context;
        this.registry = registry;
        this.icons = icons;
        this.clock = clock;
        this.settings = AppsSettings.from(context.config());
    }

    @Override
    public String serviceName() {
        return "es:app";
    }

    @Override
    public String interfaceName() {
        return CrudQ.NAME;
    }

    /** Upstream's second app service; puter.js does not use it, Hearth answers it with the same driver. */
    @Override
    public List<String> aliases() {
        return List.of("app");
    }

    /** Who calls: the user, and the app acting for them if any. */
    private record Caller(Actor actor, User user, Optional<String> appUid) {}

    private static Caller caller(Actor actor) {
        User user = actor.actingUser().orElseThrow(ApiError::forbidden);
        Optional<String> app = switch (actor) {
            case AppUnderUserActor a -> Optional.of(a.appUid());
            case AccessTokenActor t when t.authorizer() instanceof AppUnderUserActor a -> Optional.of(a.appUid());
            default -> Optional.empty();
        };
        return new Caller(actor, user, app);
    }

    @Override
    public DriverResult call(DriverCall call) {
        Caller caller = caller(call.actor());
        Args args = call.args();
        return switch (call.method()) {
            case "create" -> DriverResult.of(create(caller, args.json("object").orElseThrow(), args.json("options")));
            case "read" -> {
                App app = locate(caller, args.string("uid"), args.json("id"));
                yield DriverResult.of(entity(caller, app, iconSize(args), registry.openStats(List.of(app.uid()))));
            }
            case "select" -> DriverResult.of(select(caller, args));
            case "update" -> DriverResult.of(update(caller, args.json("id"), args.json("object").orElseThrow()));
            case "upsert" -> DriverResult.of(upsert(caller, args));
            case "delete" -> {
                App app = locate(caller, args.string("uid"), args.json("id"));
                requireWrite(caller, app);
                registry.delete(app);
                if (app.iconStored()) {
                    icons.remove(app.uid());
                }
                yield DriverResult.empty();
            }
            default -> throw DriverErrors.methodNotFound(CrudQ.NAME, call.method());
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Identifiers and visibility

    private App locate(Caller caller, Optional<String> uid, Optional<JsonNode> id) {
        Optional<JsonNode> given = id.filter(n -> !n.isNull() && !n.isMissingNode());
        App app;
        if (uid.filter(u -> !u.isEmpty()).isPresent()) {
            app = registry.byUid(uid.get()).orElseThrow(() -> notFound(uid.get()));
        } else if (given.isPresent()) {
            app = byId(given.get()).orElseThrow(() -> notFound(Json.mapper().convertValue(given.get(), Object.class)));
        } else {
            throw ApiError.of(400, "xor_field_missing",
                    "One of these mutually-exclusive fields is required: `uid`, `id`").with("names", List.of("uid", "id"));
        }
        if (!visible(caller, app)) {
            throw notFound(uid.filter(u -> !u.isEmpty()).<Object>map(u -> u)
                    .orElseGet(() -> Json.mapper().convertValue(given.orElseThrow(), Object.class)));
        }
        return app;
    }

    /** An {@code id}: a uid string, {@code {uid}} or {@code {name}} (names follow renames). */
    private Optional<App> byId(JsonNode id) {
        if (id.isString()) {
            return registry.byUid(id.asString());
        }
        if (id.isObject() && id.size() == 1 && id.path("uid").isString()) {
            return registry.byUid(id.get("uid").asString());
        }
        if (id.isObject() && id.size() == 1 && id.path("name").isString()) {
            return registry.byNameFollowingRenames(id.get("name").asString());
        }
        throw ApiError.of(400, "invalid_id", "Invalid id " + id).with("id", Json.mapper().convertValue(id, Object.class));
    }

    private static ApiError notFound(Object identifier) {
        String shown = identifier instanceof String s ? "`" + s + "`" : Json.mapper().writeValueAsString(identifier);
        return ApiError.of(422, "entity_not_found", "Entity not found: " + shown).with("identifier", identifier);
    }

    private boolean holds(Caller caller, String permission) {
        try {
            return context.services().get(Permissions.class).check(caller.actor(), permission);
        } catch (ApiError unparseable) {
            return false;
        }
    }

    /**
     * Whether the caller may see the app: protected apps only for their owner, themselves and holders of
     * {@code app:uid#<uid>:access}; an app acting for its user only its own creations, listed apps and itself.
     */
    private boolean visible(Caller caller, App app) {
        boolean self = caller.appUid().filter(app.uid()::equals).isPresent();
        if (app.isProtected() && !app.ownedBy(caller.user().id()) && !self
                && !holds(caller, "app:uid#" + app.uid() + ":access")) {
            return false;
        }
        if (caller.appUid().isPresent() && !self && !app.approvedForListing()
                && !createdByCallingApp(caller, app)
                && !holds(caller, "apps-of-user:" + caller.user().uuid() + ":read")
                && !holds(caller, "apps-of-user:" + caller.user().uuid() + ":write")) {
            return false;
        }
        return true;
    }

    private boolean createdByCallingApp(Caller caller, App app) {
        return app.appOwner().isPresent() && caller.appUid().flatMap(registry::byUid)
                .map(a -> a.id() == app.appOwner().get()).orElse(false);
    }

    /** Only the owner writes; an app acting for the owner only the apps it created, unless granted more. */
    private void requireWrite(Caller caller, App app) {
        if (!app.ownedBy(caller.user().id())) {
            throw ApiError.forbidden();
        }
        if (caller.appUid().isPresent() && !createdByCallingApp(caller, app)
                && !holds(caller, "apps-of-user:" + caller.user().uuid() + ":write")) {
            throw ApiError.forbidden();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Validation

    /** The validated fields of an {@code object}, by column; {@code icon} as given (stored after the write). */
    private record Fields(Map<String, Object> columns, Optional<String> icon, Optional<List<String>> filetypes,
            List<String> given) {}

    private Fields fields(JsonNode object) {
        Map<String, Object> columns = new LinkedHashMap<>();
        Optional<String> icon = Optional.empty();
        Optional<List<String>> filetypes = Optional.empty();
        List<String> given = new ArrayList<>();
        for (var e : object.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "name" -> {
                    String name = text(key, v);
                    if (name.length() > settings.nameMaxLength()) {
                        throw tooLong(key, settings.nameMaxLength());
                    }
                    if (!name.isEmpty() && !NAME.matcher(name).matches()) {
                        throw ApiError.fieldInvalid(key, null, null).with("converted_from_another_error", true);
                    }
                    columns.put(key, name);
                }
                case "title" -> {
                    String title = text(key, v);
                    if (title.length() > settings.titleMaxLength()) {
                        throw tooLong(key, settings.titleMaxLength());
                    }
                    columns.put(key, title);
                }
                case "description" -> {
                    String d = v.isNull() ? null : text(key, v);
                    if (d != null && d.length() > AppsSettings.DESCRIPTION_MAX_LENGTH) {
                        throw tooLong(key, AppsSettings.DESCRIPTION_MAX_LENGTH);
                    }
                    columns.put(key, d);
                }
                case "index_url" -> {
                    String url = text(key, v);
                    if (url.length() > AppsSettings.INDEX_URL_MAX_LENGTH) {
                        throw tooLong(key, AppsSettings.INDEX_URL_MAX_LENGTH);
                    }
                    if (!url.isEmpty() && !validUrl(url)) {
                        throw ApiError.fieldInvalid(key, "a valid URL", null);
                    }
                    columns.put(key, url);
                }
                case "icon" -> icon = Optional.of(icon(v));
                case "maximize_on_start", "background", "protected" -> columns.put(key, flag(key, v) ? 1 : 0);
                case "metadata" -> {
                    if (!v.isNull() && !v.isObject()) {
                        throw ApiError.fieldInvalid(key, "an object", null);
                    }
                    columns.put(key, v.isNull() ? null : v.toString());
                }
                case "filetype_associations" -> filetypes = Optional.of(filetypes(v));
                default -> {
                    continue; // read-only, protected and unknown fields are dropped silently
                }
            }
            given.add(key);
        }
        return new Fields(columns, icon, filetypes, given);
    }

    private static ApiError tooLong(String key, int max) {
        return ApiError.of(400, "field_too_long", "Field `" + key + "` is too long. Max length is " + max + ".")
                .with("key", key).with("max_length", max);
    }

    private static String text(String key, JsonNode v) {
        if (v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw ApiError.fieldInvalid(key, "a string", null);
        }
        return v.asString();
    }

    /** Booleans, or 0/1 as numbers or strings (upstream's flag adapter). */
    private static boolean flag(String key, JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if ((v.isIntegralNumber() || v.isString()) && (v.asString().equals("0") || v.asString().equals("1"))) {
            return v.asString().equals("1");
        }
        throw ApiError.fieldInvalid(key, "a boolean", null);
    }

    private static List<String> filetypes(JsonNode v) {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiError.fieldInvalid("filetype_associations", "an array of strings", null);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : v) {
            if (!t.isString()) {
                throw ApiError.fieldInvalid("filetype_associations", "an array of strings", null);
            }
            String type = t.asString().strip().toLowerCase(Locale.ROOT);
            type = type.startsWith(".") ? type.substring(1) : type;
            if (type.isEmpty() || type.length() > 60) {
                throw ApiError.fieldInvalid("filetype_associations", "an array of strings", null);
            }
            if (!out.contains(type)) {
                out.add(type);
            }
        }
        return out;
    }

    /**
     * An icon as given: {@code ""} (none), a data URL, raw base64 (a PNG), or an {@code /app-icon/} URL of this
     * server (keeps the stored icon). Markup characters are refused outright: the icon may end up in an HTML
     * attribute of some client.
     */
    private String icon(JsonNode v) {
        if (v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw AppIcons.invalid();
        }
        String icon = v.asString().strip();
        if (icon.isEmpty()) {
            return "";
        }
        if (FORBIDDEN_IN_ICON.matcher(icon).find()) {
            throw AppIcons.invalid();
        }
        if (icon.startsWith("data:image/")) {
            return icon;
        }
        if (icon.length() >= 16 && BASE64.matcher(icon).matches()) {
            return "data:image/png;base64," + icon;
        }
        PublicUrls urls = urls();
        for (String base : urls == null ? List.of("") : List.of(urls.apiBaseUrl(), urls.origin())) {
            if (icon.startsWith(base + AppIcons.MARKER_PREFIX)) {
                return icon.substring(base.length());
            }
        }
        throw AppIcons.invalid();
    }

    /** {@code validator.isURL}'s rules, roughly: http(s) or ftp, a host with a top-level domain, localhost or an IP. */
    static boolean validUrl(String url) {
        if (url.chars().anyMatch(c -> c <= ' ' || c == '\\' || c == '<' || c == '>' || c == '"')) {
            return false;
        }
        String rest = url;
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            if (!Set.of("http", "https", "ftp").contains(url.substring(0, scheme).toLowerCase(Locale.ROOT))) {
                return false;
            }
            rest = url.substring(scheme + 3);
        }
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        if (authority.isEmpty() || authority.contains("@")) {
            return false;
        }
        String host = authority;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            String port = authority.substring(colon + 1);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return false;
            }
            host = authority.substring(0, colon);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.matches("\\[[0-9a-f:.]+]")) {
            return true;
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || !label.matches("[\\p{L}\\p{N}-]+") || label.startsWith("-")
                    || label.endsWith("-")) {
                return false;
            }
        }
        String tld = labels[labels.length - 1];
        return tld.matches("\\p{L}{2,}") || tld.startsWith("xn--");
    }

    private PublicUrls urls() {
        return context.services().find(WebServer.class).map(WebServer::urls).orElse(null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hosted index URLs (spec 4.3 create step 6)

    private List<String> hostingDomains() {
        PublicUrls u = urls();
        return u == null ? List.of() : List.of(u.staticHostingDomain(), u.staticHostingDomainAlt(),
                u.privateAppHostingDomain(), u.privateAppHostingDomainAlt());
    }

    /** Another app using an equivalent form of a hosted index URL. */
    private Optional<App> hostedConflict(String indexUrl, Optional<App> self) {
        if (indexUrl.startsWith("https://dev-center.puter.com/coming-soon")) {
            return Optional.empty();
        }
        String origin;
        try {
            origin = AppOrigins.origin(indexUrl);
        } catch (ApiError e) {
            return Optional.empty();
        }
        if (AppOrigins.hostedSubdomain(origin, hostingDomains()).isEmpty()) {
            return Optional.empty();
        }
        String trimmed = indexUrl.endsWith("/") ? indexUrl.substring(0, indexUrl.length() - 1) : indexUrl;
        List<String> forms = trimmed.equals(origin) || trimmed.equals(origin + "/index.html")
                ? List.of(origin, origin + "/", origin + "/index.html") : List.of(trimmed, trimmed + "/");
        return registry.list("SELECT * FROM apps WHERE index_url IN (<forms>) ORDER BY created_at, id",
                        q -> q.bindList("forms", forms)).stream()
                .filter(a -> self.map(s -> s.id() != a.id()).orElse(true)).findFirst();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Methods

    private Map<String, Object> create(Caller caller, JsonNode object, Optional<JsonNode> options) {
        if (object.has("uid") && !object.get("uid").isNull()) {
            throw ApiError.of(400, "field_not_allowed_for_create", "Field `uid` is not allowed for create.")
                    .with("key", "uid");
        }
        Fields f = fields(object);
        for (String required : List.of("name", "title", "index_url")) {
            if (!(f.columns().get(required) instanceof String s) || s.isEmpty()) {
                throw ApiError.fieldMissing(required);
            }
        }
        String indexUrl = (String) f.columns().get("index_url");
        Optional<App> conflict = hostedConflict(indexUrl, Optional.empty());
        if (conflict.isPresent()) {
            App existing = conflict.get();
            // Only an origin's bootstrap app (no owner, named by its uid) is claimed; built-in apps have no owner
            // either, and an operator may host them under the hosting domain: they are never taken over.
            if (existing.ownerUserId().isPresent() || !existing.name().equals(existing.uid())) {
                throw ApiError.of(409, "app_index_url_already_in_use", "Index URL `" + indexUrl
                        + "` is already used by app `" + existing.uid() + "`.").with("index_url", indexUrl)
                        .with("app_uid", existing.uid());
            }
            // The claim keeps the uid, so the origin's AppData and grants survive.
            Map<String, Object> columns = new LinkedHashMap<>(f.columns());
            columns.put("owner_user_id", caller.user().id());
            String name = (String) columns.get("name");
            if (!name.equals(existing.name())) {
                columns.put("name", freeName(name, options, Optional.of(existing)));
            }
            App claimed = registry.update(existing, columns, f.filetypes());
            claimed = applyIcon(claimed, f.icon());
            return createdResult(caller, claimed, f.given());
        }
        String name = freeName((String) f.columns().get("name"), options, Optional.empty());
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("uid", "app-" + UUID.randomUUID());
        columns.put("owner_user_id", caller.user().id());
        caller.appUid().flatMap(registry::byUid).ifPresent(a -> columns.put("app_owner", a.id()));
        columns.put("icon", "");
        columns.put("created_at", clock.millis());
        columns.putAll(f.columns());
        columns.put("name", name);
        App app = registry.insert(columns, f.filetypes());
        app = applyIcon(app, f.icon());
        return createdResult(caller, app, f.given());
    }

    /** The name, or with {@code dedupe_name} the first free {@code name-N}; a taken name is a {@code 409}. */
    private String freeName(String name, Optional<JsonNode> options, Optional<App> self) {
        if (!taken(name, self)) {
            return name;
        }
        boolean dedupe = options.filter(JsonNode::isObject).map(o -> o.path("dedupe_name"))
                .map(d -> d.asBoolean(false) || d.asString("").equals("true")).orElse(false);
        if (!dedupe) {
            throw ApiError.of(409, "app_name_already_in_use", "App name `" + name + "` is already in use.")
                    .with("name", name);
        }
        for (int i = 1; ; i++) {
            String candidate = name + "-" + i;
            if (!taken(candidate, self)) {
                return candidate;
            }
        }
    }

    /** Taken by another app, now or as a reserved old name (an app may take back its own old name). */
    private boolean taken(String name, Optional<App> self) {
        Optional<App> holder = registry.byName(name);
        if (holder.isPresent()) {
            return self.map(s -> s.id() != holder.get().id()).orElse(true);
        }
        Optional<String> reservedFor = registry.oldName(name);
        return reservedFor.isPresent() && !self.map(s -> s.uid().equals(reservedFor.get())).orElse(false);
    }

    /** Stores a new data-URL icon (the row keeps the marker), removes a cleared one, keeps a marker. */
    private App applyIcon(App app, Optional<String> icon) {
        if (icon.isEmpty()) {
            return app;
        }
        String value = icon.get();
        if (value.startsWith("data:")) {
            icons.store(app.uid(), icons.decode(value));
            return registry.update(app, Map.of("icon", AppIcons.marker(app.uid())), Optional.empty());
        }
        if (value.isEmpty()) {
            if (app.iconStored()) {
                icons.remove(app.uid());
            }
            return app.icon().isEmpty() ? app : registry.update(app, Map.of("icon", ""), Optional.empty());
        }
        // An /app-icon/ URL keeps the icon the app has: another app's stored icon is not borrowed.
        return app;
    }

    /** What {@code create} answers (examples.md 3.17): the fields given, with the uid and the owner. */
    private Map<String, Object> createdResult(Caller caller, App app, List<String> given) {
        Map<String, Object> full = entity(caller, app, OptionalInt.empty(), Map.of());
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : full.entrySet()) {
            if (e.getKey().equals("uid") || e.getKey().equals("owner") || given.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private Map<String, Object> update(Caller caller, Optional<JsonNode> id, JsonNode object) {
        Optional<String> uid = Optional.ofNullable(object.get("uid")).filter(JsonNode::isString).map(JsonNode::asString);
        App app = locate(caller, uid, id);
        requireWrite(caller, app);
        return updateLocated(caller, app, object, Optional.empty());
    }

    private Map<String, Object> updateLocated(Caller caller, App app, JsonNode object, Optional<JsonNode> options) {
        Fields f = fields(object);
        Map<String, Object> columns = new LinkedHashMap<>(f.columns());
        for (String required : List.of("name", "title", "index_url")) {
            if (columns.containsKey(required) && ((String) columns.get(required)).isEmpty()) {
                throw ApiError.fieldMissing(required);
            }
        }
        if (columns.get("name") instanceof String name && !name.equals(app.name())) {
            columns.put("name", freeName(name, options, Optional.of(app)));
        }
        if (columns.get("index_url") instanceof String url && !url.equals(app.indexUrl())) {
            hostedConflict(url, Optional.of(app)).ifPresent(other -> {
                throw ApiError.of(409, "app_index_url_already_in_use", "Index URL `" + url
                        + "` is already used by app `" + other.uid() + "`.").with("index_url", url)
                        .with("app_uid", other.uid());
            });
        }
        App updated = registry.update(app, columns, f.filetypes());
        updated = applyIcon(updated, f.icon());
        return entity(caller, updated, OptionalInt.empty(), registry.openStats(List.of(updated.uid())));
    }

    private Map<String, Object> upsert(Caller caller, Args args) {
        JsonNode object = args.json("object").orElseThrow();
        Optional<JsonNode> id = args.json("id").filter(n -> !n.isNull());
        Optional<App> existing = id.isPresent() ? byId(id.get())
                : Optional.ofNullable(object.get("name")).filter(JsonNode::isString).map(JsonNode::asString)
                        .flatMap(registry::byName);
        if (existing.isPresent() && visible(caller, existing.get())) {
            requireWrite(caller, existing.get());
            return updateLocated(caller, existing.get(), object, args.json("options"));
        }
        if (existing.isPresent()) {
            throw notFound(existing.get().uid());
        }
        return create(caller, object, args.json("options"));
    }

    private Object select(Caller caller, Args args) {
        StringBuilder where = new StringBuilder("(approved_for_listing = 1 OR owner_user_id = :user");
        if (caller.appUid().isPresent()) {
            where.append(" OR uid = :app");
        }
        where.append(")");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("user", caller.user().id());
        caller.appUid().ifPresent(a -> binds.put("app", a));
        JsonNode predicate = args.json("predicate").orElse(Json.mapper().nullNode());
        if (predicate.isArray() && !predicate.isEmpty()) {
            String kind = predicate.get(0).asString("");
            switch (kind) {
                case "user-can-edit" -> where.append(" AND owner_user_id = :user");
                case "name-like" -> {
                    if (predicate.size() < 2 || !predicate.get(1).isString()) {
                        throw ApiError.fieldInvalid("predicate", "[\"name-like\", <pattern>]", null);
                    }
                    // case-insensitive on both engines (SQLite's LIKE is, PostgreSQL's is not)
                    where.append(" AND LOWER(name) LIKE LOWER(:pattern)");
                    binds.put("pattern", predicate.get(1).asString());
                }
                default -> throw ApiError.fieldInvalid("predicate", "one of `user-can-edit`, `name-like`", null);
            }
        } else if (!predicate.isNull() && !predicate.isMissingNode() && !predicate.isArray()) {
            throw ApiError.fieldInvalid("predicate", "an array", null);
        }
        if (caller.appUid().isPresent() && !holds(caller, "apps-of-user:" + caller.user().uuid() + ":read")) {
            Optional<App> self = caller.appUid().flatMap(registry::byUid);
            where.append(" AND (approved_for_listing = 1 OR uid = :app OR app_owner = :appId)");
            binds.put("appId", self.map(App::id).orElse(-1L));
        }
        int limit = args.number("limit").map(n -> (int) Math.max(0, Math.min(MAX_LIMIT, n.asLong()))).orElse(MAX_LIMIT);
        int offset = args.number("offset").map(n -> (int) Math.max(0, Math.min(Integer.MAX_VALUE, n.asLong()))).orElse(0);
        Optional<JsonNode> cursor = args.json("cursor");
        Optional<JsonNode> includeTotal = args.json("includeTotal");
        boolean paged = cursor.isPresent() || includeTotal.isPresent();
        String filter = where.toString();
        if (paged) {
            long after = cursor.filter(c -> !c.isNull()).map(AppsDriver::cursorId).orElse(0L);
            filter += " AND id > :after";
            binds.put("after", after);
            offset = 0;
        }
        Consumer<Query> binder = q -> binds.forEach(q::bind);
        // One row more than the page tells whether another page follows.
        List<App> rows = registry.where(filter, binder, "id", offset, paged ? limit + 1 : limit);
        boolean more = rows.size() > limit;
        List<App> page = rows.subList(0, Math.min(limit, rows.size()));
        List<App> apps = page.stream().filter(a -> visible(caller, a)).toList();
        Map<String, long[]> stats = registry.openStats(apps.stream().map(App::uid).toList());
        OptionalInt size = iconSize(args);
        List<Map<String, Object>> items = apps.stream().map(a -> entity(caller, a, size, stats)).toList();
        if (!paged) {
            return items;
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("items", items);
        if (more && !page.isEmpty()) {
            envelope.put("cursor", java.util.Base64.getEncoder().encodeToString(("{\"id\":" + page.getLast().id() + "}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (includeTotal.map(n -> n.asBoolean(false) || n.asString("").equals("true")).orElse(false)) {
            binds.remove("after");
            envelope.put("total", registry.where(where.toString(), q -> binds.forEach(q::bind), "id", 0, MAX_LIMIT)
                    .stream().filter(a -> visible(caller, a)).count());
        }
        return envelope;
    }

    /** The opaque cursor of a page: base64 of {@code {"id": <last id>}}. */
    private static long cursorId(JsonNode cursor) {
        try {
            JsonNode decoded = Json.mapper().readTree(new String(java.util.Base64.getDecoder().decode(cursor.asString()),
                    java.nio.charset.StandardCharsets.UTF_8));
            if (cursor.isString() && decoded.path("id").isIntegralNumber()) {
                return decoded.get("id").asLong();
            }
        } catch (RuntimeException e) {
            // falls through
        }
        throw ApiError.fieldInvalid("cursor", null, null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The client-safe object (spec 4.3.1, examples.md 3.19)

    private static OptionalInt iconSize(Args args) {
        JsonNode size = args.json("params").map(p -> p.path("icon_size")).orElse(null);
        if (size != null && (size.isIntegralNumber() || size.isString()) && size.asString().matches("\\d{1,3}")
                && AppIcons.SIZES.contains(Integer.parseInt(size.asString()))) {
            return OptionalInt.of(Integer.parseInt(size.asString()));
        }
        return OptionalInt.empty();
    }

    private Map<String, Object> entity(Caller caller, App app, OptionalInt iconSize, Map<String, long[]> stats) {
        String api = registry.apiBaseUrl();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uid", app.uid());
        m.put("icon", iconSize.isPresent() || app.iconStored() ? AppJson.iconUrl(app, api, iconSize) : app.icon());
        m.put("name", app.name());
        m.put("title", app.title());
        app.description().ifPresent(d -> m.put("description", d));
        m.put("metadata", AppJson.metadata(app));
        m.put("maximize_on_start", app.maximizeOnStart());
        m.put("background", app.background());
        m.put("index_url", app.indexUrl());
        m.put("created_at", AppJson.TIMESTAMP.format(app.createdAt()));
        m.put("filetype_associations", app.filetypeAssociations());
        long[] s = stats.getOrDefault(app.uid(), new long[] {0, 0});
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("open_count", s[0]);
        st.put("user_count", s[1]);
        st.put("referral_count", null);
        m.put("stats", st);
        m.put("privateAccess", privateAccess(app, Optional.of(caller.user())));
        m.put("created_from_origin", createdFromOrigin(app));
        app.ownerUserId().flatMap(registry::user).ifPresent(o -> m.put("owner", ownerOf(o)));
        m.put("app_owner", app.appOwner().flatMap(registry::byId).map(o -> {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("uid", o.uid());
            nested.put("name", o.name());
            nested.put("title", o.title());
            return nested;
        }).orElse(null));
        m.put("protected", app.isProtected());
        m.put("is_private", app.isPrivate());
        if (app.ownedBy(caller.user().id())) {
            m.put("approved_for_listing", app.approvedForListing());
            m.put("approved_for_opening_items", app.approvedForOpeningItems());
            m.put("approved_for_incentive_program", app.approvedForIncentiveProgram());
        }
        m.put("godmode", app.godmode());
        return m;
    }

    private static Map<String, Object> ownerOf(User owner) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("username", owner.username());
        o.put("uuid", owner.uuid());
        return o;
    }

    /** The origin of the index URL when the app is that origin's app (its uid derives from it), else {@code ""}. */
    private String createdFromOrigin(App app) {
        try {
            String origin = AppOrigins.origin(app.indexUrl());
            PublicUrls u = urls();
            String canonical = AppOrigins.canonical(origin, hostingDomains(), u == null ? "" : u.domain());
            return AppOrigins.appUid(canonical).equals(app.uid()) ? origin : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Launch entitlement (spec 4.9): public apps for all; private ones per {@link PrivateAppAccess}. */
    Map<String, Object> privateAccess(App app, Optional<User> user) {
        return privateAccessOf(context, app, user);
    }

    static Map<String, Object> privateAccessOf(ServiceContext context, App app, Optional<User> user) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!app.isPrivate()) {
            m.put("hasAccess", true);
            m.put("checkedBy", "core/public-app");
            return m;
        }
        Optional<PrivateAppAccess> policy = context.services().find(PrivateAppAccess.class);
        if (policy.isPresent()) {
            return policy.get().resolveLaunch(app, user);
        }
        if (user.isPresent() && app.ownedBy(user.get().id())) {
            m.put("hasAccess", true);
            m.put("checkedBy", "hearth/app-owner");
            return m;
        }
        m.put("hasAccess", false);
        m.put("fallbackAppName", "app-center");
        m.put("fallbackArgs", Map.of("path", "/app/" + app.name()));
        m.put("reason", "private-access-required");
        m.put("checkedBy", "core/private-launch-access");
        return m;
    }
}
