package dev.hearth.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.hearth.core.AccessTokenActor;
import dev.hearth.core.Actor;
import dev.hearth.core.Authenticator;
import dev.hearth.core.HttpAuth;
import dev.hearth.core.User;
import dev.hearth.core.UserActor;
import dev.hearth.core.Users;
import dev.hearth.fs.spi.FsAccess;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.ByteSource;
import dev.hearth.web.MultipartReader;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * Signed URLs (filesystem.md 3.12-3.15, 5) and {@code /token-read} (3.23).
 *
 * <p>Signature: lowercase hex HMAC-SHA-256, keyed with {@code url_signature_secret}, of {@code <uid>/<action>/<expires>}
 * (Hearth's fix of upstream's plain hash); {@code expires} is a real expiry, seven days after signing, parsed strictly
 * as a decimal integer; a {@code write} signature also grants {@code read}. A signed request acts as the entry's
 * owner: the filesystem is called under a context whose actor is the owner.
 */
final class FsSigned {

    static final Duration LIFETIME = Duration.ofDays(7);

    private final ServiceContext context;
    private final Filesystem fs;
    private final byte[] secret;

    FsSigned(ServiceContext context, Filesystem fs) {
        this.context = context;
        this.fs = fs;
        this.secret = context.config().string("url_signature_secret")
                .orElseThrow(() -> new IllegalStateException("url_signature_secret is not configured"))
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Signatures

    String signature(String uid, String action, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((uid + "/" + action + "/" + expires)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private String base() {
        return context.services().find(WebServer.class).map(w -> w.urls().apiBaseUrl()).orElse("");
    }

    /** The signed object of 3.12 for an entry. */
    Map<String, Object> signed(Entry e, String action, boolean withPath) {
        long expires = Instant.now().plus(LIFETIME).getEpochSecond();
        String sig = signature(e.uuid(), action, expires);
        String query = "?uid=" + e.uuid() + "&expires=" + expires + "&signature=" + sig;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uid", e.uuid());
        m.put("expires", expires);
        m.put("signature", sig);
        m.put("url", base() + "/file" + query);
        m.put("read_url", base() + "/file" + query);
        m.put("write_url", base() + "/writeFile" + query);
        m.put("metadata_url", base() + "/itemMetadata" + query);
        m.put("fsentry_type", FsJson.type(e).orElse(null));
        m.put("fsentry_is_dir", e.isDir());
        m.put("fsentry_name", e.name());
        m.put("fsentry_size", e.isDir() ? null : e.size().orElse(null));
        m.put("fsentry_accessed", e.accessed().orElse(null));
        m.put("fsentry_modified", e.modified());
        m.put("fsentry_created", e.created());
        if (withPath) {
            m.put("path", e.path().value());
        }
        return m;
    }

    private static FilesystemRoutes.Reply denied(String message) {
        return new FilesystemRoutes.Reply(403, Map.of("message", message));
    }

    /** Validates the query's signature for {@code action} ({@code write} implies {@code read}); the uid. */
    private String validate(Request req, String action, Optional<String> requiredUid) {
        String uid = req.query("uid").orElseThrow(() -> denied("`uid` is required for signature-based authentication."));
        String expires = req.query("expires")
                .orElseThrow(() -> denied("`expires` is required for signature-based authentication."));
        String sig = req.query("signature")
                .orElseThrow(() -> denied("`signature` is required for signature-based authentication."));
        if (requiredUid.isPresent() && !requiredUid.get().equals(uid)) {
            throw denied("Authentication failed. `uid` does not match.");
        }
        long exp;
        if (expires.isEmpty() || expires.length() > 18 || !expires.chars().allMatch(Character::isDigit)) {
            throw denied("Authentication failed");
        }
        exp = Long.parseLong(expires);
        if (exp < Instant.now().getEpochSecond()) {
            throw denied("Authentication failed. Signature expired.");
        }
        byte[] given = sig.getBytes(StandardCharsets.UTF_8);
        boolean ok = MessageDigest.isEqual(given, signature(uid, "write", exp).getBytes(StandardCharsets.UTF_8))
                || MessageDigest.isEqual(given, signature(uid, action, exp).getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw denied("Authentication failed");
        }
        return uid;
    }

    private boolean grantsWrite(Request req) {
        try {
            validate(req, "write", Optional.empty());
            String uid = req.query("uid").orElseThrow();
            long exp = Long.parseLong(req.query("expires").orElseThrow());
            return MessageDigest.isEqual(req.query("signature").orElseThrow().getBytes(StandardCharsets.UTF_8),
                    signature(uid, "write", exp).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private User owner(Entry e) {
        return context.services().get(Users.class).byId(e.userId())
                .orElseThrow(() -> ApiError.of(500, "internal_error", "An internal error occurred."));
    }

    private interface Work<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} as the entry's owner. */
    private <T> T asOwner(User owner, Work<T> work) throws IOException {
        Context base = Context.current().orElseGet(Context::create);
        return base.withActor(new UserActor(owner, Optional.empty(), false)).call(work::run);
    }

    private static FsUser fsUser(User u) {
        return new FsUser(u.id(), u.username());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routes

    /** {@code POST /sign}. */
    void sign(Request req, Response res) {
        Actor actor = HttpAuth.actor();
        if (!(actor instanceof UserActor) && !(actor instanceof dev.hearth.core.AppUnderUserActor)) {
            throw ApiError.forbidden();
        }
        FsUser user = FilesystemRoutes.user();
        JsonNode p = FilesystemRoutes.params(req);
        JsonNode items = p.get("items");
        if (items == null || items.isNull() || items.isMissingNode()) {
            throw FsErrors.fieldMissing("items");
        }
        if (items.isObject()) {
            items = dev.hearth.kernel.Json.mapper().createArrayNode().add(items);
        }
        if (!items.isArray()) {
            throw ApiError.fieldInvalid("items", "an array of items", "a " + items.getNodeType().name().toLowerCase());
        }
        Optional<String> appUid = FilesystemRoutes.string(p, "app_uid").filter(a -> !a.isEmpty());
        if (appUid.isPresent() && context.services().find(dev.hearth.core.spi.AppDirectory.class)
                .map(d -> d.appByUid(appUid.get()).isEmpty()).orElse(false)) {
            throw ApiError.of(422, "no_suitable_app", "No suitable app found for " + FsErrors.quot(appUid.get()) + ".")
                    .with("entry_name", appUid.get());
        }
        List<Entry> signedEntries = new ArrayList<>();
        List<Object> signatures = new ArrayList<>();
        for (JsonNode item : items) {
            Optional<String> action = item.isObject() ? FilesystemRoutes.string(item, "action") : Optional.empty();
            JsonNode uid = item.isObject() ? item.get("uid") : null;
            JsonNode path = item.isObject() ? item.get("path") : null;
            boolean hasUid = uid != null && uid.isString();
            boolean hasPath = path != null && path.isString();
            if (action.isEmpty() || (!hasUid && !hasPath) || (uid != null && !uid.isNull() && !uid.isString())
                    || (path != null && !path.isNull() && !path.isString())) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("message", "Field `items` is invalid. Expected each item to have: (uid OR path) AND action.");
                err.put("key", "items");
                err.put("expected", "each item to have: (uid OR path) AND action");
                err.put("code", "field_invalid");
                err.put("$", "heyputer:api/APIError");
                err.put("status", 400);
                throw new FilesystemRoutes.Reply(400, err);
            }
            NodeRef ref = hasUid ? NodeRef.parse("uid", uid.asString(), user.username())
                    : NodeRef.parse("path", path.asString(), user.username());
            Optional<Entry> e = fs.lookup(ref).filter(x -> !x.isRoot());
            if (e.isEmpty()) {
                signatures.add(Map.of());
                continue;
            }
            Entry entry = fs.stat(user, ref); // ACL read
            String act = action.get().equals("write") && fs.allows(user, entry, FsAccess.Mode.WRITE) ? "write" : "read";
            signatures.add(signed(entry, act, true));
            signedEntries.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (appUid.isPresent() && actor instanceof UserActor u) {
            // The app acting on these items gets a token of its own and the right to write them (3.12).
            out.put("token", context.services().get(dev.hearth.core.Tokens.class)
                    .issueAppUnderUser(u.user().uuid(), appUid.get(), u.session()));
            dev.hearth.core.Permissions permissions = context.services().get(dev.hearth.core.Permissions.class);
            for (Entry e : signedEntries) {
                try {
                    permissions.grantUserToApp(u, appUid.get(), "fs:" + e.uuid() + ":write", Map.of());
                } catch (ApiError refused) {
                    // an item shared read-only: the app gets what the signature says, no more
                }
            }
        }
        out.put("signatures", signatures);
        res.json(out);
    }

    /** {@code GET /file}: the content (or a directory's signed children), as the owner. */
    void file(Request req, Response res) throws IOException {
        String uid = validate(req, "read", Optional.empty());
        if (!NodeRef.UUID.matcher(uid).matches()) {
            throw new FilesystemRoutes.Reply(400, Map.of("message", "No entry found with this uid"));
        }
        Entry e = fs.lookup(NodeRef.uid(uid)).filter(x -> !x.isRoot())
                .orElseThrow(() -> new FilesystemRoutes.Reply(400, Map.of("message", "No entry found with this uid")));
        User owner = owner(e);
        if (owner.suspended()) {
            throw new FilesystemRoutes.Reply(401, Map.of("error", "Account suspended"));
        }
        if (e.isDir()) {
            String action = grantsWrite(req) ? "write" : "read";
            List<Object> children = asOwner(owner, () -> {
                List<Object> out = new ArrayList<>();
                try (var s = fs.readdir(fsUser(owner), NodeRef.uid(e.uuid()))) {
                    s.forEach(c -> out.add(signed(c, action, false)));
                }
                return out;
            });
            res.json(children);
            return;
        }
        FileContent content = asOwner(owner, () -> fs.read(fsUser(owner), NodeRef.uid(e.uuid())));
        if (req.query("download").filter(d -> d.equals("true") || d.equals("1")).isPresent()) {
            FilesystemRoutes.attachment(res, e.name());
        }
        FilesystemRoutes.userContent(res);
        res.serve(content);
    }

    /** {@code GET /itemMetadata}. */
    void itemMetadata(Request req, Response res) throws IOException {
        validate(req, "read", Optional.empty());
        String uid = req.query("uid").orElseThrow();
        if (uid.isEmpty()) {
            throw new FilesystemRoutes.Reply(400, "uid cannot be empty");
        }
        if (!NodeRef.UUID.matcher(uid).matches()) {
            throw new FilesystemRoutes.Reply(400, "uid must be a valid uuid");
        }
        Entry e = fs.lookup(NodeRef.uid(uid)).filter(x -> !x.isRoot())
                .orElseThrow(() -> new FilesystemRoutes.Reply(400, "Item not found"));
        if (owner(e).suspended()) {
            throw new FilesystemRoutes.Reply(401, Map.of("error", "Account suspended"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uid", e.uuid());
        out.put("name", e.name());
        out.put("is_dir", e.isDir() ? 1 : 0);
        out.put("type", FsJson.type(e).orElse(null));
        out.put("size", fs.sizeOf(e).orElse(e.isDir() ? 0L : null));
        out.put("created", e.created());
        out.put("modified", e.modified());
        if (req.query("return_path").filter(v -> v.equals("true") || v.equals("1")).isPresent()) {
            out.put("path", e.path().value());
        }
        if (req.query("return_versions").isPresent()) {
            out.put("versions", List.of());
        }
        res.json(out);
    }

    /** {@code POST /writeFile}: the signed write operations, as the owner. */
    void writeFile(Request req, Response res) throws IOException {
        String uid = validate(req, "write", Optional.empty());
        if (!NodeRef.UUID.matcher(uid).matches()) {
            throw new FilesystemRoutes.Reply(404, Map.of("error", "Item not found"));
        }
        Entry e = fs.lookup(NodeRef.uid(uid)).filter(x -> !x.isRoot())
                .orElseThrow(() -> new FilesystemRoutes.Reply(404, Map.of("error", "Item not found")));
        User owner = owner(e);
        if (owner.suspended()) {
            throw new FilesystemRoutes.Reply(401, Map.of("error", "Account suspended"));
        }
        FsUser user = fsUser(owner);
        String operation = req.query("operation").orElse("write");
        boolean multipart = req.contentType().orElse("").toLowerCase().startsWith("multipart/");
        if (operation.equals("write") && multipart) {
            asOwner(owner, () -> {
                writeFiles(req, res, e, user);
                return null;
            });
            return;
        }
        Map<String, String> fields = multipart ? textFields(req) : jsonFields(req);
        asOwner(owner, () -> {
            switch (operation) {
                case "mkdir" -> {
                    String name = Optional.ofNullable(fields.get("name")).filter(n -> !n.isEmpty()).orElseThrow(
                            () -> new FilesystemRoutes.Reply(400, Map.of("error", Map.of("message", "Name is required."))));
                    MkdirResult r = fs.mkdir(user, new MkdirRequest(Optional.of(NodeRef.uid(e.uuid())), name, false,
                            flag(fields.get("dedupe_name")), false, ClientMetadata.NONE));
                    res.json(signed(r.entry(), "write", true));
                }
                case "delete" -> {
                    fs.delete(user, new DeleteRequest(NodeRef.uid(e.uuid()), false, false, ClientMetadata.NONE));
                    res.text("");
                }
                case "rename" -> {
                    if (e.isHome()) {
                        throw new FilesystemRoutes.Reply(403, Map.of("error", Map.of("message",
                                "Not allowed to rename this item via writeFile.")));
                    }
                    String newName = fields.getOrDefault("new_name", "");
                    FsNames.problem(newName, fs.maxNameLength()).ifPresent(reason -> {
                        throw new FilesystemRoutes.Reply(400, Map.of("error", Map.of("message", reason)));
                    });
                    RenameResult r;
                    try {
                        r = fs.rename(user, NodeRef.uid(e.uuid()), newName, ClientMetadata.NONE);
                    } catch (ApiError err) {
                        if (err.code().equals("immutable")) {
                            throw new FilesystemRoutes.Reply(400, Map.of("error", Map.of("message", err.getMessage())));
                        }
                        throw err;
                    }
                    Map<String, Object> out = FsJson.written(r.entry(), user);
                    out.put("old_path", r.oldPath());
                    out.put("type", FsJson.type(r.entry()).orElse(null));
                    res.json(out);
                }
                case "trash" -> {
                    Map<String, Object> meta = new LinkedHashMap<>();
                    meta.put("original_name", e.name());
                    meta.put("original_path", e.path().value());
                    meta.put("trashed_ts", Instant.now().getEpochSecond());
                    fs.move(user, new MoveRequest(NodeRef.uid(e.uuid()), NodeRef.path("/" + owner.username() + "/Trash"),
                            Optional.of(e.uuid()), false, false, false,
                            Optional.of(dev.hearth.kernel.Json.mapper().writeValueAsString(meta)), ClientMetadata.NONE));
                    res.json(Map.of("message", "Item trashed"));
                }
                case "move", "copy" -> {
                    Entry dest = destination(fields);
                    Optional<String> newName = Optional.ofNullable(fields.get("new_name")).filter(n -> !n.isEmpty());
                    if (operation.equals("move")) {
                        MoveResult r = fs.move(user, new MoveRequest(NodeRef.uid(e.uuid()), NodeRef.uid(dest.uuid()),
                                newName, flag(fields.get("overwrite")), false, flag(fields.get("create_missing_parents")),
                                Optional.ofNullable(fields.get("new_metadata")), ClientMetadata.NONE));
                        Map<String, Object> out = FsJson.written(r.moved(), user);
                        out.put("old_path", r.oldPath());
                        out.put("new_path", r.moved().path().value());
                        res.json(out);
                    } else {
                        CopyResult r = fs.copy(user, new CopyRequest(NodeRef.uid(e.uuid()), NodeRef.uid(dest.uuid()),
                                newName, flag(fields.get("overwrite")), flag(fields.get("auto_rename")),
                                ClientMetadata.NONE));
                        Map<String, Object> one = new LinkedHashMap<>();
                        one.put("copied", FsJson.written(r.copied(), user));
                        r.overwritten().ifPresent(o -> one.put("overwritten", FsJson.written(o, user)));
                        res.json(List.of(one));
                    }
                }
                default -> throw new FilesystemRoutes.Reply(400, "No files uploaded");
            }
            return null;
        });
    }

    /** The destination of a signed move or copy: the directory of {@code destination_write_url}, signed for write. */
    private Entry destination(Map<String, String> fields) {
        String url = Optional.ofNullable(fields.get("destination_write_url")).filter(u -> !u.isEmpty()).orElseThrow(
                () -> new FilesystemRoutes.Reply(400, Map.of("error", Map.of("message", "No destination specified."))));
        Map<String, String> q = new LinkedHashMap<>();
        int at = url.indexOf('?');
        if (at >= 0) {
            for (String pair : url.substring(at + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String uid = q.getOrDefault("uid", "");
        Optional.ofNullable(fields.get("destination_uid")).filter(d -> !d.isEmpty() && !d.equals(uid)).ifPresent(d -> {
            throw denied("Authentication failed. `uid` does not match.");
        });
        String expires = q.getOrDefault("expires", "");
        if (uid.isEmpty() || expires.isEmpty() || expires.length() > 18 || !expires.chars().allMatch(Character::isDigit)
                || Long.parseLong(expires) < Instant.now().getEpochSecond()
                || !MessageDigest.isEqual(q.getOrDefault("signature", "").getBytes(StandardCharsets.UTF_8),
                        signature(uid, "write", Long.parseLong(expires)).getBytes(StandardCharsets.UTF_8))) {
            throw denied("Authentication failed");
        }
        if (!NodeRef.UUID.matcher(uid).matches()) {
            throw new FilesystemRoutes.Reply(404, Map.of("error", "Item not found"));
        }
        return fs.lookup(NodeRef.uid(uid)).filter(x -> !x.isRoot())
                .orElseThrow(() -> new FilesystemRoutes.Reply(404, Map.of("error", "Item not found")));
    }

    private void writeFiles(Request req, Response res, Entry target, FsUser user) throws IOException {
        MultipartReader parts = MultipartReader.of(req);
        Map<String, String> fields = new LinkedHashMap<>();
        List<Map<String, Object>> written = new ArrayList<>();
        for (Optional<MultipartReader.Part> next = parts.next(); next.isPresent(); next = parts.next()) {
            MultipartReader.Part part = next.get();
            if (part.filename().isEmpty()) {
                fields.put(part.name(), FilesystemRoutes.field(part));
                continue;
            }
            WriteRequest w = target.isDir()
                    ? new WriteRequest(NodeRef.uid(target.uuid()), Optional.ofNullable(fields.get("name"))
                            .filter(n -> !n.isEmpty()), part.filename(), -1, true, false, false, Optional.empty(),
                            Optional.empty(), ClientMetadata.NONE)
                    : new WriteRequest(NodeRef.uid(target.uuid()), Optional.empty(), Optional.empty(), -1, true, false,
                            false, Optional.empty(), Optional.empty(), ClientMetadata.NONE);
            Entry e = fs.write(user, w, part.content());
            Map<String, Object> m = FsJson.written(e, user);
            m.put("signature", signed(e, "write", true));
            written.add(m);
        }
        if (written.isEmpty()) {
            throw new FilesystemRoutes.Reply(400, "No files uploaded");
        }
        res.json(written.size() == 1 ? written.getFirst() : written);
    }

    private static boolean flag(String v) {
        return v != null && FilesystemRoutes.flagValue(v).orElse(!v.isEmpty());
    }

    private static Map<String, String> textFields(Request req) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        MultipartReader parts = MultipartReader.of(req);
        for (Optional<MultipartReader.Part> next = parts.next(); next.isPresent(); next = parts.next()) {
            if (next.get().filename().isEmpty()) {
                fields.put(next.get().name(), FilesystemRoutes.field(next.get()));
            }
        }
        return fields;
    }

    private static Map<String, String> jsonFields(Request req) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (req.isJson()) {
            JsonNode p = req.jsonTree();
            p.propertyNames().forEach(k -> FilesystemRoutes.string(p, k).ifPresent(v -> fields.put(k, v)));
        }
        return fields;
    }

    /** {@code GET /token-read}: {@code /read} for an access token given in the query; the name's content type. */
    void tokenRead(Request req, Response res) throws IOException {
        String token = req.query("token").filter(t -> !t.isEmpty()).orElseThrow(ApiError::tokenAuthFailed);
        Actor actor;
        try {
            actor = context.services().get(Authenticator.class).authenticate(token);
        } catch (ApiError e) {
            throw ApiError.tokenAuthFailed();
        }
        if (!(actor instanceof AccessTokenActor t)) {
            throw ApiError.tokenAuthFailed();
        }
        User u = t.actingUser().orElseThrow(ApiError::tokenAuthFailed);
        FsUser user = fsUser(u);
        JsonNode p = FilesystemRoutes.params(req);
        NodeRef ref = FilesystemRoutes.node(p, "file", user, "uid", "path");
        Context base = Context.current().orElseGet(Context::create);
        FileContent content = base.withActor(t).call(() -> fs.read(user, ref));
        FilesystemRoutes.noVersion(p);
        // The type is served only when a browser would just display it (an image in an <img>): HTML, SVG and the
        // like would run as the API origin, so they come as a download (filesystem.md 3.23, Hearth's fix).
        Optional<String> detected = fs.mediaType(content.entry());
        String type = MediaTypes.servable(detected);
        if (!MediaTypes.inline(type)) {
            FilesystemRoutes.attachment(res, content.entry().name());
        }
        FilesystemRoutes.userContent(res);
        res.serve(new ByteSource() {
            @Override
            public long length() {
                return content.length();
            }

            @Override
            public String contentType() {
                return type;
            }

            @Override
            public Optional<String> etag() {
                return content.etag();
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                return content.open(offset, length);
            }
        });
    }
}
