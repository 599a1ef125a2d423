package dev.hearth.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.core.Actor;
import dev.hearth.core.HttpAuth;
import dev.hearth.core.User;
import dev.hearth.fs.spi.HostedSites;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.ByteSource;
import dev.hearth.web.Handler;
import dev.hearth.web.HttpService;
import dev.hearth.web.MultipartReader;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code filesystem-routes} service: the legacy filesystem routes of filesystem.md section 3 on the API host,
 * translating parameters into the {@link Filesystem}'s requests and its results into upstream's bodies.
 *
 * <p>Who acts: the request's actor ({@link HttpAuth}); the filesystem is called with the actor's user as
 * {@link FsUser}, and its access check ({@link ActorAccess}) asks the accounts' ACL with the actor itself, so an app
 * token is held to its AppData and an access token to its permissions.
 */
final class FilesystemRoutes implements Service, HttpService {

    /**
     * Text fields of an upload are small; a bigger one is refused rather than buffered. 4 MiB, so that every
     * thumbnail the SDK sends (up to 2 MiB) fits in a {@code fileinfo} (filesystem.md 4.3).
     */
    static final int MAX_FIELD = 4 << 20;

    private final ServiceContext context;
    private volatile Filesystem fs;
    private volatile FsSigned signed;
    private volatile OpenItem openItem;
    /** {@code last_change_timestamp} per user id, from this instance's {@code cache.updated} events. */
    private final java.util.concurrent.ConcurrentHashMap<Long, Long> lastChange = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int maxNameLength = FsNames.DEFAULT_MAX_LENGTH;

    FilesystemRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        fs = context.services().get(Filesystem.class);
        maxNameLength = fs.maxNameLength();
        signed = new FsSigned(context, fs);
        openItem = new OpenItem(fs, signed, context.services().find(dev.hearth.fs.spi.AppSuggestions.class),
                context.services().get(dev.hearth.core.Permissions.class),
                context.services().get(dev.hearth.core.Tokens.class));
        context.events().on("outer.gui.cache.updated", (key, data, meta) -> {
            if (data instanceof Map<?, ?> m && m.get("user_id_list") instanceof List<?> users
                    && m.get("response") instanceof Map<?, ?> r && r.get("timestamp") instanceof Long ts) {
                users.forEach(u -> lastChange.merge(((Number) u).longValue(), ts, Math::max));
            }
        });
    }

    @Override
    public void routes(Router router) {
        Router api = router.api();
        api.post("/stat", guarded(this::stat));
        api.get("/stat", guarded(this::stat));
        api.post("/readdir", guarded(this::readdir));
        api.post("/fs/readdir", guarded(this::readdirV2));
        api.get("/fs/readdir", guarded(this::readdirV2));
        api.post("/mkdir", guarded(this::mkdir));
        api.post("/write", guarded(this::write));
        api.post("/up", guarded(this::write));
        api.get("/read", guarded(this::read));
        api.post("/delete", guarded(this::delete));
        api.post("/move", guarded(this::move));
        api.post("/rename", guarded(this::rename));
        api.post("/copy", guarded(this::copy));
        api.post("/batch", guarded((req, res) -> new FsBatch(fs, user()).handle(req, res)));
        api.post("/sign", guarded((req, res) -> signed.sign(req, res)));
        api.get("/file", plain((req, res) -> signed.file(req, res)));
        api.get("/itemMetadata", plain((req, res) -> signed.itemMetadata(req, res)));
        api.post("/writeFile", plain((req, res) -> signed.writeFile(req, res)));
        api.get("/token-read", plain((req, res) -> signed.tokenRead(req, res)));
        api.post("/search", guarded(this::search));
        api.post("/touch", HttpAuth.userOnly(plain((req, res) -> {
            FsUser user = user();
            JsonNode p = params(req);
            fs.touch(user, node(p, "path", user), truthy(p, "set_accessed_to_now"), truthy(p, "set_modified_to_now"));
            res.json(Map.of());
        })));
        api.post("/open_item", HttpAuth.userOnly(plain(this::openItem)));
        api.post("/down", HttpAuth.userOnly(plain(this::down)));
        api.post("/set_layout", HttpAuth.userOnly(plain(this::setLayout)));
        api.post("/set_sort_by", HttpAuth.userOnly(plain(this::setSortBy)));
        api.post("/update-fsentry-thumbnail", guarded(this::updateThumbnail));
        api.post("/readdir-subdomains", guarded(this::readdirSubdomains));
        api.get("/cache/last-change-timestamp", guarded((req, res) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("timestamp", lastChange.get(user().id()));
            res.json(out);
        }));
        api.post("/df", HttpAuth.userOnly(plain(this::df)));
        api.get("/df", HttpAuth.userOnly(plain(this::df)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Plumbing

    /** A body that is not an {@link ApiError}: upstream's bare {@code {"message"}} and text answers. */
    static final class Reply extends RuntimeException {
        final int status;
        final Object body;

        Reply(int status, Object body) {
            super(null, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    /**
     * An authenticated route; a JSON body's {@code original_client_socket_id} goes into the request context, where the
     * filesystem's events take it from.
     */
    private static Handler guarded(Handler h) {
        Handler inner = plain(h);
        return HttpAuth.required((req, res) -> {
            Optional<String> socket = req.isJson() && !req.method().equals("GET")
                    ? string(params(req), "original_client_socket_id").filter(s -> !s.isEmpty() && !s.equals("undefined"))
                    : Optional.empty();
            if (socket.isPresent() && dev.hearth.kernel.Context.current().isPresent()) {
                dev.hearth.kernel.Context.current().get().withSocketId(socket.get()).call(() -> {
                    inner.handle(req, res);
                    return null;
                });
            } else {
                inner.handle(req, res);
            }
        });
    }

    private static Handler plain(Handler h) {
        return (req, res) -> {
            try {
                h.handle(req, res);
            } catch (Reply r) {
                res.status(r.status);
                if (r.body instanceof String s) {
                    res.text(s);
                } else {
                    res.json(r.body);
                }
            }
        };
    }

    /** The actor's user: the one whose files these are. Sites and the system act for no user. */
    static FsUser user() {
        Actor actor = HttpAuth.actor();
        User u = actor.actingUser().orElseThrow(ApiError::forbidden);
        return new FsUser(u.id(), u.username());
    }

    /** The parameters: the query of a {@code GET}, the JSON body otherwise (an empty body is {@code {}}). */
    static JsonNode params(Request req) {
        if (req.method().equals("GET") || req.method().equals("HEAD")) {
            ObjectNode o = Json.mapper().createObjectNode();
            req.queryParams().forEach(o::put);
            return o;
        }
        JsonNode tree = req.jsonTree();
        return tree == null || !tree.isObject() ? Json.mapper().createObjectNode() : tree;
    }

    /** A string parameter; a non-string value is kept as its JSON text (then refused by the node rules). */
    static Optional<String> string(JsonNode p, String key) {
        JsonNode v = p.get(key);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(v.isString() ? v.asString() : v.toString());
    }

    /** JavaScript truthiness of a body value. */
    static boolean truthy(JsonNode p, String key) {
        JsonNode v = p.get(key);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.asDouble() != 0;
        }
        if (v.isString()) {
            return !v.asString().isEmpty();
        }
        return true;
    }

    /** A strict flag (readdir's {@code no_thumbs}...): booleans and their usual spellings, else {@code field_invalid}. */
    static boolean flag(JsonNode p, String key) {
        JsonNode v = p.get(key);
        if (v == null || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isString()) {
            Optional<Boolean> b = flagValue(v.asString());
            if (b.isPresent()) {
                return b.get();
            }
        }
        throw ApiError.fieldInvalid(key, "boolean", v.isNull() ? "null" : v.isString() ? v.asString() : v.toString());
    }

    static Optional<Boolean> flagValue(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> Optional.of(true);
            case "false", "0", "no" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** The node named by the first present alias ({@code uid} beats {@code path} beats the key itself). */
    static NodeRef node(JsonNode p, String key, FsUser user, String... aliases) {
        String value = null;
        for (String alias : aliases) {
            Optional<String> v = string(p, alias);
            if (v.isPresent()) {
                value = v.get();
                break;
            }
        }
        if (value == null) {
            value = string(p, key).orElse(null);
        }
        return NodeRef.parse(key, value, user.username());
    }

    static ClientMetadata client(JsonNode p) {
        return new ClientMetadata(string(p, "socket_id").filter(s -> !s.equals("undefined")),
                string(p, "operation_id"), string(p, "item_upload_id"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    void stat(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = node(p, "subject", user, "uid", "path");
        Entry e = fs.stat(user, ref);
        Map<String, Object> m = fs.describeShortcut(e, SafeEntry.of(e, user, false));
        if (e.userId() != user.id()) {
            m.put("writable", fs.allows(user, e, dev.hearth.fs.spi.FsAccess.Mode.WRITE));
        }
        m.put("is_empty", e.isDir() ? fs.isEmpty(e) : true);
        m.put("owner", Map.of("username", e.ownerUsername()));
        m.put("type", fs.mediaType(e).orElse(null));
        if (truthy(p, "return_subdomains") && e.isDir()) {
            List<Object> listed = siteList(hostedSites(e.userId(), List.of(e.uuid())).getOrDefault(e.uuid(), List.of()));
            m.put("subdomains", listed);
            m.put("has_website", !listed.isEmpty());
        }
        if (truthy(p, "return_size") && e.isDir()) {
            m.put("size", fs.sizeOf(e).orElse(null));
        }
        Map<String, Object> out = FsJson.ordered(m, FsJson.STAT);
        if (truthy(p, "return_versions")) {
            out.put("versions", List.of());
        }
        if (truthy(p, "return_shares") || truthy(p, "return_permissions")) {
            out.put("shares", shares(e));
        }
        res.json(out);
    }

    /**
     * {@code shares} of {@code /stat}: the owner's grants on the entry, to users and to apps, each once with its real
     * access ({@code manage} only for {@code manage:fs:<uid>} grants).
     */
    private Map<String, Object> shares(Entry e) {
        List<Object> users = new ArrayList<>();
        List<Object> apps = new ArrayList<>();
        var accounts = context.services().get(dev.hearth.core.Users.class);
        Optional<User> owner = accounts.byId(e.userId());
        if (owner.isPresent()) {
            var listing = context.services().get(dev.hearth.core.Permissions.class).list(owner.get());
            for (var g : listing.myselfToUser()) {
                access(g.permission(), e.uuid()).ifPresent(access -> accounts.byUsername(g.party()).ifPresent(u ->
                        users.add(orderedMap("user", orderedMap("uid", u.uuid(), "username", u.username()),
                                "access", access, "permission", g.permission()))));
            }
            for (var g : listing.myselfToApp()) {
                access(g.permission(), e.uuid()).ifPresent(access -> apps.add(orderedMap("app",
                        orderedMap("icon", null, "uid", g.party(), "name", g.party()), "access", access,
                        "permission", g.permission())));
            }
        }
        return orderedMap("users", users, "apps", apps);
    }

    private static Optional<String> access(String permission, String uid) {
        if (permission.equals("manage:fs:" + uid)) {
            return Optional.of("manage");
        }
        String prefix = "fs:" + uid + ":";
        return permission.startsWith(prefix) ? Optional.of(permission.substring(prefix.length())) : Optional.empty();
    }

    void readdir(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = node(p, "subject", user, "uid", "path");
        flag(p, "no_thumbs");
        boolean noAssocs = flag(p, "no_assocs");
        flag(p, "no_subdomains");
        flag(p, "recursive");
        java.util.function.Function<Entry, Map<String, Object>> listed = e -> {
            Map<String, Object> m = fs.describeShortcut(e, SafeEntry.of(e, user, true));
            m.put("subdomain_uuid", null);
            m.put("subdomain_subdomain", null);
            if (!noAssocs) {
                m.put("suggested_apps", openItem.suggested(user, e));
            }
            return FsJson.ordered(m, FsJson.LISTED);
        };
        Optional<Entry> target = fs.lookup(ref);
        if (target.isPresent() && target.get().isHome() && target.get().userId() != user.id()
                && !fs.allows(user, target.get(), dev.hearth.fs.spi.FsAccess.Mode.LIST)) {
            List<Entry> shared = sharedWith(user, target.get());
            if (shared.isEmpty()) {
                throw FsErrors.subjectDoesNotExist();
            }
            List<Map<String, Object>> entries = shared.stream().map(listed).toList();
            withSites(user.id(), entries, false);
            res.json(entries);
            return;
        }
        // The first page is read (and access checked) before anything is sent; then each entry is written as it
        // comes, so a folder of any size is listed in bounded memory (bench/README.md: 100,000 entries took
        // 280 MB of heap as one list).
        try (var children = fs.readdir(user, ref);
             var out = dev.hearth.kernel.Json.mapper().createGenerator(
                     res.outputStream("application/json; charset=utf-8"))) {
            out.writeStartArray();
            // written in batches, so that the site fields take one query per batch rather than one per entry
            List<Map<String, Object>> batch = new ArrayList<>();
            Runnable flush = () -> {
                withSites(user.id(), batch, false);
                batch.forEach(out::writePOJO);
                batch.clear();
            };
            children.forEach(e -> {
                batch.add(listed.apply(e));
                if (batch.size() == 500) {
                    flush.run();
                }
            });
            if (target.isPresent() && target.get().isRoot()) {
                for (String issuer : issuers(user)) {
                    fs.lookup(NodeRef.path("/" + issuer)).filter(h -> h.userId() != user.id())
                            .ifPresent(h -> batch.add(listed.apply(h)));
                }
            }
            flush.run();
            out.writeEndArray();
        }
    }

    /** The users who shared something with {@code user}, by name, each once. */
    private List<String> issuers(FsUser user) {
        var accounts = context.services().get(dev.hearth.core.Users.class);
        Optional<User> me = accounts.byId(user.id());
        if (me.isEmpty()) {
            return List.of();
        }
        return context.services().get(dev.hearth.core.Permissions.class).list(me.get()).userToMyself().stream()
                .filter(g -> g.permission().startsWith("fs:") || g.permission().startsWith("manage:fs:"))
                .map(dev.hearth.core.Permissions.Grantee::party).distinct().toList();
    }

    /**
     * Another user's home as {@code user} sees it (filesystem.md 1.10): the top-most entries under it that were
     * shared with {@code user} and that the ACL lets them see.
     */
    private List<Entry> sharedWith(FsUser user, Entry home) {
        var accounts = context.services().get(dev.hearth.core.Users.class);
        Optional<User> me = accounts.byId(user.id());
        if (me.isEmpty()) {
            return List.of();
        }
        List<Entry> found = new ArrayList<>();
        for (var g : context.services().get(dev.hearth.core.Permissions.class).list(me.get()).userToMyself()) {
            String[] parts = g.permission().startsWith("manage:") ? g.permission().substring(7).split(":")
                    : g.permission().split(":");
            if (parts.length < 2 || !parts[0].equals("fs") || !NodeRef.UUID.matcher(parts[1]).matches()) {
                continue;
            }
            fs.lookup(NodeRef.uid(parts[1])).filter(e -> !e.isRoot() && e.path().value().startsWith(home.path().value() + "/"))
                    .filter(e -> fs.allows(user, e, dev.hearth.fs.spi.FsAccess.Mode.SEE))
                    .filter(e -> found.stream().noneMatch(f -> f.uuid().equals(e.uuid())))
                    .ifPresent(found::add);
        }
        return found.stream().filter(e -> found.stream().noneMatch(
                other -> e.path().value().startsWith(other.path().value() + "/"))).toList();
    }

    /** {@code /fs/readdir} (puter.js 2.6.3): v2 entries; an envelope with a cursor when the body names one. */
    void readdirV2(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = node(p, "path", user, "uid", "uuid", "id");
        if (FsReaddirV2.applies(p)) {
            res.json(FsReaddirV2.answer(fs, user, ref, p));
            return;
        }
        boolean envelope = p.has("cursor") || truthy(p, "includeTotal");
        if (!envelope) {
            List<Map<String, Object>> out = new ArrayList<>();
            try (var children = fs.readdir(user, ref)) {
                children.forEach(e -> out.add(FsJson.v2(e)));
            }
            withSites(user.id(), out, true);
            res.json(out);
            return;
        }
        long after = 0;
        Optional<String> cursor = string(p, "cursor");
        if (cursor.isPresent()) {
            try {
                after = Long.parseLong(cursor.get());
            } catch (NumberFormatException bad) {
                throw ApiError.fieldInvalid("cursor", "a cursor from an earlier page", cursor.get());
            }
        }
        int limit = p.has("limit") && p.get("limit").isNumber() ? Math.clamp(p.get("limit").asInt(), 1, 10_000) : 1000;
        Page page = fs.readdirPage(user, ref, after, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> items = page.entries().stream().map(FsJson::v2).toList();
        withSites(user.id(), items, true);
        out.put("items", items);
        page.next().ifPresent(n -> out.put("cursor", Long.toString(n)));
        res.json(out);
    }

    void read(Request req, Response res) throws IOException {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = node(p, "file", user, "uid", "path");
        Optional<String> lineCount = string(p, "line_count");
        Optional<String> byteCount = string(p, "byte_count");
        Optional<String> offsetParam = string(p, "offset");
        if (lineCount.isPresent() && positive(lineCount.get()).isEmpty()) {
            throw new Reply(400, Map.of("message", "`line_count` must be a positive integer"));
        }
        if (byteCount.isPresent() && positive(byteCount.get()).isEmpty()) {
            throw new Reply(400, Map.of("message", "`byte_count` must be a positive integer"));
        }
        if (offsetParam.isPresent() && byteCount.isEmpty()) {
            throw ApiError.of(400, "field_only_valid_with_other_field",
                    "Field `offset` is only valid when field `byte_count` is specified.");
        }
        if (offsetParam.isPresent() && (offsetParam.get().isEmpty() || !offsetParam.get().chars().allMatch(Character::isDigit))) {
            throw new Reply(400, Map.of("message", "`offset` must be a positive integer"));
        }
        if (lineCount.isPresent() && byteCount.isPresent()) {
            throw new Reply(400, Map.of("message", "cannot use both line_count and byte_count"));
        }
        FileContent content = fs.read(user, ref);
        noVersion(p);
        ByteSource source = content;
        if (byteCount.isPresent()) {
            long offset = offsetParam.map(Long::parseLong).orElse(0L);
            long start = Math.min(offset, content.length());
            long length = Math.min(positive(byteCount.get()).getAsLong(), content.length() - start);
            source = new ByteSource() {
                @Override
                public long length() {
                    return length;
                }

                @Override
                public String contentType() {
                    return "application/octet-stream";
                }

                @Override
                public InputStream open(long o, long l) throws IOException {
                    return content.open(start + o, l);
                }
            };
        } else if (lineCount.isPresent()) {
            long lines = positive(lineCount.get()).getAsLong();
            StringBuilder sb = new StringBuilder();
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(content.open(0, content.length()),
                    StandardCharsets.UTF_8))) {
                String line;
                for (long i = 0; i < lines && (line = in.readLine()) != null; i++) {
                    sb.append(i == 0 ? "" : "\r\n").append(line);
                }
            }
            source = ByteSource.of(sb.toString().getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        }
        userContent(res);
        res.serve(source);
    }

    /**
     * What every response carrying a user's file says besides {@code nosniff} (which every response has): were a
     * browser to render it anyway, it would run sandboxed, in an origin of its own, never as the API origin, whose
     * requests carry the user's credentials.
     */
    static void userContent(Response res) {
        res.header("Content-Security-Policy", "sandbox");
    }

    /**
     * {@code Content-Disposition: attachment} for a file named {@code name}: an ASCII {@code filename} for old
     * clients and the exact name as RFC 6266 / 5987 {@code filename*} (header values are ISO-8859-1 on the wire).
     */
    static void attachment(Response res, String name) {
        StringBuilder ascii = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        String encoded = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        res.header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
    }

    /**
     * {@code version_id} of {@code /read} and {@code /token-read} (filesystem.md 3.6): Hearth keeps no earlier
     * versions ({@code /stat}'s {@code versions} is always empty), so no version id names anything; asked after the
     * access check, so that it tells nothing about entries the caller cannot read.
     */
    static void noVersion(JsonNode p) {
        if (string(p, "version_id").filter(v -> !v.isEmpty()).isPresent()) {
            throw FsErrors.subjectDoesNotExist();
        }
    }

    private static OptionalLong positive(String s) {
        try {
            long n = Long.parseLong(s);
            return n > 0 ? OptionalLong.of(n) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The directory of {@code /set_layout} and {@code /set_sort_by}: {@code item_uid} or {@code item_path}. */
    private static NodeRef viewTarget(JsonNode p, FsUser user) {
        Optional<String> uid = string(p, "item_uid");
        Optional<String> path = string(p, "item_path");
        if (uid.isEmpty() && path.isEmpty()) {
            throw new Reply(400, "`item_uid` or `item_path` is required");
        }
        return uid.isPresent() ? NodeRef.parse("item_uid", uid.get(), user.username())
                : NodeRef.parse("item_path", path.get(), user.username());
    }

    private static Reply viewError(ApiError e) {
        return switch (e.code()) {
            case "subject_does_not_exist" -> new Reply(400, Map.of("error", Map.of("message", "No entry found with this uid")));
            case "forbidden" -> new Reply(403, orderedMap("code", "forbidden", "message", "permission denied."));
            case "bad_request" -> new Reply(400, e.getMessage());
            default -> throw e;
        };
    }

    private static Map<String, Object> orderedMap(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    void setLayout(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = viewTarget(p, user);
        String layout = string(p, "layout").orElseThrow(() -> new Reply(400, "`layout` is required"));
        if (!List.of("icons", "details", "list").contains(layout)) {
            throw new Reply(400, "invalid `layout`");
        }
        try {
            fs.setLayout(user, ref, layout);
        } catch (ApiError e) {
            throw viewError(e);
        }
        res.json(Map.of());
    }

    void setSortBy(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = viewTarget(p, user);
        String sortBy = string(p, "sort_by").orElseThrow(() -> new Reply(400, "`sort_by` is required"));
        if (!List.of("name", "size", "modified", "type").contains(sortBy)) {
            throw new Reply(400, "invalid `sort_by`");
        }
        Optional<String> order = string(p, "sort_order");
        if (order.isPresent() && !List.of("asc", "desc").contains(order.get())) {
            throw new Reply(400, "invalid `sort_order`");
        }
        try {
            fs.setSortBy(user, ref, sortBy, order);
        } catch (ApiError e) {
            throw viewError(e);
        }
        res.json(Map.of());
    }

    void updateThumbnail(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = node(p, "path", user, "uid");
        String thumbnail = string(p, "thumbnail").orElseThrow(() -> FsErrors.fieldMissing("thumbnail"));
        try {
            if (java.net.URI.create(thumbnail).getScheme() == null) {
                throw new IllegalArgumentException("no scheme");
            }
        } catch (IllegalArgumentException bad) {
            throw ApiError.fieldInvalid("thumbnail", "a URL", thumbnail.length() > 40 ? thumbnail.substring(0, 40) : thumbnail);
        }
        fs.setThumbnail(user, ref, Optional.of(thumbnail));
        res.json(Map.of());
    }

    void readdirSubdomains(Request req, Response res) {
        user();
        JsonNode ids = params(req).get("directory_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new Reply(400, orderedMap("code", "invalid_request", "message", "directory_ids must be a non-empty array"));
        }
        List<String> dirs = new ArrayList<>();
        ids.forEach(id -> dirs.add(id.isString() ? id.asString() : id.toString()));
        Map<String, List<HostedSites.Website>> sites = hostedSites(user().id(), dirs);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String dir : dirs) {
            List<Object> listed = siteList(sites.getOrDefault(dir, List.of()));
            out.add(orderedMap("directory_id", dir, "subdomains", listed, "has_website", !listed.isEmpty()));
        }
        res.json(out);
    }

    /** The sites hosted from these directories, by directory uid, when a hosting module is installed. */
    private Map<String, List<HostedSites.Website>> hostedSites(long ownerUserId, List<String> directoryUids) {
        return context.services().find(HostedSites.class).map(h -> h.sitesOf(ownerUserId, directoryUids))
                .orElse(Map.of());
    }

    /** The site fields of the listed folders the caller hosts sites from: one query per listing. */
    private void withSites(long userId, List<Map<String, Object>> entries, boolean v2) {
        List<String> dirs = entries.stream().filter(m -> Boolean.TRUE.equals(m.get(v2 ? "isDir" : "is_dir")))
                .map(m -> (String) m.get("uid")).toList();
        if (dirs.isEmpty()) {
            return;
        }
        Map<String, List<HostedSites.Website>> sites = hostedSites(userId, dirs);
        for (Map<String, Object> m : entries) {
            List<HostedSites.Website> hosted = sites.get(m.get("uid"));
            if (hosted != null && !hosted.isEmpty()) {
                m.put("subdomains", siteList(hosted));
                m.put(v2 ? "hasWebsite" : "has_website", true);
                if (!v2) {
                    m.put("subdomain_uuid", hosted.getFirst().uid());
                    m.put("subdomain_subdomain", hosted.getFirst().subdomain());
                }
            }
        }
    }

    private static List<Object> siteList(List<HostedSites.Website> sites) {
        List<Object> out = new ArrayList<>();
        sites.forEach(s -> out.add(orderedMap("subdomain", s.subdomain(), "address", s.address(), "uuid", s.uid())));
        return out;
    }

    /** {@code /open_item} (3.16): see {@link OpenItem}. */
    void openItem(Request req, Response res) {
        FsUser user = user();
        Entry e = fs.stat(user, node(params(req), "path", user, "uid"));
        res.json(openItem.open(HttpAuth.userActor(), user, e));
    }

    void search(Request req, Response res) {
        Actor actor = HttpAuth.actor();
        if (!(actor instanceof dev.hearth.core.UserActor)) {
            res.json(List.of());
            return;
        }
        FsUser user = user();
        String text = string(params(req), "text").orElse("");
        res.json(fs.search(user, text).stream().map(e -> FsJson.ordered(SafeEntry.of(e, user, false), FsJson.WRITTEN))
                .toList());
    }

    /** {@code /down}: a GUI download, with a one-time anti-CSRF token in the body (3.25). */
    void down(Request req, Response res) throws IOException {
        User u = HttpAuth.userActor().user();
        FsUser user = new FsUser(u.id(), u.username());
        String token = string(params(req), "anti_csrf").orElse("");
        if (!context.services().get(dev.hearth.core.AntiCsrfTokens.class).consume(u, token)) {
            throw new Reply(400, Map.of("message", "incorrect anti-CSRF token"));
        }
        NodeRef ref = NodeRef.parse("path", req.query("path").orElse(null), user.username());
        FileContent content = fs.read(user, ref);
        attachment(res, content.entry().name());
        userContent(res);
        res.serve(content);
    }

    void df(Request req, Response res) {
        User u = HttpAuth.userActor().user();
        DiskUsage usage = fs.df(new FsUser(u.id(), u.username()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("used", usage.used());
        out.put("capacity", usage.capacity());
        usage.hostFree().ifPresent(f -> out.put("host_used", f));
        res.json(out);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    void mkdir(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        JsonNode path = p.get("path");
        if (path == null || path.isMissingNode()) {
            throw new Reply(400, Map.of("message", "path is required"));
        }
        if (path.isNull()) {
            throw new Reply(400, Map.of("message", "path cannot be null"));
        }
        if (!path.isString()) {
            throw new Reply(400, Map.of("message", "path must be a string"));
        }
        if (path.asString().isEmpty()) {
            throw new Reply(400, Map.of("message", "path cannot be empty"));
        }
        Optional<NodeRef> parent = string(p, "parent").isPresent()
                ? Optional.of(NodeRef.parse("parent", string(p, "parent").get(), user.username())) : Optional.empty();
        boolean parents = p.has("create_missing_ancestors") ? truthy(p, "create_missing_ancestors")
                : truthy(p, "create_missing_parents");
        Optional<String> shortcutTo = string(p, "shortcut_to").filter(t -> !t.isEmpty());
        if (shortcutTo.isPresent()) {
            Entry made = mkdirShortcut(fs, user, parent, path.asString(),
                    NodeRef.parse("shortcut_to", shortcutTo.get(), user.username()), truthy(p, "dedupe_name"), client(p));
            res.json(fs.describeShortcut(made, FsJson.written(made, user)));
            return;
        }
        MkdirResult r = fs.mkdir(user, new MkdirRequest(parent, path.asString(), truthy(p, "overwrite"),
                truthy(p, "dedupe_name"), parents, client(p)));
        res.json(mkdirBody(r, user));
    }

    /**
     * {@code /mkdir} (and batch {@code mkdir}) with {@code shortcut_to}: a shortcut to a directory where the directory
     * would have been (filesystem.md 3.3 step 7), its folder named like mkdir's: {@code parent} + {@code path}, or
     * the full {@code path}.
     */
    static Entry mkdirShortcut(Filesystem fs, FsUser user, Optional<NodeRef> parent, String path, NodeRef target,
                               boolean dedupe, ClientMetadata client) {
        FsPath full;
        if (parent.isPresent()) {
            Entry dir = fs.lookup(parent.get()).orElseThrow(FsErrors::mkdirParentDoesNotExist);
            try {
                full = dir.path().resolve(path.replaceFirst("^/+", ""));
            } catch (IllegalArgumentException bad) {
                throw FsErrors.unresolvedRelativePath(path);
            }
        } else if (NodeRef.parse("path", path, user.username()) instanceof NodeRef.ByPath byPath) {
            full = byPath.path();
        } else {
            throw FsErrors.fieldMissing("path");
        }
        if (full.isRoot() || full.parent().isRoot()) {
            throw FsErrors.cannotMkdirInRoot();
        }
        return fs.shortcut(user, NodeRef.path(full.parent()), full.name(), target, Optional.of(true), dedupe, client);
    }

    static Map<String, Object> mkdirBody(MkdirResult r, FsUser user) {
        Map<String, Object> out = FsJson.written(r.entry(), user);
        if (!r.existing()) {
            out.put("parent_dirs_created", r.parentDirsCreated().stream().map(e -> FsJson.written(e, user)).toList());
            out.put("requested_path", r.requestedPath());
        }
        return out;
    }

    /** {@code /write} and {@code /up}: text fields first, then one file part, streamed to the store. */
    void write(Request req, Response res) throws IOException {
        FsUser user = user();
        MultipartReader parts = MultipartReader.of(req);
        Map<String, String> fields = new LinkedHashMap<>();
        Entry written = null;
        for (Optional<MultipartReader.Part> next = parts.next(); next.isPresent(); next = parts.next()) {
            MultipartReader.Part part = next.get();
            if (part.filename().isEmpty()) {
                fields.put(part.name(), field(part));
                continue;
            }
            if (fields.containsKey("shortcut_to")) {
                written = writeShortcut(fields, part.filename(), user);
                break; // the file part, which upstream requires, is not needed: the reader skips it
            }
            written = ClientMetadata.withOriginalSocket(fields.get("original_client_socket_id"),
                    () -> fs.write(user, writeRequest(fields, part.filename(), user), part.content()));
            break;
        }
        if (written == null && fields.containsKey("shortcut_to")) {
            written = writeShortcut(fields, Optional.empty(), user);
        }
        if (written == null) {
            throw FsErrors.fieldMissing("file");
        }
        res.json(fs.describeShortcut(written, FsJson.written(written, user)));
    }

    /**
     * {@code /write} with {@code shortcut_to} (filesystem.md 3.4 step 9): a shortcut to a file, named {@code name} (or
     * the upload's file name) in the directory {@code path}, or at the full {@code path}.
     */
    private Entry writeShortcut(Map<String, String> fields, Optional<String> filename, FsUser user) throws IOException {
        NodeRef target = NodeRef.parse("shortcut_to", fields.get("shortcut_to"), user.username());
        NodeRef path = NodeRef.parse("path", fields.get(fields.containsKey("uid") ? "uid" : "path"), user.username());
        Optional<String> name = Optional.ofNullable(fields.get("name")).filter(n -> !n.isEmpty()).or(() -> filename);
        Optional<Entry> dir = fs.lookup(path).filter(Entry::isDir);
        NodeRef folder;
        String finalName;
        if (dir.isPresent()) {
            folder = path;
            finalName = name.orElseThrow(() -> FsErrors.fieldMissing("name"));
        } else if (path instanceof NodeRef.ByPath byPath && name.isEmpty()) {
            folder = NodeRef.path(byPath.path().parent());
            finalName = byPath.path().name();
        } else {
            throw name.isPresent() ? FsErrors.destIsNotADirectory() : FsErrors.subjectDoesNotExist();
        }
        ClientMetadata client = new ClientMetadata(
                Optional.ofNullable(fields.get("socket_id")).filter(s -> !s.equals("undefined")),
                Optional.ofNullable(fields.get("operation_id")), Optional.ofNullable(fields.get("item_upload_id")));
        boolean dedupe = Optional.ofNullable(fields.get("dedupe_name")).flatMap(FilesystemRoutes::flagValue).orElse(false);
        return ClientMetadata.withOriginalSocket(fields.get("original_client_socket_id"),
                () -> fs.shortcut(user, folder, finalName, target, Optional.of(false), dedupe, client));
    }

    static String field(MultipartReader.Part part) throws IOException {
        byte[] bytes = part.content().readNBytes(MAX_FIELD + 1);
        if (bytes.length > MAX_FIELD) {
            throw ApiError.payloadTooLarge(MAX_FIELD);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean fieldFlag(Map<String, String> fields, String key) {
        String v = fields.get(key);
        if (v == null) {
            return false;
        }
        return flagValue(v).orElseThrow(() -> ApiError.fieldInvalid(key, "boolean", v));
    }

    static WriteRequest writeRequest(Map<String, String> fields, Optional<String> filename, FsUser user) {
        String size = fields.get("size");
        if (size == null) {
            throw ApiError.of(400, "missing_expected_metadata", "These fields must come first: `size`.");
        }
        long declared;
        try {
            declared = Long.parseLong(size.strip());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        if (declared < 0) {
            throw ApiError.of(400, "invalid_file_metadata", "Invalid file metadata.");
        }
        String pathKey = fields.containsKey("uid") ? "uid" : "path";
        NodeRef path = NodeRef.parse("path", fields.get(pathKey), user.username());
        boolean parents = fields.containsKey("create_missing_ancestors") ? fieldFlag(fields, "create_missing_ancestors")
                : fieldFlag(fields, "create_missing_parents");
        ClientMetadata client = new ClientMetadata(
                Optional.ofNullable(fields.get("socket_id")).filter(s -> !s.equals("undefined")),
                Optional.ofNullable(fields.get("operation_id")), Optional.ofNullable(fields.get("item_upload_id")));
        return new WriteRequest(path, Optional.ofNullable(fields.get("name")).filter(n -> !n.isEmpty()), filename,
                declared, fieldFlag(fields, "overwrite"), fieldFlag(fields, "dedupe_name"), parents,
                Optional.ofNullable(fields.get("thumbnail")).filter(t -> !t.isEmpty()), Optional.empty(), client);
    }

    void delete(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        JsonNode paths = p.get("paths");
        if (paths == null || paths.isMissingNode() || paths.isNull()) {
            throw new Reply(400, "paths is required");
        }
        if (!paths.isArray()) {
            throw new Reply(400, "paths must be an array");
        }
        if (paths.isEmpty()) {
            throw new Reply(400, "paths cannot be empty");
        }
        boolean recursive = truthy(p, "recursive");
        boolean descendantsOnly = truthy(p, "descendants_only");
        for (JsonNode item : paths) {
            String value = item.isNull() ? null : item.isString() ? item.asString() : item.toString();
            NodeRef ref = NodeRef.parse("paths", value, user.username());
            fs.delete(user, new DeleteRequest(ref, recursive, descendantsOnly, client(p)));
        }
        res.json(Map.of());
    }

    /** A target name of move and copy: upstream answers a bad one with a bare {@code {"message": reason}}. */
    private Optional<String> targetName(JsonNode p) {
        Optional<String> name = string(p, "new_name").filter(n -> !n.isEmpty());
        name.flatMap(n -> FsNames.problem(n, maxNameLength)).ifPresent(reason -> {
            throw new Reply(400, Map.of("message", reason));
        });
        return name;
    }

    void move(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef source = node(p, "source", user);
        NodeRef destination = node(p, "destination", user);
        Optional<String> newName = targetName(p);
        JsonNode meta = p.get("new_metadata");
        Optional<String> metadata = meta == null || meta.isNull() || meta.isMissingNode() ? Optional.empty()
                : Optional.of(meta.isString() ? meta.asString() : meta.toString());
        MoveResult r = fs.move(user, new MoveRequest(source, destination, newName, truthy(p, "overwrite"),
                truthy(p, "dedupe_name") || truthy(p, "change_name"), truthy(p, "create_missing_parents"), metadata,
                client(p)));
        res.json(moveBody(r, user));
    }

    static Map<String, Object> moveBody(MoveResult r, FsUser user) {
        Map<String, Object> moved = SafeEntry.of(r.moved(), user, true);
        moved.put("owner", Map.of("username", r.moved().ownerUsername()));
        moved.put("suggested_apps", List.of());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("moved", FsJson.ordered(moved, FsJson.MOVED));
        r.overwritten().ifPresent(o -> out.put("overwritten", FsJson.written(o, user)));
        out.put("old_path", r.oldPath());
        out.put("parent_dirs_created", r.parentDirsCreated().stream().map(e -> FsJson.written(e, user)).toList());
        return out;
    }

    void copy(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef source = node(p, "source", user);
        NodeRef destination = node(p, "destination", user);
        Optional<String> newName = targetName(p);
        CopyResult r = fs.copy(user, new CopyRequest(source, destination, newName, truthy(p, "overwrite"),
                truthy(p, "dedupe_name") || truthy(p, "change_name"), client(p)));
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("copied", FsJson.ordered(SafeEntry.of(r.copied(), user, true), FsJson.COPIED));
        r.overwritten().ifPresent(o -> one.put("overwritten", FsJson.written(o, user)));
        res.json(List.of(one));
    }

    void rename(Request req, Response res) {
        FsUser user = user();
        JsonNode p = params(req);
        NodeRef ref = node(p, "path", user, "uid");
        JsonNode newName = p.get("new_name");
        if (newName == null || newName.isNull() || newName.isMissingNode() || !truthy(p, "new_name")) {
            throw FsErrors.fieldMissing("new_name");
        }
        if (!newName.isString()) {
            throw ApiError.fieldInvalid("new_name", "string", newName.isNumber() ? "number"
                    : newName.isBoolean() ? "boolean" : "object");
        }
        FsNames.problem(newName.asString(), maxNameLength).ifPresent(reason -> {
            throw new Reply(400, Map.of("error", Map.of("message", reason)));
        });
        RenameResult r;
        try {
            r = fs.rename(user, ref, newName.asString(), client(p));
        } catch (ApiError e) {
            if (e.status() == 400 && e.code().equals("immutable")) {
                throw new Reply(400, Map.of("error", Map.of("message", e.getMessage())));
            }
            throw e;
        }
        Entry e = r.entry();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uid", e.uuid());
        out.put("name", e.name());
        out.put("is_dir", e.isDir() ? 1 : 0);
        out.put("path", e.path().value());
        out.put("old_path", r.oldPath());
        out.put("type", FsJson.type(e).orElse(null));
        out.put("associated_app", Map.of());
        string(p, "original_client_socket_id").ifPresent(s -> out.put("original_client_socket_id", s));
        res.json(out);
    }
}
