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
    private final List<Runnable> pending = new ArrayList<>();

    FsEvents(EventBus bus, FsUser user, ClientMetadata client) {
        this.bus = bus;
        this.user = user;
        this.client = client;
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
        Map<String, Object> payload = SafeEntry.of(node, user, true);
        oldPath.ifPresent(p -> payload.put("old_path", p));
        payload.putAll(meta);
        return payload;
    }

    private void gui(String event, List<Long> users, Map<String, Object> response) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id_list", users);
        data.put("response", response);
        bus.emit("outer.gui." + event, data);
        if (!event.equals("item.removed") && !event.equals("item.renamed")) {
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
