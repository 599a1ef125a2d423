package dev.hearth.fs;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.hearth.core.Database;
import dev.hearth.core.Notifications;
import dev.hearth.core.Permissions;
import dev.hearth.core.User;
import dev.hearth.core.UserActor;
import dev.hearth.core.UserEvents;
import dev.hearth.core.Users;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.core.type.TypeReference;

/**
 * The {@code sharing} service: what {@code POST /share} does once the request is understood (accounts spec 3.12).
 *
 * <ul>
 *   <li>{@link #setUserUser}: the {@code /acl/set-user-user} rule for filesystem grants (one mode per issuer, holder
 *       and entry; with {@code onlyIfHigher} a grant never lowers what the holder already has);</li>
 *   <li>{@link #notifyShared}: the {@code file-shared-with-you} notification;</li>
 *   <li>pending shares with an email address that has no account yet: a {@code share} row, applied and deleted when
 *       an account confirms that address ({@value UserEvents#EMAIL_CONFIRMED}).</li>
 * </ul>
 */
final class Sharing implements Service {

    /** The filesystem modes a grant can name, lowest first; {@code manage} is {@code manage:fs:<uid>}. */
    static final List<String> MODES = List.of("see", "list", "read", "write", "manage");

    private final ServiceContext context;
    private final Clock clock = Clock.systemUTC();
    private volatile Filesystem fs;
    private volatile Users users;
    private volatile Permissions permissions;
    private volatile Notifications notifications;
    private volatile Database database;

    Sharing(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        fs = context.services().get(Filesystem.class);
        users = context.services().get(Users.class);
        permissions = context.services().get(Permissions.class);
        notifications = context.services().get(Notifications.class);
        database = context.services().get(Database.class);
        context.events().on(UserEvents.EMAIL_CONFIRMED, (key, data, meta) -> {
            if (data instanceof UserEvents.EmailConfirmed e) {
                applyPending(e.userId(), e.email());
            }
        });
    }

    /** The permission that grants {@code mode} on entry {@code uid}. */
    static String fsPermission(String uid, String mode) {
        return mode.equals("manage") ? "manage:fs:" + uid : "fs:" + uid + ":" + mode;
    }

    /**
     * Grants {@code mode} on the entry from the issuer to the holder, then revokes the issuer's other modes on that
     * entry for that holder. Nothing changes if the mode is already granted, nor, with {@code onlyIfHigher}, if a higher
     * one is.
     */
    void setUserUser(UserActor issuer, User holder, String uid, String mode, boolean onlyIfHigher) {
        List<String> held = database.jdbi().withHandle(h -> h.createQuery("SELECT permission FROM"
                        + " user_to_user_permissions WHERE issuer_user_id = :i AND holder_user_id = :h"
                        + " AND permission IN (<p>)")
                .bind("i", issuer.user().id()).bind("h", holder.id())
                .bindList("p", MODES.stream().map(m -> fsPermission(uid, m)).toList())
                .mapTo(String.class).list());
        List<String> heldModes = MODES.stream().filter(m -> held.contains(fsPermission(uid, m))).toList();
        if (heldModes.contains(mode)) {
            return;
        }
        int rank = MODES.indexOf(mode);
        if (onlyIfHigher && heldModes.stream().anyMatch(m -> MODES.indexOf(m) > rank)) {
            return;
        }
        permissions.grantUserToUser(issuer, holder.username(), fsPermission(uid, mode), Map.of());
        for (String other : heldModes) {
            permissions.revokeUserToUser(issuer, holder.username(), fsPermission(uid, other));
        }
    }

    /** Grants one permission of a share: filesystem ones through {@link #setUserUser}, others as user→user grants. */
    void grant(UserActor issuer, User holder, String permission) {
        List<String> c = List.of(permission.split(":", -1));
        if (c.size() == 3 && c.get(0).equals("fs") && MODES.contains(c.get(2))) {
            setUserUser(issuer, holder, c.get(1), c.get(2), true);
        } else if (c.size() == 3 && c.get(0).equals("manage") && c.get(1).equals("fs")) {
            setUserUser(issuer, holder, c.get(2), "manage", true);
        } else {
            permissions.grantUserToUser(issuer, holder.username(), permission, Map.of());
        }
    }

    /** Tells the recipient what was shared with them (template {@code file-shared-with-you}). */
    void notifyShared(User sharer, User recipient, Map<String, Object> metadata, List<Entry> files) {
        FsUser viewer = new FsUser(recipient.id(), recipient.username());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("metadata", metadata);
        fields.put("username", sharer.username());
        fields.put("files", files.stream().map(e -> SafeEntry.of(e, viewer, false)).toList());
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("source", "sharing");
        n.put("icon", "shared.svg");
        n.put("title", "Files were shared with you!");
        n.put("template", "file-shared-with-you");
        n.put("fields", fields);
        n.put("text", sharer.username() + " shared " + files.size() + (files.size() == 1 ? " file" : " files")
                + " with you.");
        notifications.notify(Notifications.Recipient.user(recipient.id()), n);
    }

