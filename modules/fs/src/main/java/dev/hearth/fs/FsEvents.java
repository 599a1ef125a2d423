package dev.hearth.fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.Context;
import dev.hearth.kernel.EventBus;

/**
 * Collects the events of one operation while its transaction runs and emits them once it has committed, so that
 * listeners see committed state and never wait for the connection the transaction holds (filesystem.md
 * section 7; kernel-realtime-wisp-peers-misc.md 3.3 and 5.4). Each filesystem change emits the internal
 * {@code fs.*} event and the {@code outer.gui.*} event the real-time service delivers to the users' sockets:
 * {@code {user_id_list: [ids], response: payload}}.
 */
final class FsEvents {

    private final EventBus bus;
    private final FsUser user;
    private final ClientMetadata client;
    private final java.util.function.BiFunction<Entry, Map<String, Object>, Map<String, Object>> describe;
    private final List<Runnable> pending = new ArrayList<>();

    FsEvents(EventBus bus, FsUser user, ClientMetadata client) {
        this(bus, user, client, (e, m) -> m);
    }

    /** @param describe completes a serialized entry (where a shortcut leads) */
    FsEvents(EventBus bus, FsUser user, ClientMetadata client,
             java.util.function.BiFunction<Entry, Map<String, Object>, Map<String, Object>> describe) {
        this.bus = bus;
        this.user = user;
        this.client = client;
        this.describe = describe;
    }

