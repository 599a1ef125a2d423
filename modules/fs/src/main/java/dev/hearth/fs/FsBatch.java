package dev.hearth.fs;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.web.MultipartReader;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /batch} (filesystem.md 4.2): one multipart stream of {@code operation}, {@code fileinfo} and file parts.
 * Operations run one after another in the order they were sent (so {@code $ref}s to earlier results resolve); a
 * {@code write} waits for its file part, matched by order, as is its {@code fileinfo}; every file part streams
 * straight into the store. Results come in operation order; {@code 218} when any failed.
 */
final class FsBatch {

    private final Filesystem fs;
    private final FsUser user;
    private final List<Object> results = new ArrayList<>();
    private final List<Object> appended = new ArrayList<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final Deque<JsonNode> fileinfos = new ArrayDeque<>();
    private final Map<String, Entry> published = new HashMap<>();
    private final Map<String, String> meta = new LinkedHashMap<>();
    private boolean failed;

    private record Pending(int slot, JsonNode op) {
        String kind() {
            JsonNode k = op.get("op");
            return k == null || !k.isString() ? "" : k.asString();
        }
    }

    private static final class Malformed extends RuntimeException {
        Malformed() {
            super(null, null, false, false);
        }
    }

    FsBatch(Filesystem fs, FsUser user) {
        this.fs = fs;
        this.user = user;
    }

    void handle(Request req, Response res) throws IOException {
        MultipartReader parts = MultipartReader.of(req);
        try {
            for (Optional<MultipartReader.Part> next = parts.next(); next.isPresent(); next = parts.next()) {
                MultipartReader.Part part = next.get();
                if (part.filename().isPresent()) {
                    file(part);
                    continue;
                }
                String value = FilesystemRoutes.field(part);
                switch (part.name()) {
                    case "operation" -> {
                        JsonNode op = parse(value);
                        if (!op.isObject()) {
                            throw new Malformed();
                        }
                        results.add(null);
                        pending.add(new Pending(results.size() - 1, op));
                        runReady();
                    }
                    case "fileinfo" -> {
                        JsonNode info = parse(value);
                        JsonNode size = info.get("size");
                        if (!info.isObject() || size == null || !size.isIntegralNumber() || size.asLong() < 0) {
                            throw new Malformed();
                        }
                        fileinfos.add(info);
                    }
                    default -> meta.put(part.name(), value);
                }
            }
        } catch (Malformed | ApiError e) {
            if (e instanceof ApiError api && !api.code().equals("bad_request")) {
                throw api;
            }
            res.status(400).header("Connection", "close");
            res.text("Bad Request");
            return;
        }
        runReady();
        for (Pending p : pending) {
            if (p.kind().equals("write")) {
                failed = true;
                appended.add(serialized(ApiError.of(400, "batch_missing_file",
                        "Missing fileinfo entry or BLOB for operation.")));
            }
        }
        List<Object> all = new ArrayList<>(results);
        all.addAll(appended);
        res.status(failed ? 218 : 200);
        res.json(Map.of("results", all));
    }

    private static JsonNode parse(String value) {
        try {
            return Json.mapper().readTree(value);
        } catch (JacksonException e) {
            throw new Malformed();
        }
    }

    /** Runs the operations at the head of the queue until a write, which waits for its file. */
    private void runReady() {
        while (!pending.isEmpty() && !pending.peekFirst().kind().equals("write")) {
            Pending p = pending.removeFirst();
            run(p, () -> operation(p.op()));
        }
    }

    private void file(MultipartReader.Part part) throws IOException {
        runReady();
        if (pending.isEmpty() || fileinfos.isEmpty()) {
            failed = true;
            appended.add(serialized(ApiError.of(400, "batch_too_many_files",
                    "Received an extra file with no corresponding operation.")));
            return; // the reader skips the rest of the part
        }
        Pending p = pending.removeFirst();
        JsonNode info = fileinfos.removeFirst();
        run(p, () -> write(p.op(), info, part));
        runReady();
    }

    private interface Op {
        Object run() throws IOException;
    }

    private void run(Pending p, Op op) {
        try {
            Object result = op.run();
            if (result instanceof Published pub) {
                results.set(p.slot(), pub.body());
                string(p.op(), "as").ifPresent(name -> published.putIfAbsent(name, pub.entry()));
            } else {
                results.set(p.slot(), result);
            }
        } catch (FilesystemRoutes.Reply r) {
            failed = true;
            Map<String, Object> body = new LinkedHashMap<>();
            if (r.body instanceof Map<?, ?> m) {
                m.forEach((k, v) -> body.put(String.valueOf(k), v));
            } else {
                body.put("message", String.valueOf(r.body));
            }
            body.put("$", "heyputer:api/APIError");
            body.put("status", r.status);
            results.set(p.slot(), body);
        } catch (ApiError e) {
            failed = true;
            results.set(p.slot(), serialized(e));
        } catch (IOException | RuntimeException e) {
            failed = true;
            results.set(p.slot(), serialized(ApiError.of(500, "internal_error", "An internal error occurred.")));
        }
    }