    /** Stores a share with an address that has no account yet; returns its uid. */
    String storePending(User issuer, String email, List<String> granted, Map<String, Object> metadata) {
        String uid = UUID.randomUUID().toString();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("$", "internal:share");
        data.put("$v", "v0.0.0");
        data.put("permissions", granted);
        data.put("metadata", metadata);
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO share (uid, issuer_user_id, recipient_email, data,"
                        + " created_at) VALUES (:u, :i, :e, :d, :t)")
                .bind("u", uid).bind("i", issuer.id()).bind("e", email)
                .bind("d", Json.mapper().writeValueAsString(data)).bind("t", clock.millis()).execute());
        return uid;
    }

    private record Pending(long id, long issuerUserId, String data) {}

    /** Applies and deletes every pending share with {@code email}, now confirmed by the user {@code userId}. */
    void applyPending(long userId, String email) {
        if (email == null) {
            return;
        }
        List<Pending> pending = database.jdbi().withHandle(h -> h.createQuery("SELECT id, issuer_user_id, data FROM share"
                        + " WHERE recipient_email = :e ORDER BY id").bind("e", email)
                .map((r, ctx) -> new Pending(r.getLong(1), r.getLong(2), r.getString(3))).list());
        Optional<User> holder = users.byId(userId);
        if (holder.isEmpty()) {
            return;
        }
        for (Pending p : pending) {
            Optional<User> issuer = users.byId(p.issuerUserId());
            if (issuer.isPresent() && issuer.get().id() != userId) {
                Map<String, Object> data = Json.mapper().readValue(p.data(), new TypeReference<Map<String, Object>>() {});
                if (data.get("permissions") instanceof List<?> granted) {
                    for (Object permission : granted) {
                        try {
                            grant(UserActor.of(issuer.get()), holder.get(), String.valueOf(permission));
                        } catch (ApiError ignored) {
                            // The issuer lost the right to share it (or it is gone): that permission lapses.
                        }
                    }
                }
            }
            database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM share WHERE id = :id").bind("id", p.id()).execute());
        }
    }

    /** The pending shares an issuer made, for tests and listings: (recipient email, permissions). */
    List<Map<String, Object>> pendingOf(long issuerUserId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT uid, recipient_email, data FROM share"
                        + " WHERE issuer_user_id = :i ORDER BY id").bind("i", issuerUserId)
                .map((r, ctx) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("uid", r.getString(1));
                    m.put("recipient_email", r.getString(2));
                    m.put("data", Json.mapper().readValue(r.getString(3), new TypeReference<Map<String, Object>>() {}));
                    return m;
                }).list());
    }

    /** A pending share: its uid, issuer and recipient, and the permissions it grants. */
    record PendingShare(String uid, long issuerUserId, String recipientEmail, List<String> permissions) {}

    Optional<PendingShare> pending(String uid) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT uid, issuer_user_id, recipient_email, data FROM share"
                        + " WHERE uid = :u").bind("u", uid)
                .map((r, ctx) -> {
                    Map<String, Object> data = Json.mapper().readValue(r.getString(4),
                            new TypeReference<Map<String, Object>>() {});
                    List<String> granted = data.get("permissions") instanceof List<?> l
                            ? l.stream().map(String::valueOf).toList() : List.of();
                    return new PendingShare(r.getString(1), r.getLong(2), r.getString(3), granted);
                }).findFirst());
    }

    /** Applies a pending share to {@code holder} (user→user grants from its issuer) and deletes it. */
    void apply(PendingShare share, User issuer, User holder) {
        for (String permission : share.permissions()) {
            permissions.grantUserToUser(UserActor.of(issuer), holder.username(), permission, Map.of());
        }
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM share WHERE uid = :u").bind("u", share.uid()).execute());
    }

    /** Tells the issuer of a share that someone asks for it (template {@code user-requesting-share}). */
    void notifyRequested(User issuer, User requester, PendingShare share) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("username", requester.username());
        fields.put("share_uid", share.uid());
        fields.put("recipient_email", share.recipientEmail());
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("source", "sharing");
        n.put("icon", "shared.svg");
        n.put("title", requester.username() + " is requesting access to something you shared");
        n.put("template", "user-requesting-share");
        n.put("fields", fields);
        n.put("text", requester.username() + " is requesting access to something you shared.");
        notifications.notify(Notifications.Recipient.user(issuer.id()), n);
    }

    Optional<Entry> lookupUid(String uid) {
        return NodeRef.UUID.matcher(uid).matches() ? fs.lookup(NodeRef.uid(uid)) : Optional.empty();
    }

    /** Revokes every mode the issuer granted the holder on the entry; returns how many grants went. */
    int revokeAll(UserActor issuer, User holder, String uid) {
        List<String> held = database.jdbi().withHandle(h -> h.createQuery("SELECT permission FROM"
                        + " user_to_user_permissions WHERE issuer_user_id = :i AND holder_user_id = :h"
                        + " AND permission IN (<p>)")
                .bind("i", issuer.user().id()).bind("h", holder.id())
                .bindList("p", MODES.stream().map(m -> fsPermission(uid, m)).toList())
                .mapTo(String.class).list());
        for (String permission : held) {
            permissions.revokeUserToUser(issuer, holder.username(), permission);
        }
        return held.size();
    }

    /** Deletes the issuer's pending shares with {@code email} that grant something on the entry. */
    int deletePending(long issuerId, String email, String uid) {
        return database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM share WHERE issuer_user_id = :i"
                        + " AND recipient_email = :e AND data LIKE :u")
                .bind("i", issuerId).bind("e", email).bind("u", "%" + uid + "%").execute());
    }

    private record GrantRow(String permission, long createdAt, String issuer, String holder) {}

    /**
     * The {@code fs:} grants the user made ({@code byMe}) or received, optionally on one entry, as share rows of
     * client contract 4.5, newest first; grants on entries that are gone are left out.
     */
    List<Map<String, Object>> grants(boolean byMe, long userId, Optional<String> entryUid) {
        List<GrantRow> rows = database.jdbi().withHandle(h -> h.createQuery("SELECT p.permission, p.created_at,"
                        + " iu.username, hu.username FROM user_to_user_permissions p"
                        + " JOIN users iu ON iu.id = p.issuer_user_id JOIN users hu ON hu.id = p.holder_user_id"
                        + " WHERE " + (byMe ? "p.issuer_user_id" : "p.holder_user_id") + " = :me"
                        + " AND (p.permission LIKE 'fs:%' OR p.permission LIKE 'manage:fs:%')"
                        + " ORDER BY p.created_at DESC, p.permission")
                .bind("me", userId)
                .map((r, ctx) -> new GrantRow(r.getString(1), r.getLong(2), r.getString(3), r.getString(4))).list());
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (GrantRow g : rows) {
            List<String> c = List.of(g.permission().split(":", -1));
            String uid = c.get(0).equals("manage") ? (c.size() > 2 ? c.get(2) : "") : c.size() > 1 ? c.get(1) : "";
            String mode = c.get(0).equals("manage") ? "manage" : c.size() > 2 ? c.get(2) : "";
            if (entryUid.isPresent() && !entryUid.get().equals(uid)) {
                continue;
            }
            Optional<Entry> e = lookupUid(uid);
            if (e.isEmpty() || !MODES.contains(mode)) {
                continue;
            }
            out.add(shareRow(e.get(), uid, mode, g.issuer(), g.holder(), g.createdAt()));
        }
        return out;
    }

    /** The issuer's pending email shares (optionally only those on one entry), as share rows with {@code pending}. */
    List<Map<String, Object>> pendingRows(long issuerId, Optional<String> entryUid) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        Optional<User> issuer = users.byId(issuerId);
        for (Map<String, Object> p : pendingOf(issuerId)) {
            Map<?, ?> data = (Map<?, ?>) p.get("data");
            if (!(data.get("permissions") instanceof List<?> granted)) {
                continue;
            }
            for (Object permission : granted) {
                List<String> c = List.of(String.valueOf(permission).split(":", -1));
                if (c.size() != 3 || !c.get(0).equals("fs") || entryUid.map(u -> !u.equals(c.get(1))).orElse(false)) {
                    continue;
                }
                Optional<Entry> e = lookupUid(c.get(1));
                if (e.isPresent()) {
                    Map<String, Object> row = shareRow(e.get(), (String) p.get("uid"), c.get(2),
                            issuer.map(User::username).orElse(null), null, 0);
                    row.put("status", "pending");
                    row.put("pending", true);
                    row.put("recipient_email", p.get("recipient_email"));
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static Map<String, Object> shareRow(Entry e, String uid, String mode, String issuer, String holder,
            long createdAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uid", uid);
        m.put("mode", mode);
        m.put("path", e.path().value());
        m.put("uid_entry", e.uuid());
        m.put("is_dir", e.isDir());
        m.put("name", e.name());
        m.put("type", e.isDir() ? "folder" : "file");
        m.put("owner", e.ownerUsername());
        m.put("issuer", issuer);
        m.put("holder", holder);
        m.put("modified", e.modified());
        m.put("size", e.size().orElse(null));
        m.put("created_at", createdAt == 0 ? null : java.time.Instant.ofEpochMilli(createdAt).toString());
        return m;
    }

    Optional<Entry> lookup(String path) {
        try {
            return fs.lookup(NodeRef.path(FsPath.of(path)));
        } catch (IllegalArgumentException bad) {
            return Optional.empty();
        }
    }
}