    /** The GUI metadata merged into item payloads. */
    Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from_new_service", true);
        Context.current().flatMap(Context::socketId).ifPresent(id -> m.put("original_client_socket_id", id));
        client.socketId().ifPresent(id -> m.put("socket_id", id));
        client.operationId().ifPresent(id -> m.put("operation_id", id));
        m.put("user_id", user.id());
        client.itemUploadId().ifPresent(id -> m.put("item_upload_id", id));
        return m;
    }

    void created(Entry node) {
        String key = node.isDir() ? "fs.create.directory" : "fs.create.file";
        Map<String, Object> meta = metadata();
        pending.add(() -> {
            bus.emit(key, new FsNodeEvent(node, user, Optional.empty(), meta));
            gui("item.added", owners(node), itemPayload(node, meta, Optional.empty()));
        });
    }

    /**
     * {@code item.pending} for a node about to be created (filesystem.md 7): the row as it will be inserted, without
     * the internal columns, plus the metadata. Sent at once, before the content is stored, as upstream does: the
     * write may still fail, and then no {@code item.added} follows.
     */
    void pendingNow(Entry node) {
        announcePending(node, metadata());
    }

    /** {@code item.pending} emitted with the other events after the commit (each node of a copy). */
    void pending(Entry node) {
        Map<String, Object> meta = metadata();
        pending.add(() -> announcePending(node, meta));
    }

    private void announcePending(Entry node, Map<String, Object> meta) {
        bus.emit("fs.pending.file", new FsNodeEvent(node, user, Optional.empty(), meta));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", node.uuid());
        row.put("uid", node.uuid());
        row.put("parent_id", node.parentUid().orElse(null));
        row.put("parent_uid", node.parentUid().orElse(null));
        row.put("name", node.name());
        row.put("path", node.path().value());
        row.put("dirname", node.path().parent().value());
        row.put("is_dir", node.isDir());
        row.put("size", node.isDir() ? null : node.size().orElse(null));
        row.put("created", node.created());
        row.put("modified", node.modified());
        row.put("accessed", node.accessed().orElse(null));
        row.put("thumbnail", node.thumbnail().orElse(null));
        row.put("associated_app_id", node.associatedAppId().orElse(null));
        row.putAll(meta);
        gui("item.pending", owners(node), row);
    }

    /**
     * {@code upload} as it is read, announcing {@code upload.progress} to the user's sockets (filesystem.md 7,
     * 4.3): {@code {item_uid, item_path, from_new_service, …metadata, total, loaded, loaded_diff}}. At most one event
     * per {@code interval}, and a last one when the upload ends, so that the {@code loaded_diff}s the client adds up
     * come to the bytes received however fast they arrive.
     */
    java.io.InputStream progress(java.io.InputStream upload, String itemUid, String itemPath, long declaredTotal,
                                 java.time.Duration interval) {
        Map<String, Object> meta = metadata();
        List<Long> users = List.of(user.id());
        return new UploadProgress(upload, interval.toNanos(), (loaded, diff, done) -> {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("item_uid", itemUid);
            response.put("item_path", itemPath);
            response.putAll(meta);
            response.put("total", declaredTotal >= 0 ? Math.max(declaredTotal, loaded) : loaded);
            response.put("loaded", loaded);
            response.put("loaded_diff", diff);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("user_id_list", users);
            data.put("response", response);
            bus.emit("outer.gui.upload.progress", data);
        });
    }

    /**
     * {@code upload.progress} for content the server copies itself (upstream's {@code fs.storage.progress.copy}): the
     * same payload as an upload's, for the copy of {@code itemUid} at {@code itemPath}; emitted at once.
     */
    void copyProgress(String itemUid, String itemPath, long total, long loaded, long diff) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("item_uid", itemUid);
        response.put("item_path", itemPath);
        response.putAll(metadata());
        response.put("total", total);
        response.put("loaded", loaded);
        response.put("loaded_diff", diff);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id_list", List.of(user.id()));
        data.put("response", response);
        bus.emit("outer.gui.upload.progress", data);
    }

    void written(Entry node) {
        Map<String, Object> meta = metadata();
        pending.add(() -> {
            bus.emit("fs.write.file", new FsNodeEvent(node, user, Optional.empty(), meta));
            gui("item.updated", owners(node), itemPayload(node, meta, Optional.empty()));
        });
    }

    void moved(Entry node, String oldPath) {
        Map<String, Object> meta = metadata();
        pending.add(() -> {
            bus.emit("fs.move.file", new FsNodeEvent(node, user, Optional.of(oldPath), meta));
            if (!node.name().equals(FsPath.of(oldPath).name())) {
                bus.emit("fs.rename", new FsNodeEvent(node, user, Optional.of(oldPath), meta));
            }
            gui("item.moved", owners(node), itemPayload(node, meta, Optional.of(oldPath)));
        });
    }

    void renamed(Entry node, String oldPath) {
        Map<String, Object> meta = metadata();
        pending.add(() -> {
            bus.emit("fs.rename", new FsNodeEvent(node, user, Optional.of(oldPath), meta));
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("uid", node.uuid());
            response.put("name", node.name());
            response.put("is_dir", node.isDir() ? 1 : 0);
            response.put("path", node.path().value());
            response.put("old_path", oldPath);
            response.put("type", MediaTypes.of(node).orElse(null));
            response.put("associated_app", Map.of());
            response.put("original_client_socket_id", meta.get("original_client_socket_id"));
            gui("item.renamed", owners(node), response);
        });
    }

    /**
     * @param requested how the client named it (the raw request string, as {@code item.removed.path} carries it)
     */
    void removed(Entry node, String requested, boolean descendantsOnly) {
        Map<String, Object> meta = metadata();
        pending.add(() -> {
            bus.emit("fs.remove.node", new FsNodeEvent(node, user, Optional.empty(), meta));
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("path", requested);
            response.put("descendants_only", descendantsOnly);
            gui("item.removed", owners(node), response);
        });
    }

    /** Emits everything collected; call after the commit. */
    void flush() {
        List<Runnable> todo = List.copyOf(pending);
        pending.clear();
        todo.forEach(Runnable::run);
    }

    /** Forgets everything collected: the transaction did not commit. */
    void discard() {
        pending.clear();
    }

    private List<Long> owners(Entry node) {
        // The acting user, and the owner when it is someone else (a share): both see the change.
        return node.userId() == user.id() ? List.of(user.id()) : List.of(user.id(), node.userId());
    }

    private Map<String, Object> itemPayload(Entry node, Map<String, Object> meta, Optional<String> oldPath) {
        Map<String, Object> payload = describe.apply(node, SafeEntry.of(node, user, true));
        oldPath.ifPresent(p -> payload.put("old_path", p));
        payload.putAll(meta);
        return payload;
    }

    private void gui(String event, List<Long> users, Map<String, Object> response) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id_list", users);
        data.put("response", response);
        bus.emit("outer.gui." + event, data);
        if (event.equals("item.added") || event.equals("item.updated") || event.equals("item.moved")
                || event.equals("item.pending")) {
            // What upstream's push service sends after every added/updated/moved event (filesystem.md 7).
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("timestamp", System.currentTimeMillis());
            cache.put("original_client_socket_id", response.get("original_client_socket_id"));
            Map<String, Object> cacheData = new LinkedHashMap<>();
            cacheData.put("user_id_list", users);
            cacheData.put("response", cache);
            bus.emit("outer.gui.cache.updated", cacheData);
        }
    }
}
