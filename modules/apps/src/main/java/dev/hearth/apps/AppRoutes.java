package dev.hearth.apps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.HttpAuth;
import dev.hearth.core.User;
import dev.hearth.core.UserActor;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.NodeRef;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import tools.jackson.databind.JsonNode;

/**
 * The {@code app-routes} service: the HTTP routes of apps outside the driver (spec 4.4, 4.6): the caller's apps
 * ({@code /apps}), name checks, lookups by name, launches ({@code /get-launch-apps}, {@code /rao} with the
 * {@code app.opened} socket event), icons ({@code /app-icon}) and {@code /suggest_apps}.
 */
final class AppRoutes implements Service, HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(AppRoutes.class);
    private static final Pattern APP_UID = Pattern.compile("^app-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    static final int RECENT = 10;

    private final ServiceContext context;
    private volatile AppRegistry registry;

    AppRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        registry = context.services().get(AppRegistry.class);
    }

    @Override
    public void routes(Router router) {
        Router api = router.api();
        api.get("/apps/nameAvailable", HttpAuth.userOnly(this::nameAvailable));
        api.get("/apps", HttpAuth.userOnly(this::myApps));
        api.get("/apps/:name", HttpAuth.userOnly(this::appsByName));
        Router platform = router.platform();
        platform.get("/get-launch-apps", HttpAuth.required(this::launchApps));
        platform.post("/rao", HttpAuth.required(this::recordOpen));
        platform.get("/app-icon/:uid", this::icon);
        platform.get("/app-icon/:uid/:size", this::icon);
        platform.post("/suggest_apps", HttpAuth.userOnly(this::suggestApps));
        api.post("/query/app", HttpAuth.userOnly(this::queryApps));
        router.gui().get("/app/:name", this::appPage);
    }

    private static ApiError invalidRequest(String message) {
        return ApiError.of(400, "invalid_request", message);
    }

    private static void requireVerified(User user) {
        if (user.requiresEmailConfirmation() && !user.emailConfirmed()) {
            throw ApiError.of(400, "account_is_not_verified", "Account is not verified");
        }
    }

    private static OptionalInt iconSize(Request req) {
        return req.query("icon_size").filter(s -> s.matches("\\d{1,3}")).map(Integer::parseInt)
                .filter(AppIcons.SIZES::contains).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    /** {@code GET /apps/nameAvailable?name=}. */
    void nameAvailable(Request req, Response res) {
        String name = req.query("name").orElse("");
        if (name.isEmpty()) {
            throw invalidRequest("name query parameter is required");
        }
        int max = AppsSettings.from(context.config()).nameMaxLength();
        if (name.length() > max || !AppsDriver.NAME.matcher(name).matches()) {
            throw invalidRequest("name must match app naming rules (max length: " + max + ")");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("available", !registry.nameTaken(name));
        res.json(out);
    }

    /** {@code GET /apps}: the caller's apps, newest first. */
    void myApps(Request req, Response res) {
        User user = HttpAuth.userActor().user();
        requireVerified(user);
        List<App> apps = registry.where("owner_user_id = :u", q -> q.bind("u", user.id()), "created_at DESC, id DESC",
                0, AppsDriver.MAX_LIMIT);
        Map<String, long[]> stats = registry.openStats(apps.stream().map(App::uid).toList());
        String api = registry.apiBaseUrl();
        List<Map<String, Object>> out = new ArrayList<>();
        for (App a : apps) {
            Map<String, Object> m = new LinkedHashMap<>();
            long[] s = stats.getOrDefault(a.uid(), new long[] {0, 0});
            m.put("uid", a.uid());
            m.put("name", a.name());
            m.put("description", a.description().orElse(null));
            m.put("title", a.title());
            m.put("icon", AppJson.iconUrl(a, api, iconSize(req)));
            m.put("index_url", a.indexUrl());
            m.put("godmode", a.godmode());
            m.put("background", a.background());
            m.put("maximize_on_start", a.maximizeOnStart());
            m.put("filetype_associations", a.filetypeAssociations());
            m.put("open_count", s[0]);
            m.put("user_count", s[1]);
            m.put("referral_count", null);
            m.put("approved_for_incentive_program", a.approvedForIncentiveProgram());
            m.put("created_at", AppJson.TIMESTAMP.format(a.createdAt()));
            out.add(m);
        }
        res.json(out);
    }

    /** {@code GET /apps/:name}, {@code :name} possibly {@code a|b|c}: the apps that exist, in the order asked. */
    void appsByName(Request req, Response res) {
        User user = HttpAuth.userActor().user();
        String api = registry.apiBaseUrl();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : req.pathParam("name").orElse("").split("\\|")) {
            registry.byName(name).filter(a -> !a.isProtected() || a.ownedBy(user.id())).ifPresent(a -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("uuid", a.uid());
                m.put("name", a.name());
                m.put("title", a.title());
                m.put("icon", AppJson.iconUrl(a, api, iconSize(req)));
                m.put("godmode", a.godmode());
                m.put("background", a.background());
                m.put("maximize_on_start", a.maximizeOnStart());
                m.put("index_url", a.indexUrl());
                m.put("privateAccess", AppsDriver.privateAccessOf(context, a, Optional.of(user)));
                out.add(m);
            });
        }
        res.json(out);
    }

    /** {@code GET /get-launch-apps}: the built-in listed apps, and the user's last opened ones. */
    void launchApps(Request req, Response res) {
        User user = HttpAuth.actor().actingUser().orElseThrow(ApiError::forbidden);
        OptionalInt size = iconSize(req);
        String api = registry.apiBaseUrl();
        List<Map<String, Object>> recommended = registry.where("owner_user_id IS NULL AND approved_for_listing = 1",
                q -> {}, "id", 0, AppsDriver.MAX_LIMIT).stream().map(a -> AppJson.launchItem(a, api, size)).toList();
        List<Map<String, Object>> recent = new ArrayList<>();
        for (String uid : registry.recentlyOpened(user.id(), RECENT)) {
            registry.byUid(uid).filter(a -> !a.isProtected() || a.ownedBy(user.id()))
                    .ifPresent(a -> recent.add(AppJson.launchItem(a, api, size)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recommended", recommended);
        out.put("recent", recent);
        res.json(out);
    }

    /**
     * {@code POST /rao}: records that the user opened an app (a user names it, an app records itself) and tells the
     * user's other sockets ({@code app.opened}). Hearth takes any {@code app-<uuid>}, so origin apps (uuid v5)
     * count too.
     */
    void recordOpen(Request req, Response res) {
        Actor actor = HttpAuth.actor();
        String uid;
        User user;
        switch (actor) {
            case UserActor u -> {
                user = u.user();
                JsonNode given = req.jsonTree().get("app_uid");
                uid = given != null && given.isString() ? given.asString() : "";
                if (!APP_UID.matcher(uid).matches()) {
                    throw ApiError.of(400, "invalid_app_uid", "Invalid app uid");
                }
            }
            case AppUnderUserActor a -> {
                user = a.user();
                uid = a.appUid();
            }
            default -> throw ApiError.forbidden();
        }
        App app = registry.byUid(uid).orElseThrow(() -> ApiError.of(422, "app_does_not_exist",
                "App `" + uid + "` does not exist.").with("identifier", uid));
        registry.recordOpen(app.uid(), user.id());
        Map<String, Object> response = AppJson.launchItem(app, registry.apiBaseUrl(), OptionalInt.empty());
        response.put("uid", app.uid());
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : List.of("uuid", "uid", "name", "title", "icon", "godmode", "maximize_on_start", "index_url")) {
            ordered.put(k, response.get(k));
        }
        ordered.put("original_client_socket_id", Context.current().flatMap(Context::socketId).orElse(null));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("user_id_list", List.of(user.id()));
        event.put("response", ordered);
        context.events().emit("outer.gui.app.opened", event);
        res.json(Map.of());
    }

    /** {@code GET /app-icon/:uid[/:size]} (no auth): the stored icon, else a generated one. */
    void icon(Request req, Response res) throws IOException {
        String raw = req.pathParam("size").orElse(String.valueOf(AppIcons.DEFAULT_SIZE));
        if (!raw.matches("\\d{1,3}") || !AppIcons.SIZES.contains(Integer.parseInt(raw))) {
            res.status(400).text("Invalid size");
            return;
        }
        int size = Integer.parseInt(raw);
        String given = req.pathParam("uid").orElse("");
        given = given.startsWith("app-") ? given : "app-" + given;
        // Only a well-formed uid reaches the lookup and the file name of the response.
        String uid = given.matches("app-[0-9a-zA-Z-]{1,64}") ? given : "app-icon";
        AppIcons icons = registry.icons();
        Optional<App> app = registry.byUid(uid);
        Optional<AppIcons.Icon> icon = Optional.empty();
        if (app.isPresent() && app.get().iconStored()) {
            icon = icons.stored(uid, size);
        } else if (app.isPresent() && app.get().icon().startsWith("data:")) {
            icon = migrate(app.get(), size);
        }
        AppIcons.Icon out = icon.orElseGet(() -> icons.fallback(size));
        res.header("Cache-Control", "public, max-age=3600");
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Content-Security-Policy", AppIcons.SECURITY_POLICY);
        res.header("Content-Disposition", "inline; filename=\"" + uid + "-" + size
                + (out.contentType().equals("image/svg+xml") ? ".svg" : ".png") + "\"");
        res.bytes(out.contentType(), out.bytes());
    }

    /** An icon still inline in its row (imported data): stored now, the row then points at it. */
    private Optional<AppIcons.Icon> migrate(App app, int size) throws IOException {
        try {
            registry.icons().store(app.uid(), registry.icons().decode(app.icon()));
            registry.update(app, Map.of("icon", AppIcons.marker(app.uid())), Optional.empty());
            return registry.icons().stored(app.uid(), size);
        } catch (ApiError unusable) {
            LOG.debug("app {}: its inline icon is not an image, serving the default one", app.uid());
            return Optional.empty();
        }
    }

    /**
     * {@code POST /query/app}: apps by selector, in the order asked: {@code app-<uuid>}, a name, {@code tag:<tag>[:n]}
     * (listed apps with that tag, by age); {@code collection:<name>[:n]} finds nothing, Hearth has no collections.
     * Protected apps only for their owner.
     */
    void queryApps(Request req, Response res) {
        User user = HttpAuth.userActor().user();
        requireVerified(user);
        JsonNode body = req.jsonTree();
        if (!body.isArray()) {
            throw ApiError.fieldInvalid("body", "an array of selectors", null);
        }
        Map<String, App> found = new LinkedHashMap<>();
        for (JsonNode selector : body) {
            String s = selector.isString() ? selector.asString() : "";
            List<App> apps;
            if (s.startsWith("tag:")) {
                String[] parts = s.split(":", 3);
                int n = parts.length == 3 && parts[2].matches("\\d{1,4}") ? Integer.parseInt(parts[2]) : AppsDriver.MAX_LIMIT;
                String tag = parts[1];
                apps = registry.where("approved_for_listing = 1 AND tags IS NOT NULL", q -> {}, "created_at, id", 0,
                        AppsDriver.MAX_LIMIT).stream().filter(a -> a.tags().map(t -> List.of(t.split(",")).stream()
                                .map(String::strip).anyMatch(tag::equals)).orElse(false)).limit(n).toList();
            } else if (s.startsWith("collection:") || s.isEmpty()) {
                apps = List.of();
            } else {
                apps = (s.startsWith("app-") ? registry.byUid(s) : registry.byName(s)).stream().toList();
            }
            apps.stream().filter(a -> !a.isProtected() || a.ownedBy(user.id()))
                    .forEach(a -> found.putIfAbsent(a.uid(), a));
        }
        Map<String, long[]> stats = registry.openStats(found.keySet());
        List<Map<String, Object>> out = new ArrayList<>();
        for (App a : found.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uuid", a.uid());
            m.put("name", a.name());
            m.put("title", a.title());
            m.put("description", a.description().orElse(null));
            m.put("metadata", AppJson.metadata(a));
            m.put("tags", a.tags().map(t -> List.of(t.split(",")).stream().map(String::strip)
                    .filter(x -> !x.isEmpty()).toList()).orElse(List.of()));
            m.put("created", AppJson.TIMESTAMP.format(a.createdAt()));
            m.put("associations", a.filetypeAssociations());
            m.put("user_count", stats.getOrDefault(a.uid(), new long[] {0, 0})[1]);
            m.put("referral_count", null);
            out.add(m);
        }
        res.json(out);
    }

    /**
     * {@code GET /app/<name>} on the main domain (no auth): a page naming the app, with its title, description and
     * icon as page metadata (link previews); unknown and protected apps are {@code 404}. Hearth serves no desktop, so
     * the page is only that; every value is HTML-escaped.
     */
    void appPage(Request req, Response res) {
        Optional<App> app = registry.byNameFollowingRenames(req.pathParam("name").orElse(""))
                .filter(a -> !a.isProtected());
        if (app.isEmpty()) {
            res.status(404).html("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>App not found</title></head>"
                    + "<body><p>App not found.</p></body></html>");
            return;
        }
        App a = app.get();
        String title = escape(a.title());
        String description = escape(a.description().orElse(""));
        String icon = escape(AppJson.iconUrl(a, registry.apiBaseUrl(), OptionalInt.of(512)));
        res.header("Content-Security-Policy", "default-src 'none'; img-src *; style-src 'unsafe-inline'");
        res.html("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
                + "<meta name=\"description\" content=\"" + description + "\">"
                + "<meta property=\"og:title\" content=\"" + title + "\">"
                + "<meta property=\"og:description\" content=\"" + description + "\">"
                + "<meta property=\"og:image\" content=\"" + icon + "\"><link rel=\"icon\" href=\"" + icon + "\">"
                + "</head><body><h1>" + title + "</h1><p>" + description + "</p></body></html>");
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code POST /suggest_apps}: the apps for an entry the user can read. */
    void suggestApps(Request req, Response res) {
        User user = HttpAuth.userActor().user();
        FsUser fsUser = new FsUser(user.id(), user.username());
        JsonNode body = req.jsonTree();
        JsonNode uid = body.get("uid");
        NodeRef ref = uid != null && uid.isString() ? NodeRef.parse("uid", uid.asString(), user.username())
                : NodeRef.parse("path", body.path("path").isString() ? body.get("path").asString() : null,
                        user.username());
        var entry = context.services().get(Filesystem.class).stat(fsUser, ref);
        res.json(context.services().get(AppLookup.class).suggest(user.id(), entry.name(), entry.isDir()).stream()
                .map(s -> s.row()).toList());
    }
}
