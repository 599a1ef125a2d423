package dev.hearth.fs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.HttpAuth;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import tools.jackson.databind.JsonNode;

/**
 * The {@code fs-v2-routes} service: upstream's other {@code /fs/*} routes (puterjs-client-contract.md 5.12), which
 * neither SDK version calls, as thin wrappers over the {@link Filesystem}'s operations answering v2 entries (5.13,
 * with the v1 names added as on the signed path). Options are read in camelCase and snake_case.
 */
final class FsV2Routes implements Service, HttpService {

    /** The largest file {@code /fs/write} takes inline: its content is part of a JSON body. */
    static final int MAX_INLINE = 32 << 20;

    private final ServiceContext context;
    private volatile Filesystem fs;

    FsV2Routes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        fs = context.services().get(Filesystem.class);
    }

    @Override
    public void routes(Router router) {
        Router api = router.api();
        api.post("/fs/stat", HttpAuth.required(this::stat));
        api.post("/fs/mkdir", HttpAuth.required(this::mkdir));
        api.post("/fs/touch", HttpAuth.required(this::touch));
        api.post("/fs/rename", HttpAuth.required(this::rename));
        api.post("/fs/delete", HttpAuth.required(this::delete));
        api.post("/fs/move", HttpAuth.required(this::move));
        api.post("/fs/copy", HttpAuth.required(this::copy));
        api.get("/fs/read", HttpAuth.required(this::read));
        api.post("/fs/search", HttpAuth.required(this::search));
        api.post("/fs/write", HttpAuth.required(this::write));
        api.post("/fs/batchWrite", HttpAuth.required(this::batchWrite));
        api.post("/fs/mkshortcut", HttpAuth.required(this::mkshortcut));
    }

    private static JsonNode body(Request req) {
        return FilesystemRoutes.params(req);
    }

    private static NodeRef node(JsonNode p, FsUser user, String key, String... aliases) {
        return FilesystemRoutes.node(p, key, user, aliases);
    }

    private static boolean flag(JsonNode p, String... keys) {
        for (String k : keys) {
            if (p.has(k)) {
                return FilesystemRoutes.truthy(p, k);
            }
        }
        return false;
    }

    private static Optional<String> text(JsonNode p, String... keys) {
        for (String k : keys) {
            Optional<String> v = FilesystemRoutes.string(p, k);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    private static ClientMetadata client(JsonNode p) {
        JsonNode g = p.has("guiMetadata") ? p.get("guiMetadata") : p.has("gui_metadata") ? p.get("gui_metadata") : p;
        return new ClientMetadata(text(g, "socketId", "socket_id").filter(s -> !s.equals("undefined")),
                text(g, "operationId", "operation_id"), text(g, "itemUploadId", "item_upload_id"));
    }

    private static Map<String, Object> v2(Entry e, FsUser user) {
        return SignedWrites.entry(e, user);
    }

    void stat(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        res.json(v2(fs.stat(user, node(p, user, "path", "uid", "uuid", "id")), user));
    }

    void mkdir(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        String path = text(p, "path").orElseThrow(() -> ApiError.fieldMissing("path"));
        MkdirResult r = fs.mkdir(user, new MkdirRequest(Optional.empty(), path, flag(p, "overwrite"),
                flag(p, "dedupeName", "dedupe_name"), flag(p, "createMissingParents", "create_missing_parents",
                "createMissingAncestors", "create_missing_ancestors"), client(p)));
        res.json(v2(r.entry(), user));
    }

    void touch(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        boolean accessed = !p.has("setAccessedToNow") && !p.has("set_accessed_to_now")
                || flag(p, "setAccessedToNow", "set_accessed_to_now");
        boolean modified = !p.has("setModifiedToNow") && !p.has("set_modified_to_now")
                || flag(p, "setModifiedToNow", "set_modified_to_now");
        res.json(v2(fs.touch(user, node(p, user, "path", "uid", "uuid"), accessed, modified), user));
    }

    void rename(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        String name = text(p, "newName", "new_name").orElseThrow(() -> ApiError.fieldMissing("newName"));
        RenameResult r = fs.rename(user, node(p, user, "path", "uid", "uuid"), name, client(p));
        res.json(v2(r.entry(), user));
    }

    void delete(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        List<NodeRef> refs = new ArrayList<>();
        JsonNode paths = p.get("paths");
        if (paths != null && paths.isArray()) {
            for (JsonNode item : paths) {
                refs.add(NodeRef.parse("paths", item.isString() ? item.asString() : null, user.username()));
            }
        } else {
            refs.add(node(p, user, "path", "uid", "uuid"));
        }
        boolean recursive = !p.has("recursive") || flag(p, "recursive");
        boolean descendantsOnly = flag(p, "descendantsOnly", "descendants_only");
        for (NodeRef ref : refs) {
            fs.delete(user, new DeleteRequest(ref, recursive, descendantsOnly, client(p)));
        }
        res.json(Map.of("ok", true));
    }

    void move(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        Optional<String> metadata = Optional.ofNullable(p.get("newMetadata")).or(() -> Optional.ofNullable(
                p.get("new_metadata"))).filter(m -> !m.isNull()).map(m -> m.isString() ? m.asString() : m.toString());
        MoveResult r = fs.move(user, new MoveRequest(node(p, user, "source"), node(p, user, "destination"),
                text(p, "newName", "new_name").filter(n -> !n.isEmpty()), flag(p, "overwrite"),
                flag(p, "dedupeName", "dedupe_name"), flag(p, "createMissingParents", "create_missing_parents"),
                metadata, client(p)));
        res.json(v2(r.moved(), user));
    }

    void copy(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        CopyResult r = fs.copy(user, new CopyRequest(node(p, user, "source"), node(p, user, "destination"),
                text(p, "newName", "new_name").filter(n -> !n.isEmpty()), flag(p, "overwrite"),
                flag(p, "dedupeName", "dedupe_name"), client(p)));
        res.json(v2(r.copied(), user));
    }

    void read(Request req, Response res) throws java.io.IOException {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        res.serve(fs.read(user, node(p, user, "path", "uid", "uuid", "file")));
    }

    void search(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        String query = text(p, "query", "text").orElse("");
        int limit = p.has("limit") && p.get("limit").isNumber() ? Math.clamp(p.get("limit").asInt(), 1, 50) : 50;
        res.json(fs.search(user, query).stream().limit(limit).map(e -> v2(e, user)).toList());
    }

    void write(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        res.json(writeOne(user, p));
    }

    void mkshortcut(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode p = body(req);
        FsPath path = SignedWriteRoutes.normalise(text(p, "path").orElseThrow(() -> ApiError.fieldMissing("path")), user);
        NodeRef target = node(p, user, "target", "shortcutTo", "shortcut_to", "targetUid", "target_uid");
        Entry made = fs.shortcut(user, NodeRef.path(path.parent()), path.name(), target, Optional.empty(),
                flag(p, "dedupeName", "dedupe_name"), client(p));
        res.json(v2(made, user));
    }

    void batchWrite(Request req, Response res) throws java.io.IOException {
        FsUser user = FilesystemRoutes.user();
        if (req.contentType().filter(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")).isPresent()) {
            res.json(batchWriteMultipart(user, req));
            return;
        }
        JsonNode items = req.jsonTree();
        if (items.isObject() && items.has("items")) {
            items = items.get("items");
        }
        if (!items.isArray()) {
            throw ApiError.badRequest("The body must be an array of items.");
        }
        if (items.size() > SignedWrites.MAX_ITEMS) {
            throw ApiError.badRequest("At most " + SignedWrites.MAX_ITEMS + " items per request.");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode item : items) {
            out.add(writeOne(user, item));
        }
        res.json(out);
    }

    /**
     * The multipart form of {@code /fs/batchWrite}: a {@code manifest} field {@code {"items":[{"index":0,
     * "fileMetadata":{…}}]}} first, then one file part per item, named {@code <index>}, {@code file-<index>} or
     * {@code files[<index>]} (or {@code file}/{@code files}, taken in manifest order). Each file streams to the store.
     */
    private List<Map<String, Object>> batchWriteMultipart(FsUser user, Request req) throws java.io.IOException {
        dev.hearth.web.MultipartReader parts = dev.hearth.web.MultipartReader.of(req);
        List<JsonNode> manifest = null;
        Map<Integer, Map<String, Object>> results = new java.util.TreeMap<>();
        int nextInOrder = 0;
        for (var next = parts.next(); next.isPresent(); next = parts.next()) {
            var part = next.get();
            if (part.filename().isEmpty() && part.name().equals("manifest")) {
                JsonNode m = dev.hearth.kernel.Json.mapper().readTree(FilesystemRoutes.field(part));
                JsonNode items = m.isObject() ? m.get("items") : m;
                if (items == null || !items.isArray() || items.size() > SignedWrites.MAX_ITEMS) {
                    throw ApiError.badRequest("`manifest` must hold an array of at most " + SignedWrites.MAX_ITEMS
                            + " items.");
                }
                manifest = new ArrayList<>();
                items.forEach(manifest::add);
                continue;
            }
            if (part.filename().isEmpty()) {
                FilesystemRoutes.field(part); // another text field: not ours
                continue;
            }
            if (manifest == null) {
                throw ApiError.badRequest("The `manifest` field must come before the files.");
            }
            String name = part.name();
            String digits = name.replaceFirst("^(file-|files\\[)?(\\d+)\\]?$", "$2");
            int index = digits.chars().allMatch(Character::isDigit) && !digits.isEmpty() ? Integer.parseInt(digits)
                    : nextInOrder;
            nextInOrder = index + 1;
            JsonNode item = null;
            for (int i = 0; i < manifest.size(); i++) {
                JsonNode candidate = manifest.get(i);
                int declared = candidate.has("index") ? candidate.get("index").asInt() : i;
                if (declared == index) {
                    item = candidate;
                    break;
                }
            }
            if (item == null || results.containsKey(index)) {
                throw ApiError.badRequest("No manifest item for file part " + FsErrors.quot(name) + ".");
            }
            results.put(index, writeStream(user, item, part.content()));
        }
        if (manifest == null || results.size() != manifest.size()) {
            throw ApiError.badRequest("Every manifest item needs its file part.");
        }
        return new ArrayList<>(results.values());
    }

    /** One item of the multipart {@code /fs/batchWrite}: its file part streamed to the store. */
    private Map<String, Object> writeStream(FsUser user, JsonNode item, java.io.InputStream content) {
        JsonNode meta = item.has("fileMetadata") ? item.get("fileMetadata") : item.get("file_metadata");
        if (meta == null || !meta.isObject()) {
            throw ApiError.fieldMissing("fileMetadata");
        }
        FsPath path = SignedWriteRoutes.normalise(text(meta, "path").orElseThrow(
                () -> ApiError.fieldMissing("fileMetadata.path")), user);
        long size = meta.has("size") && meta.get("size").isNumber() ? meta.get("size").asLong() : -1;
        Optional<Entry> before = fs.lookup(NodeRef.path(path));
        WriteRequest wr = new WriteRequest(NodeRef.path(path.parent()), Optional.of(path.name()), Optional.empty(),
                size, flag(meta, "overwrite"), flag(meta, "dedupeName", "dedupe_name"), flag(meta,
                "createMissingParents", "create_missing_parents", "createMissingAncestors", "create_missing_ancestors"),
                text(item, "thumbnailData", "thumbnail_data").filter(t -> !t.isEmpty()), Optional.empty(), client(item));
        Entry written = fs.write(user, wr, content);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fsEntry", v2(written, user));
        m.put("wasOverwrite", before.map(b -> b.uuid().equals(written.uuid())).orElse(false));
        return m;
    }

    /** One {@code /fs/write} item: {@code {fileMetadata, fileContent, encoding?, thumbnailData?, guiMetadata?}}. */
    private Map<String, Object> writeOne(FsUser user, JsonNode item) {
        JsonNode meta = item.has("fileMetadata") ? item.get("fileMetadata") : item.get("file_metadata");
        if (meta == null || !meta.isObject()) {
            throw ApiError.fieldMissing("fileMetadata");
        }
        String rawPath = text(meta, "path").orElseThrow(() -> ApiError.fieldMissing("fileMetadata.path"));
        FsPath path = SignedWriteRoutes.normalise(rawPath, user);
        JsonNode content = item.has("fileContent") ? item.get("fileContent") : item.get("file_content");
        byte[] bytes;
        String encoding = text(item, "encoding").orElse("utf8");
        if (content == null || content.isNull()) {
            bytes = new byte[0];
        } else if (content.isObject() && content.has("base64")) {
            bytes = decode(content.get("base64").asString());
        } else if (content.isString()) {
            bytes = encoding.equalsIgnoreCase("base64") ? decode(content.asString())
                    : content.asString().getBytes(StandardCharsets.UTF_8);
        } else {
            throw ApiError.fieldInvalid("fileContent", "a string or {base64}", null);
        }
        if (bytes.length > MAX_INLINE) {
            throw ApiError.payloadTooLarge(MAX_INLINE);
        }
        boolean overwrite = flag(meta, "overwrite");
        boolean dedupe = flag(meta, "dedupeName", "dedupe_name");
        boolean parents = flag(meta, "createMissingParents", "create_missing_parents", "createMissingAncestors",
                "create_missing_ancestors");
        Optional<String> thumbnail = text(item, "thumbnailData", "thumbnail_data").filter(t -> !t.isEmpty());
        Optional<Entry> before = fs.lookup(NodeRef.path(path));
        WriteRequest wr = new WriteRequest(NodeRef.path(path.parent()), Optional.of(path.name()), Optional.empty(),
                bytes.length, overwrite, dedupe, parents, thumbnail, Optional.empty(), client(item));
        Entry written = fs.write(user, wr, new ByteArrayInputStream(bytes));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fsEntry", v2(written, user));
        m.put("wasOverwrite", before.map(b -> b.uuid().equals(written.uuid())).orElse(false));
        thumbnail.ifPresent(t -> m.put("requestedThumbnail", t));
        try {
            m.put("contentHashSha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiError.fieldInvalid("fileContent", "base64", null);
        }
    }
}