    /** A result that also publishes a node under the operation's {@code as} name. */
    private record Published(Entry entry, Object body) {}

    static Map<String, Object> serialized(ApiError e) {
        Map<String, Object> m = new LinkedHashMap<>(e.fields());
        m.put("code", e.code());
        m.put("$", "heyputer:api/APIError");
        m.put("message", e.getMessage());
        m.put("status", e.status());
        return m;
    }

    private static Optional<String> string(JsonNode op, String key) {
        return FilesystemRoutes.string(op, key);
    }

    /** A node parameter of an operation: {@code $ref[/sub]}, {@code ~...}, a path or a uuid. */
    private NodeRef ref(JsonNode op, String key) {
        Optional<String> raw = string(op, key);
        if (raw.isPresent() && raw.get().startsWith("$")) {
            String value = raw.get().substring(1);
            int slash = value.indexOf('/');
            String name = slash < 0 ? value : value.substring(0, slash);
            String sub = slash < 0 ? "" : value.substring(slash);
            Entry base = published.get(name);
            if (base == null) {
                throw FsErrors.destDoesNotExist();
            }
            if (sub.contains("/../") || sub.endsWith("/..")) {
                throw FsErrors.unresolvedRelativePath(raw.get());
            }
            return NodeRef.parse(key, base.path().value() + sub, user.username());
        }
        return NodeRef.parse(key, raw.orElse(null), user.username());
    }

    private Object operation(JsonNode op) {
        String kind = string(op, "op").orElse("");
        return switch (kind) {
            case "mkdir" -> {
                Optional<NodeRef> parent = string(op, "parent").isPresent() ? Optional.of(ref(op, "parent"))
                        : Optional.empty();
                String path = string(op, "path").orElseThrow(() -> FsErrors.fieldMissing("path"));
                if (parent.isPresent()) {
                    path = path.replaceFirst("^/+", "");
                } else if (path.startsWith("$")) {
                    NodeRef r = ref(op, "path");
                    path = r instanceof NodeRef.ByPath bp ? bp.path().value() : path;
                }
                boolean parents = op.has("create_missing_ancestors")
                        ? FilesystemRoutes.truthy(op, "create_missing_ancestors")
                        : FilesystemRoutes.truthy(op, "create_missing_parents");
                if (string(op, "shortcut_to").filter(t -> !t.isEmpty()).isPresent()) {
                    Entry made = FilesystemRoutes.mkdirShortcut(fs, user, parent, path, ref(op, "shortcut_to"),
                            FilesystemRoutes.truthy(op, "dedupe_name"), client(op));
                    yield new Published(made, fs.describeShortcut(made, FsJson.written(made, user)));
                }
                MkdirResult r = fs.mkdir(user, new MkdirRequest(parent, path, FilesystemRoutes.truthy(op, "overwrite"),
                        FilesystemRoutes.truthy(op, "dedupe_name"), parents, client(op)));
                yield new Published(r.entry(), FilesystemRoutes.mkdirBody(r, user));
            }
            case "delete" -> {
                fs.delete(user, new DeleteRequest(ref(op, "path"), FilesystemRoutes.truthy(op, "recursive"),
                        FilesystemRoutes.truthy(op, "descendants_only"), client(op)));
                yield null;
            }
            case "move" -> {
                Optional<String> newName = string(op, "new_name").filter(n -> !n.isEmpty());
                JsonNode m = op.get("new_metadata");
                Optional<String> metadata = m == null || m.isNull() ? Optional.empty()
                        : Optional.of(m.isString() ? m.asString() : m.toString());
                boolean parents = FilesystemRoutes.truthy(op, "create_missing_ancestors")
                        || FilesystemRoutes.truthy(op, "create_missing_parents");
                MoveResult r = fs.move(user, new MoveRequest(ref(op, "source"), ref(op, "destination"), newName,
                        FilesystemRoutes.truthy(op, "overwrite"), FilesystemRoutes.truthy(op, "dedupe_name")
                        || FilesystemRoutes.truthy(op, "change_name"), parents, metadata, client(op)));
                yield new Published(r.moved(), FilesystemRoutes.moveBody(r, user));
            }
            case "shortcut" -> {
                // puter.js sends the target both as a path and as a uid; the uid survives a rename or move of it.
                NodeRef target = string(op, "shortcut_to_uid").filter(u -> !u.isEmpty())
                        .map(u -> NodeRef.parse("shortcut_to_uid", u, user.username()))
                        .orElseGet(() -> ref(op, "shortcut_to"));
                Optional<String> name = string(op, "name").filter(n -> !n.isEmpty());
                String finalName = name.orElseGet(() -> "Shortcut to "
                        + fs.lookup(target).orElseThrow(FsErrors::shortcutToDoesNotExist).name());
                Entry e = fs.shortcut(user, ref(op, "path"), finalName, target, Optional.empty(),
                        name.isEmpty() || FilesystemRoutes.truthy(op, "dedupe_name"), client(op));
                yield new Published(e, fs.describeShortcut(e, FsJson.written(e, user)));
            }
            case "symlink" -> {
                String name = string(op, "name").filter(n -> !n.isEmpty())
                        .orElseThrow(() -> ApiError.of(400, "field_empty", "Field `name` must not be empty.")
                                .with("key", "name"));
                String target = string(op, "target").orElseThrow(() -> FsErrors.fieldMissing("target"));
                Entry e = fs.symlink(user, ref(op, "path"), name, target, client(op));
                yield new Published(e, FsJson.written(e, user));
            }
            default -> throw ApiError.of(400, "invalid_operation", "Invalid operation: " + FsErrors.quot(kind) + ".")
                    .with("operation", kind);
        };
    }

