package dev.hearth.fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.HttpAuth;
import dev.hearth.fs.SignedWrites.CompleteItem;
import dev.hearth.fs.SignedWrites.Gui;
import dev.hearth.fs.SignedWrites.StartItem;
import dev.hearth.fs.spi.DirectUploads;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import tools.jackson.databind.JsonNode;

/**
 * The {@code signed-write-routes} service: the HTTP side of {@link SignedWrites} (puterjs-client-contract.md 5.3-5.7)
 * on the API host. Bodies are read with upstream's spellings (camelCase, snake_case aliases); every error that has
 * status 404, 405 or 501 carries a {@code code}, so that puter.js surfaces it instead of falling back to
 * {@code /batch} (5.2). With {@code services.filesystem.signed_writes.enabled: false}, {@code /fs/startBatchWrite}
 * answers a code-less {@code 404 Not Found}, which makes it fall back for good.
 *
 * <p>{@code PUT /fs/upload/<id>} is authenticated by its signature alone: no cookie or token is needed, and none
 * grants anything there.
 */
final class SignedWriteRoutes implements Service, HttpService {

    private final ServiceContext context;
    private volatile SignedWrites writes;

    SignedWriteRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        writes = context.services().get(SignedWrites.class);
    }

    @Override
    public void routes(Router router) {
        Router api = router.api();
        api.post("/fs/startBatchWrite", (req, res) -> {
            if (!writes.enabled()) {
                res.status(404).text("Not Found");
                return;
            }
            HttpAuth.required(this::startBatch).handle(req, res);
        });
        api.post("/fs/startWrite", HttpAuth.required(this::startOne));
        api.post("/fs/completeBatchWrite", HttpAuth.required(this::completeBatch));
        api.post("/fs/completeWrite", HttpAuth.required(this::completeOne));
        api.post("/fs/abortWrite", HttpAuth.required(this::abort));
        api.post("/fs/signMultipartParts", HttpAuth.required(this::signParts));
        api.put("/fs/upload/:id", this::upload);
    }

    // ---------------------------------------------------------------------------------------------------------

    private void startBatch(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode body = req.jsonTree();
        if (!body.isArray()) {
            throw ApiError.badRequest("The body must be an array of items.");
        }
        List<StartItem> items = new ArrayList<>();
        for (JsonNode item : body) {
            items.add(startItem(item, user));
        }
        res.json(writes.start(user, items));
    }

    private void startOne(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode body = req.jsonTree();
        if (!body.isObject()) {
            throw ApiError.badRequest("The body must be an item object.");
        }
        res.json(writes.start(user, List.of(startItem(body, user))).getFirst());
    }

    private void completeBatch(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode body = req.jsonTree();
        if (!body.isArray()) {
            throw ApiError.badRequest("The body must be an array of items.");
        }
        if (body.size() > SignedWrites.MAX_ITEMS) {
            throw ApiError.badRequest("At most " + SignedWrites.MAX_ITEMS + " items per request.");
        }
        List<CompleteItem> items = new ArrayList<>();
        for (JsonNode item : body) {
            items.add(completeItem(item));
        }
        // In order; the first failure answers for the request (puter.js then completes item by item, and items
        // already completed answer again with their entry).
        List<Map<String, Object>> out = new ArrayList<>();
        for (CompleteItem item : items) {
            out.add(writes.complete(user, item));
        }
        res.json(out);
    }

    private void completeOne(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode body = req.jsonTree();
        if (!body.isObject()) {
            throw ApiError.badRequest("The body must be an item object.");
        }
        res.json(writes.complete(user, completeItem(body)));
    }

    private void abort(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        writes.abort(user, uploadId(req.jsonTree()));
        res.json(Map.of("ok", true));
    }

    private void signParts(Request req, Response res) {
        FsUser user = FilesystemRoutes.user();
        JsonNode body = req.jsonTree();
        String id = uploadId(body);
        JsonNode numbers = first(body, "partNumbers", "part_numbers");
        if (numbers == null || !numbers.isArray() || numbers.isEmpty() || numbers.size() > 10_000) {
            throw ApiError.badRequest("`partNumbers` must be a non-empty array of part numbers.");
        }
        List<Integer> parts = new ArrayList<>();
        for (JsonNode n : numbers) {
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw ApiError.badRequest("`partNumbers` must be a non-empty array of part numbers.");
            }
            parts.add(n.asInt());
        }
        res.json(writes.signParts(user, id, parts));
    }

    private void upload(Request req, Response res) {
        String id = req.pathParam("id").orElseThrow();
        SignedWrites.Received r = writes.receivePart(id, req.query("part"), req.query("exp"), req.query("sig"),
                req.contentLength(), req.body());
        res.header("ETag", r.etag());
        // Browsers let the page read the ETag only when told so; puter.js needs it for multipart parts (5.4).
        res.header("Access-Control-Expose-Headers", "ETag");
        res.status(200).text("");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parsing

    private static String uploadId(JsonNode body) {
        JsonNode id = body.isObject() ? first(body, "uploadId", "upload_id", "sessionId") : null;
        if (id == null || !id.isString() || id.asString().isBlank()) {
            throw ApiError.badRequest("`uploadId` is required.");
        }
        return id.asString();
    }

    private static StartItem startItem(JsonNode item, FsUser user) {
        if (!item.isObject()) {
            throw ApiError.badRequest("Each item must be an object.");
        }
        JsonNode meta = first(item, "fileMetadata", "file_metadata");
        if (meta == null || !meta.isObject()) {
            throw ApiError.fieldMissing("fileMetadata");
        }
        boolean directory = truthy(item.get("directory")) || truthy(meta.get("directory"));
        JsonNode path = meta.get("path");
        if (path == null || path.isNull()) {
            throw ApiError.fieldMissing("fileMetadata.path");
        }
        if (!path.isString()) {
            throw ApiError.fieldInvalid("fileMetadata.path", "a path", null);
        }
        JsonNode sizeNode = meta.get("size");
        long size = 0;
        if (!directory) {
            if (sizeNode == null || sizeNode.isNull()) {
                throw ApiError.fieldMissing("fileMetadata.size");
            }
            if (!sizeNode.isIntegralNumber() || sizeNode.asLong() < 0 || !sizeNode.canConvertToLong()) {
                throw ApiError.fieldInvalid("fileMetadata.size", "a number of bytes", null);
            }
            size = sizeNode.asLong();
        }
        String contentType = text(first(meta, "contentType", "content_type")).filter(t -> !t.isBlank())
                .orElse("application/octet-stream");
        Optional<String> mode = text(first(meta, "uploadMode", "upload_mode")).or(() -> text(first(item, "uploadMode",
                "upload_mode")));
        Optional<Long> partSize = number(first(meta, "multipartPartSize", "multipart_part_size"))
                .or(() -> number(first(item, "multipartPartSize", "multipart_part_size")));
        Optional<Long> expires = number(first(meta, "expiresInSeconds", "expires_in_seconds"))
                .or(() -> number(first(item, "expiresInSeconds", "expires_in_seconds")));
        boolean parents = truthy(first(meta, "createMissingParents", "create_missing_parents", "createMissingAncestors",
                "create_missing_ancestors"));
        return new StartItem(normalise(path.asString(), user), directory, size, contentType,
                truthy(meta.get("overwrite")), truthy(first(meta, "dedupeName", "dedupe_name")), parents,
                mode.filter("multipart"::equals).isPresent(), partSize, expires, gui(item));
    }

    private static CompleteItem completeItem(JsonNode item) {
        if (!item.isObject()) {
            throw ApiError.badRequest("Each item must be an object.");
        }
        String id = uploadId(item);
        List<DirectUploads.UploadedPart> parts = new ArrayList<>();
        JsonNode list = item.get("parts");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw ApiError.badRequest("`parts` must be an array.");
            }
            for (JsonNode p : list) {
                JsonNode n = p.isObject() ? first(p, "partNumber", "part_number", "PartNumber") : null;
                Optional<String> etag = p.isObject() ? text(first(p, "etag", "ETag", "eTag")) : Optional.empty();
                if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || etag.isEmpty()) {
                    throw ApiError.badRequest("Each part needs a `partNumber` and an `etag`.");
                }
                parts.add(new DirectUploads.UploadedPart(n.asInt(), etag.get()));
            }
        }
        Optional<String> thumbnail = text(first(item, "thumbnailData", "thumbnail_data")).filter(t -> !t.isEmpty());
        return new CompleteItem(id, List.copyOf(parts), thumbnail, gui(item));
    }

    private static Gui gui(JsonNode item) {
        JsonNode g = first(item, "guiMetadata", "gui_metadata");
        if (g == null || !g.isObject()) {
            return Gui.NONE;
        }
        return new Gui(text(first(g, "operationId", "operation_id")), text(first(g, "itemUploadId", "item_upload_id")),
                text(first(g, "socketId", "socket_id")).filter(s -> !s.equals("undefined")),
                text(first(g, "originalClientSocketId", "original_client_socket_id")).filter(s -> !s.equals("undefined")));
    }

    /**
     * A request path as upstream takes it: trimmed, {@code ~} expanded, a leading {@code /} added and trailing ones
     * removed; it must already be normalised (no {@code .}, {@code ..} or empty segments), and must name something
     * below a home ({@code /} and {@code /<name>} are the root's, 400 {@code cannot_write_to_root}).
     */
    static FsPath normalise(String raw, FsUser user) {
        String p = raw.strip();
        if (p.startsWith("~")) {
            if (p.equals("~")) {
                p = "/" + user.username();
            } else if (p.startsWith("~/")) {
                p = "/" + user.username() + p.substring(1);
            } else {
                throw invalidPath();
            }
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (FsNames.hasUnsafeCharacter(p)) {
            throw invalidPath();
        }
        if (!p.equals("/")) {
            for (String segment : p.substring(1).split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw invalidPath();
                }
            }
        }
        FsPath path = FsPath.of(p);
        if (path.depth() < 2) {
            throw SignedWrites.cannotWriteToRoot();
        }
        return path;
    }

    private static ApiError invalidPath() {
        return ApiError.of(400, "field_invalid", "Field `fileMetadata.path` is invalid. Expected a normalised path.")
                .with("key", "fileMetadata.path");
    }

    private static JsonNode first(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode v = node.get(k);
            if (v != null && !v.isNull() && !v.isMissingNode()) {
                return v;
            }
        }
        return null;
    }

    private static Optional<String> text(JsonNode v) {
        return v != null && v.isString() ? Optional.of(v.asString()) : Optional.empty();
    }

    private static Optional<Long> number(JsonNode v) {
        return v != null && v.isNumber() ? Optional.of(v.asLong()) : Optional.empty();
    }

    /** JavaScript truthiness. */
    private static boolean truthy(JsonNode v) {
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

    static Map<String, Object> orderedMap(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
