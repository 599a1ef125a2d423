package dev.hearth.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.spi.AppDirectory;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import dev.hearth.web.WebServer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The {@code tokens-http} service: login sessions, app tokens, access tokens (spec 2.6), permission grants and
 * queries (3.8, 3.9) and groups (3.10) over HTTP.
 */
final class TokenRoutes implements Service, HttpService {

    static final String APP_AUTHENTICATED = "flag:app-is-authenticated";

    private final ServiceContext context;
    private volatile Sessions sessions;
    private volatile Tokens tokens;
    private volatile Permissions permissions;
    private volatile AccessTokens accessTokens;
    private volatile Groups groups;
    private volatile AntiCsrfTokens antiCsrf;

    TokenRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        sessions = context.services().get(Sessions.class);
        tokens = context.services().get(Tokens.class);
        permissions = context.services().get(Permissions.class);
        accessTokens = context.services().get(AccessTokens.class);
        groups = context.services().get(Groups.class);
        antiCsrf = context.services().get(AntiCsrfTokens.class);
    }

    @Override
    public void routes(Router router) {
        Router api = router.api();
        api.get("/auth/list-sessions", HttpAuth.userOnly(this::listSessions));
        api.post("/auth/revoke-session", HttpAuth.userOnly(this::revokeSession));
        api.post("/auth/get-user-app-token", HttpAuth.userOnly(this::userAppToken));
        api.post("/auth/app-uid-from-origin", HttpAuth.required(this::appUidFromOrigin));
        api.get("/auth/app-uid-from-origin", HttpAuth.required(this::appUidFromOrigin));
        api.post("/auth/check-app", HttpAuth.userOnly(this::checkApp));
        api.post("/auth/create-access-token", HttpAuth.required(this::createAccessToken));
        api.post("/auth/revoke-access-token", HttpAuth.required(this::revokeAccessToken));
        api.post("/auth/check-permissions", HttpAuth.required(this::checkPermissions));
        api.get("/auth/list-permissions", HttpAuth.userOnly(this::listPermissions));
        api.post("/auth/grant-user-user", HttpAuth.userOnly(this::grantUserUser));
        api.post("/auth/revoke-user-user", HttpAuth.userOnly(this::revokeUserUser));
        api.post("/auth/grant-user-group", HttpAuth.userOnly(this::grantUserGroup));
        api.post("/auth/revoke-user-group", HttpAuth.userOnly(this::revokeUserGroup));
        api.post("/auth/grant-user-app", HttpAuth.userOnly(this::grantUserApp));
        api.post("/auth/revoke-user-app", HttpAuth.userOnly(this::revokeUserApp));
        api.post("/auth/grant-dev-app", HttpAuth.userOnly(this::grantDevApp));
        api.post("/auth/revoke-dev-app", HttpAuth.userOnly(this::revokeDevApp));
        Router platform = router.platform();
        platform.post("/group/create", HttpAuth.required(this::createGroup));
        platform.post("/group/add-users", HttpAuth.required(this::addUsers));
        platform.post("/group/remove-users", HttpAuth.required(this::removeUsers));
        platform.get("/group/list", HttpAuth.required(this::listGroups));
        platform.get("/group/public-groups", HttpAuth.required((req, res) -> res.json(groups.publicGroups())));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sessions (2.6.3, 2.6.4)

    private void listSessions(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Session s : sessions.list(actor.user().id())) {
            Map<String, Object> meta = new LinkedHashMap<>(s.meta());
            meta.put("last_activity", s.lastActivity().toString());
            Map<String, Object> entry = HttpReplies.object("uuid", s.uuid(), "meta", meta);
            if (actor.session().map(s.uuid()::equals).orElse(false)) {
                entry.put("current", true);
            }
            out.add(entry);
        }
        res.json(out);
    }

    private void revokeSession(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        JsonNode body = req.jsonTree();
        if (!antiCsrf.consume(actor.user(), AccountRoutes.text(body, "anti_csrf").orElse(""))) {
            res.status(400).json(HttpReplies.object("message", "incorrect anti-CSRF token"));
            return;
        }
        JsonNode uuid = body.get("uuid");
        if (uuid == null || !uuid.isString()) {
            throw ApiError.fieldInvalid("uuid", "string", null);
        }
        sessions.revoke(actor.user(), uuid.asString()); // not the caller's: nothing happens, and nothing is said
        res.json(Map.of());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // App tokens (2.6.5–2.6.7)

    /** The app a request names with {@code app_uid} or {@code origin}. */
    private String appUid(JsonNode body, String missingKey) {
        Optional<String> uid = AccountRoutes.text(body, "app_uid");
        if (uid.isPresent()) {
            return uid.get();
        }
        Optional<String> origin = AccountRoutes.text(body, "origin");
        if (origin.isEmpty()) {
            throw ApiError.fieldMissing(missingKey);
        }
        return uidOfOrigin(origin.get());
    }

    private String uidOfOrigin(String url) {
        String origin = AppOrigins.origin(url);
        List<String> hosting = context.services().find(WebServer.class).map(w -> List.of(
                w.urls().staticHostingDomain(), w.urls().staticHostingDomainAlt(), w.urls().privateAppHostingDomain(),
                w.urls().privateAppHostingDomainAlt())).orElse(List.of());
        String domain = context.services().find(WebServer.class).map(w -> w.urls().domain()).orElse("");
        return AppOrigins.appUid(AppOrigins.canonical(origin, hosting, domain));
    }

    private void requireKnownApp(String appUid) {
        Optional<AppDirectory> apps = context.services().find(AppDirectory.class);
        if (apps.isPresent() && apps.get().appByUid(appUid).isEmpty()) {
            throw ApiError.of(422, "app_does_not_exist", "App `" + appUid + "` does not exist.")
                    .with("identifier", appUid);
        }
    }

    private void userAppToken(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        JsonNode body = req.jsonTree();
        boolean byUid = AccountRoutes.text(body, "app_uid").isPresent();
        String app = appUid(body, "app_uid or origin");
        if (byUid) {
            requireKnownApp(app);
        } else {
            context.services().find(AppDirectory.class).ifPresent(d -> d.bootstrapFromOrigin(app,
                    AppOrigins.origin(AccountRoutes.text(body, "origin").orElseThrow())));
        }
        String token = tokens.issueAppUnderUser(actor.user().uuid(), app, actor.session());
        context.services().find(AppDirectory.class).ifPresent(d -> d.appAuthorized(actor.user(), app));
        try {
            permissions.grantUserToApp(actor, app, APP_AUTHENTICATED, Map.of());
        } catch (ApiError e) {
            // An origin's app that the app registry has not recorded yet: the token still names it.
        }
        res.json(HttpReplies.object("token", token, "app_uid", app));
    }

    private void appUidFromOrigin(Request req, Response res) {
        Optional<String> origin = req.method().equals("GET") ? req.query("origin")
                : AccountRoutes.text(req.jsonTree(), "origin").or(() -> req.query("origin"));
        res.json(HttpReplies.object("uid", uidOfOrigin(origin.filter(o -> !o.isEmpty())
                .orElseThrow(() -> ApiError.fieldMissing("origin")))));
    }

    private void checkApp(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        String app = appUid(req.jsonTree(), "app_uid or origin");
        requireKnownApp(app);
        boolean authenticated = permissions.check(new AppUnderUserActor(actor.user(), app, actor.session()),
                APP_AUTHENTICATED);
        Map<String, Object> out = new LinkedHashMap<>();
        if (authenticated) {
            out.put("token", tokens.issueAppUnderUser(actor.user().uuid(), app, actor.session()));
        }
        out.put("app_uid", app);
        out.put("authenticated", authenticated);
        res.json(out);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Access tokens (2.6.8)

    private void createAccessToken(Request req, Response res) {
        Actor actor = HttpAuth.actor();
        if (!(actor instanceof UserActor) && !(actor instanceof AppUnderUserActor)) {
            throw ApiError.forbidden();
        }
        JsonNode body = req.jsonTree();
        JsonNode list = body.get("permissions");
        if (list == null || list.isNull() || list.isArray() && list.isEmpty()) {
            throw ApiError.fieldMissing("permissions");
        }
        if (!list.isArray()) {
            throw ApiError.fieldInvalid("permissions", null, null);
        }
        List<AccessTokens.Requested> requested = new ArrayList<>();
        for (JsonNode p : list) {
            if (p.isString()) {
                requested.add(AccessTokens.Requested.of(p.asString()));
            } else if (p.isArray() && (p.size() == 1 || p.size() == 2) && p.get(0).isString()
                    && (p.size() == 1 || p.get(1).isObject())) {
                Map<String, Object> extra = p.size() == 2 ? Json.mapper().convertValue(p.get(1),
                        new TypeReference<Map<String, Object>>() {}) : Map.of();
                requested.add(new AccessTokens.Requested(p.get(0).asString(), extra));
            } else {
                throw ApiError.fieldInvalid("permissions", null, null);
            }
        }
        JsonNode expires = body.get("expiresIn");
        Object expiresIn = expires == null || expires.isNull() ? null
                : expires.isNumber() ? (Object) expires.numberValue() : expires.isString() ? expires.asString() : expires;
        res.json(HttpReplies.object("token",
                accessTokens.create(actor, requested, AccessTokens.parseExpiresIn(expiresIn))));
    }

    private void revokeAccessToken(Request req, Response res) {
        JsonNode value = req.jsonTree().get("tokenOrUuid");
        accessTokens.revoke(HttpAuth.actor(), value == null || !value.isString() ? null : value.asString());
        res.json(HttpReplies.object("ok", true));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Permissions (3.8, 3.9)

    private void checkPermissions(Request req, Response res) {
        Actor actor = HttpAuth.actor();
        JsonNode list = req.jsonTree().get("permissions");
        if (list == null || !list.isArray()) {
            throw ApiError.fieldInvalid("permissions", "an array of strings", null);
        }
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        for (JsonNode p : list) {
            if (!p.isString()) {
                throw ApiError.fieldInvalid("permissions", "an array of strings", null);
            }
            wanted.add(p.asString());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String p : wanted) {
            boolean held;
            try {
                held = permissions.check(actor, p);
            } catch (ApiError e) {
                held = false; // a permission that does not parse is not held
            }
            out.put(p, held);
        }
        res.json(HttpReplies.object("permissions", out));
    }

    private void listPermissions(Request req, Response res) {
        Permissions.Listing listing = permissions.list(HttpAuth.userActor().user());
        Optional<AppDirectory> apps = context.services().find(AppDirectory.class);
        res.json(HttpReplies.object(
                "myself_to_app", listing.myselfToApp().stream().map(g -> HttpReplies.object("app",
                        apps.flatMap(d -> d.appByUid(g.party())).<Object>map(a -> HttpReplies.object("uid", a.uid(),
                                "name", a.name())).orElse(HttpReplies.object("uid", g.party())),
                        "permission", g.permission(), "extra", g.extra())).toList(),
                "myself_to_user", listing.myselfToUser().stream().map(g -> HttpReplies.object("user", g.party(),
                        "permission", g.permission(), "extra", g.extra())).toList(),
                "user_to_myself", listing.userToMyself().stream().map(g -> HttpReplies.object("user", g.party(),
                        "permission", g.permission(), "extra", g.extra())).toList()));
    }

    /** The required string fields of a grant: all missing → {@code fields_missing}. */
    private static Map<String, String> fields(JsonNode body, String... keys) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String k : keys) {
            JsonNode n = body.get(k);
            if (n == null || n.isNull()) {
                missing.add(k);
            } else if (!n.isString()) {
                invalid.add(k);
            } else {
                out.put(k, n.asString());
            }
        }
        if (!missing.isEmpty()) {
            throw ApiError.of(400, "fields_missing", "The following fields are required but missing: "
                    + String.join(", ", missing.stream().map(k -> "`" + k + "`").toList()) + ".").with("keys", missing);
        }
        if (!invalid.isEmpty()) {
            throw ApiError.of(400, "fields_invalid", "The following validation errors occurred: "
                    + String.join(", ", invalid.stream().map(k -> "`" + k + "` must be a string").toList()) + ".")
                    .with("errors", invalid);
        }
        return out;
    }

    private static Map<String, Object> extra(JsonNode body) {
        JsonNode e = body.get("extra");
        if (e == null || e.isNull()) {
            return Map.of();
        }
        if (!e.isObject()) {
            throw ApiError.fieldInvalid("extra", "an object", null);
        }
        return Json.mapper().convertValue(e, new TypeReference<Map<String, Object>>() {});
    }

    private void grantUserUser(Request req, Response res) {
        JsonNode body = req.jsonTree();
        Map<String, String> f = fields(body, "target_username", "permission");
        permissions.grantUserToUser(HttpAuth.userActor(), f.get("target_username"), f.get("permission"), extra(body));
        res.json(Map.of());
    }

    private void revokeUserUser(Request req, Response res) {
        JsonNode body = req.jsonTree();
        if (AccountRoutes.text(body, "target_username").isEmpty()) {
            throw ApiError.fieldMissing("target_username");
        }
        Map<String, String> f = fields(body, "target_username", "permission");
        permissions.revokeUserToUser(HttpAuth.userActor(), f.get("target_username"), f.get("permission"));
        res.json(Map.of());
    }

    private void grantUserGroup(Request req, Response res) {
        JsonNode body = req.jsonTree();
        Map<String, String> f = fields(body, "group_uid", "permission");
        permissions.grantUserToGroup(HttpAuth.userActor(), f.get("group_uid"), f.get("permission"), extra(body));
        res.json(Map.of());
    }

    private void revokeUserGroup(Request req, Response res) {
        JsonNode body = req.jsonTree();
        for (String k : List.of("group_uid", "permission")) {
            if (AccountRoutes.text(body, k).isEmpty()) {
                throw ApiError.fieldMissing(k);
            }
        }
        permissions.revokeUserToGroup(HttpAuth.userActor(), body.get("group_uid").asString(),
                body.get("permission").asString());
        res.json(Map.of());
    }

    private String grantApp(JsonNode body) {
        String app = appUid(body, "app_uid");
        if (AccountRoutes.text(body, "permission").isEmpty()) {
            throw ApiError.fieldMissing("permission");
        }
        return app;
    }

    private void grantUserApp(Request req, Response res) {
        JsonNode body = req.jsonTree();
        String app = grantApp(body);
        permissions.grantUserToApp(HttpAuth.userActor(), app, body.get("permission").asString(), extra(body));
        res.json(Map.of());
    }

    private void revokeUserApp(Request req, Response res) {
        JsonNode body = req.jsonTree();
        String app = grantApp(body);
        permissions.revokeUserToApp(HttpAuth.userActor(), app, body.get("permission").asString());
        res.json(Map.of());
    }

    private void grantDevApp(Request req, Response res) {
        JsonNode body = req.jsonTree();
        String app = grantApp(body);
        permissions.grantDevToApp(HttpAuth.userActor(), app, body.get("permission").asString(), extra(body));
        res.json(Map.of());
    }

    private void revokeDevApp(Request req, Response res) {
        JsonNode body = req.jsonTree();
        String app = grantApp(body);
        permissions.revokeDevToApp(HttpAuth.userActor(), app, body.get("permission").asString());
        res.json(Map.of());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Groups (3.10)

    private static Map<String, Object> object(JsonNode body, String key) {
        JsonNode n = body.get(key);
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw ApiError.fieldInvalid(key, "an object", null);
        }
        return Json.mapper().convertValue(n, new TypeReference<Map<String, Object>>() {});
    }

    private void createGroup(Request req, Response res) {
        JsonNode body = req.jsonTree();
        object(body, "extra");
        try {
            res.json(HttpReplies.object("uid", groups.create(HttpAuth.actor(), object(body, "metadata"))));
        } catch (ApiError e) {
            if (e.status() != 429) {
                throw e;
            }
            HttpReplies.tooManyRequests(res, java.time.Duration.ofSeconds(
                    e.fields().get("retry_after") instanceof Number n ? n.longValue() : 3600));
        }
    }

    private record Members(String uid, List<String> users) {}

    private static Members members(JsonNode body) {
        String uid = AccountRoutes.text(body, "uid").orElseThrow(() -> ApiError.fieldMissing("uid"));
        JsonNode users = body.get("users");
        if (users == null || !users.isArray()) {
            throw ApiError.fieldInvalid("users", "array", null);
        }
        for (int i = 0; i < users.size(); i++) {
            if (!users.get(i).isString()) {
                throw ApiError.fieldInvalid("users[" + i + "]", "string", null);
            }
        }
        return new Members(uid, AccountRoutes.strings(users));
    }

    private void requireGroup(String uid) {
        if (groups.find(uid).isEmpty()) {
            throw AccountErrors.entityNotFound("group:" + uid);
        }
    }

    private void addUsers(Request req, Response res) {
        Members m = members(req.jsonTree());
        requireGroup(m.uid());
        groups.addUsers(HttpAuth.actor(), m.uid(), m.users());
        res.json(Map.of());
    }

    private void removeUsers(Request req, Response res) {
        Members m = members(req.jsonTree());
        requireGroup(m.uid());
        groups.removeUsers(HttpAuth.actor(), m.uid(), m.users());
        res.json(Map.of());
    }

    private void listGroups(Request req, Response res) {
        User user = HttpAuth.actor().actingUser().orElseThrow(ApiError::forbidden);
        Groups.Listing listing = groups.list(user);
        res.json(HttpReplies.object(
                "owned_groups", listing.owned().stream().map(TokenRoutes::group).toList(),
                "in_groups", listing.memberOf().stream().map(TokenRoutes::group).toList(),
                "public_groups", listing.publicGroups().stream().map(g -> HttpReplies.object("uid", g.uid(),
                        "metadata", g.metadata())).toList()));
    }

    private static Map<String, Object> group(Group g) {
        return HttpReplies.object("uid", g.uid(), "metadata", g.metadata(), "members", g.members());
    }
}