    private Object write(JsonNode op, JsonNode info, MultipartReader.Part part) throws IOException {
        NodeRef path = ref(op, "path");
        JsonNode offset = op.get("offset");
        if (offset != null && !offset.isNull() && !offset.isMissingNode()) {
            return writeAt(op, path, offset, part);
        }
        boolean parents = op.has("create_missing_ancestors") ? FilesystemRoutes.truthy(op, "create_missing_ancestors")
                : FilesystemRoutes.truthy(op, "create_missing_parents");
        Optional<String> thumbnail = string(info, "thumbnail").or(() -> string(op, "thumbnail"))
                .filter(t -> !t.isEmpty());
        Optional<String> fallback = string(info, "name").filter(n -> !n.isEmpty()).or(part::filename);
        WriteRequest w = new WriteRequest(path, string(op, "name").filter(n -> !n.isEmpty()), fallback,
                info.get("size").asLong(), FilesystemRoutes.truthy(op, "overwrite"),
                FilesystemRoutes.truthy(op, "dedupe_name"), parents, thumbnail, Optional.empty(), client(op));
        Entry e = ClientMetadata.withOriginalSocket(string(op, "original_client_socket_id")
                .orElse(meta.get("original_client_socket_id")), () -> fs.write(user, w, part.content()));
        return new Published(e, fs.describeShortcut(e, FsJson.written(e, user)));
    }

    /**
     * A {@code write} with {@code offset} (filesystem.md 4.2): the file part replaces bytes of an existing file from
     * {@code offset} on. The file is {@code path} itself, or {@code name} in the directory {@code path}.
     */
    private Object writeAt(JsonNode op, NodeRef path, JsonNode offset, MultipartReader.Part part) throws IOException {
        if (!offset.isIntegralNumber() && !(offset.isString() && offset.asString().matches("\\d{1,18}"))) {
            throw ApiError.fieldInvalid("offset", "a non-negative integer", offset.toString());
        }
        long at = offset.isString() ? Long.parseLong(offset.asString()) : offset.asLong();
        Optional<String> name = string(op, "name").filter(n -> !n.isEmpty());
        NodeRef file = path;
        if (name.isPresent()) {
            FsPath dir = fs.lookup(path).map(Entry::path).or(() -> path instanceof NodeRef.ByPath bp
                    ? Optional.of(bp.path()) : Optional.empty()).orElseThrow(FsErrors::destDoesNotExist);
            file = NodeRef.path(dir.child(FsNames.validate(name.get(), fs.maxNameLength())));
        }
        NodeRef target = file;
        Entry e = ClientMetadata.withOriginalSocket(string(op, "original_client_socket_id")
                .orElse(meta.get("original_client_socket_id")), () -> fs.writeAt(user, target, at,
                FilesystemRoutes.truthy(op, "overwrite"), part.content(), client(op)));
        return new Published(e, FsJson.written(e, user));
    }

    private ClientMetadata client(JsonNode op) {
        return new ClientMetadata(Optional.ofNullable(meta.get("socket_id")).filter(s -> !s.isEmpty()
                && !s.equals("undefined")), string(op, "operation_id").or(() -> Optional.ofNullable(meta.get(
                "operation_id"))).filter(s -> !s.isEmpty()), string(op, "item_upload_id"));
    }
}
