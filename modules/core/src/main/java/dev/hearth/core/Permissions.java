package dev.hearth.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.hearth.core.spi.AppDirectory;
import dev.hearth.core.spi.PermissionImplicator;
import dev.hearth.core.spi.PermissionRewriter;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.core.type.TypeReference;

/**
 * The {@code permissions} service (spec 3): checking permissions for any actor, and the grants that give them.
 *
 * <p>A check ({@link #check}) runs the spec's scan: the system actor and the user {@code system} hold everything; the
 * permission is rewritten ({@link PermissionRewriter}s of the modules above), exploded into every permission that
 * implies it (its prefixes, and for {@code fs:<uid>:<mode>} the higher modes and {@code manage:fs:<uid>}), then
 * shortcut implicators, then by actor:
 * <ul>
 *   <li>user: non-shortcut implicators, user→user grants, the hard-coded permissions of the default groups, and
 *       user→group grants. A grant counts only while its issuer still holds the permission (cascades are evaluated at
 *       check time, never cached for good);</li>
 *   <li>app under a user: implicators, the default implicit permissions, user→app grants and developer→app grants,
 *       each only as far as the user (for developer grants, the developer) holds the permission: an app never gains
 *       through its user more than the user has;</li>
 *   <li>access token: exactly the permissions stored for the token, and only while its authorizer holds them;</li>
 *   <li>site: implicators only.</li>
 * </ul>
 *
 * Results are cached per actor and permission; every grant, revocation and membership change invalidates them at
 * once here and within a poll interval elsewhere ({@link CacheEpoch}). Granting {@code p} to a user, a group or as a
 * developer requires holding {@code manage:p}; granting to one's own apps does not (the app gets it only while the
 * user has it).
 */
public final class Permissions implements Service {

    /** The permissions an app has whenever its user has them (spec 3.5, user-app-implied). */
    static final Set<String> IMPLICIT_FOR_APPS = Set.of("driver:helloworld:greet", "driver:puter-kvstore",
            "driver:puter-ocr:recognize", "driver:puter-chat-completion", "driver:puter-image-generation",
            "driver:puter-video-generation", "driver:puter-tts", "driver:puter-speech2speech", "driver:puter-speech2txt",
            "driver:puter-apps", "driver:puter-subdomains", "driver:temp-email", "service", "feature");

    private static final Map<String, Object> NO_DATA = Map.of();

    /** Where a check found the permission, with the grant's data (for example a rate-limit policy). */
    record Found(String via, Permission permission, Map<String, Object> data) {}

    private final ServiceContext context;
    private final Clock clock;
    private volatile Database database;
    private volatile Users users;
    private volatile CacheEpoch epoch;
    private volatile EpochCache<String, Optional<Found>> cache;
    private volatile List<PermissionImplicator> implicators;
    private volatile List<PermissionRewriter> rewriters;

    Permissions(ServiceContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
        users = context.services().get(Users.class);
        epoch = context.services().get(CacheEpoch.class);
        cache = new EpochCache<>(epoch, 200_000, Duration.ofMinutes(5));
        // Every service was constructed before any init, so every module's contributions are known here.
        List<PermissionImplicator> all = new ArrayList<>(BuiltInImplicators.ALL);
        all.addAll(context.services().all(PermissionImplicator.class));
        implicators = List.copyOf(all);
        rewriters = context.services().all(PermissionRewriter.class);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checking

    /** Whether {@code actor} holds {@code permission}. A string that is not a permission is not held. */
    public boolean check(Actor actor, String permission) {
        return option(actor, permission).isPresent();
    }

    /** Each permission (duplicates once, in the order given) → whether the actor holds it. */
    public Map<String, Boolean> checkAll(Actor actor, Collection<String> permissions) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String p : permissions) {
            out.computeIfAbsent(p, k -> check(actor, k));
        }
        return out;
    }

    /**
     * The data of the grant or rule that gives {@code actor} the permission (empty map if it carries none), or empty
     * if the actor does not hold it. Policies such as rate limits ride on it.
     */
    public Optional<Map<String, Object>> option(Actor actor, String permission) {
        if (permission == null || permission.isEmpty()) {
            return Optional.empty();
        }
        try {
            return cache.get(actor.uid() + "\u0000" + permission,
                    k -> scan(actor, Permission.parse(permission), new HashSet<>())).map(Found::data);
        } catch (ApiError rewriteFailed) {
            // A subject that does not exist (fs:/no/such/path) is not held; nothing is cached, it may appear later.
            return Optional.empty();
        }
    }

    /** Throws {@code 403 permission_denied} unless the actor holds the permission. */
    public void require(Actor actor, String permission) {
        if (!check(actor, permission)) {
            throw ApiError.permissionDenied(permission);
        }
    }

    /** The permission after every rewriter (fs paths to uids, app and site names to {@code uid#...}). */
    public Permission rewrite(Actor actor, Permission permission) {
        Permission p = permission;
        for (PermissionRewriter r : rewriters) {
            if (r.rewrites(p)) {
                p = r.rewrite(actor, p);
            }
        }
        return p;
    }

    /** Drops every cached result, here and (at their next poll) on the other instances. For data other modules own. */
    public void invalidateCaches() {
        cache.invalidateAll();
        epoch.bump();
    }

    /** {@code p}, its prefixes, and for fs permissions the higher modes and {@code manage:fs:<uid>} (spec 3.4). */
    static List<Permission> explode(Permission p) {
        Set<Permission> out = new LinkedHashSet<>(p.withPrefixes());
        for (Permission q : p.withPrefixes()) {
            List<String> c = q.rawComponents();
            if (c.size() >= 3 && c.get(0).equals("fs")) {
                String uid = c.get(1);
                List<String> higher = switch (c.get(2)) {
                    case "see" -> List.of("list", "read", "write");
                    case "list" -> List.of("read", "write");
                    case "read" -> List.of("write");
                    default -> List.of();
                };
                for (String mode : higher) {
                    out.add(new Permission("fs:" + uid + ":" + mode));
                }
                if (!higher.isEmpty()) {
                    out.add(new Permission("manage:fs:" + uid));
                }
            }
        }
        return List.copyOf(out);
    }

    private Optional<Found> scan(Actor actor, Permission requested, Set<Long> visiting) {
        if (actor instanceof SystemActor) {
            return Optional.of(new Found("system", requested, NO_DATA));
        }
        if (actor instanceof UserActor u && u.user().isSystem()) {
            return Optional.of(new Found("system", requested, NO_DATA));
        }
        Permission p = rewrite(actor, requested);
        List<Permission> exploded = explode(p);
        for (Permission q : exploded) {
            for (PermissionImplicator i : implicators) {
                if (i.shortcut() && i.matches(q)) {
                    Optional<Map<String, Object>> data = i.check(actor, q);
                    if (data.isPresent()) {
                        return Optional.of(new Found("implied:" + i.implicatorId(), q, data.get()));
                    }
                }
            }
        }
        Optional<Found> implied = nonShortcut(actor, exploded);
        if (implied.isPresent()) {
            return implied;
        }
        return switch (actor) {
            case UserActor u -> scanUser(u.user(), exploded, visiting);
            case AppUnderUserActor a -> scanApp(a, p, exploded, visiting);
            case AccessTokenActor t -> scanToken(t, exploded, visiting);
            case SiteActor s -> Optional.empty();
            case SystemActor s -> Optional.of(new Found("system", p, NO_DATA));
        };
    }

    private Optional<Found> nonShortcut(Actor actor, List<Permission> exploded) {
        for (Permission q : exploded) {
            for (PermissionImplicator i : implicators) {
                if (!i.shortcut() && i.matches(q)) {
                    Optional<Map<String, Object>> data = i.check(actor, q);
                    if (data.isPresent()) {
                        return Optional.of(new Found("implied:" + i.implicatorId(), q, data.get()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private record Grant(long issuerId, String permission, String extra) {}

    private Optional<Found> scanUser(User user, List<Permission> exploded, Set<Long> visiting) {
        List<String> raw = exploded.stream().map(Permission::raw).toList();
        Set<Long> path = new HashSet<>(visiting);
        path.add(user.id());
        // user → user grants, cascading through their issuers
        List<Grant> direct = database.jdbi().withHandle(h -> h.createQuery("SELECT issuer_user_id, permission, extra"
                        + " FROM user_to_user_permissions WHERE holder_user_id = :u AND permission IN (<p>)")
                .bind("u", user.id()).bindList("p", raw)
                .map((r, ctx) -> new Grant(r.getLong(1), r.getString(2), r.getString(3))).list());
        Optional<Found> viaUser = cascade(direct, path, "user");
        if (viaUser.isPresent()) {
            return viaUser;
        }
        // the hard-coded permissions of the default groups
        List<String> groups = database.jdbi().withHandle(h -> h.createQuery("SELECT g.uid FROM group_members m"
                        + " JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = :u")
                .bind("u", user.id()).mapTo(String.class).list());
        for (Permission q : exploded) {
            for (String g : groups) {
                Map<String, Object> data = HardCodedGroupPermissions.FOR_GROUP.getOrDefault(g, Map.of()).get(q.raw());
                if (data != null) {
                    return Optional.of(new Found("hc-user-group", q, data));
                }
            }
        }
        // user → group grants, cascading through their issuers
        List<Grant> viaGroups = database.jdbi().withHandle(h -> h.createQuery("SELECT p.user_id, p.permission, p.extra"
                        + " FROM user_to_group_permissions p JOIN group_members m ON m.group_id = p.group_id"
                        + " WHERE m.user_id = :u AND p.permission IN (<p>)")
                .bind("u", user.id()).bindList("p", raw)
                .map((r, ctx) -> new Grant(r.getLong(1), r.getString(2), r.getString(3))).list());
        return cascade(viaGroups, path, "user-group");
    }

    private Optional<Found> cascade(List<Grant> grants, Set<Long> path, String via) {
        for (Grant g : grants) {
            if (path.contains(g.issuerId())) {
                continue; // a cycle
            }
            Optional<User> issuer = users.byId(g.issuerId());
            if (issuer.isPresent()
                    && scan(UserActor.of(issuer.get()), Permission.parse(g.permission()), path).isPresent()) {
                return Optional.of(new Found(via, Permission.parse(g.permission()), parse(g.extra())));
            }
        }
        return Optional.empty();
    }

    private Optional<Found> scanApp(AppUnderUserActor app, Permission p, List<Permission> exploded, Set<Long> visiting) {
        UserActor user = app.userActor();
        if (exploded.stream().anyMatch(q -> IMPLICIT_FOR_APPS.contains(q.raw()))) {
            Optional<Found> mine = scan(user, p, visiting);
            if (mine.isPresent()) {
                return Optional.of(new Found("user-app-implied", p, mine.get().data()));
            }
        }
        List<String> raw = exploded.stream().map(Permission::raw).toList();
        List<Grant> granted = database.jdbi().withHandle(h -> h.createQuery("SELECT user_id, permission, extra"
                        + " FROM user_to_app_permissions WHERE user_id = :u AND app_uid = :a AND permission IN (<p>)")
                .bind("u", app.user().id()).bind("a", app.appUid()).bindList("p", raw)
                .map((r, ctx) -> new Grant(r.getLong(1), r.getString(2), r.getString(3))).list());
        for (Grant g : granted) {
            if (scan(user, Permission.parse(g.permission()), visiting).isPresent()) {
                return Optional.of(new Found("user-app", Permission.parse(g.permission()), parse(g.extra())));
            }
        }
        List<Grant> developer = database.jdbi().withHandle(h -> h.createQuery("SELECT user_id, permission, extra"
                        + " FROM dev_to_app_permissions WHERE app_uid = :a AND permission IN (<p>)")
                .bind("a", app.appUid()).bindList("p", raw)
                .map((r, ctx) -> new Grant(r.getLong(1), r.getString(2), r.getString(3))).list());
        for (Grant g : developer) {
            Optional<User> dev = users.byId(g.issuerId());
            if (dev.isPresent() && scan(UserActor.of(dev.get()), Permission.parse(g.permission()), visiting).isPresent()) {
                return Optional.of(new Found("dev-app", Permission.parse(g.permission()), parse(g.extra())));
            }
        }
        return Optional.empty();
    }

    private Optional<Found> scanToken(AccessTokenActor token, List<Permission> exploded, Set<Long> visiting) {
        List<String> raw = exploded.stream().map(Permission::raw).toList();
        List<Grant> stored = database.jdbi().withHandle(h -> h.createQuery("SELECT 0, permission, extra"
                        + " FROM access_token_permissions WHERE token_uid = :t AND permission IN (<p>)")
                .bind("t", token.tokenUid()).bindList("p", raw)
                .map((r, ctx) -> new Grant(0, r.getString(2), r.getString(3))).list());
        for (Grant g : stored) {
            if (scan(token.authorizer(), Permission.parse(g.permission()), visiting).isPresent()) {
                return Optional.of(new Found("access-token", Permission.parse(g.permission()), parse(g.extra())));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Granting

    /** A grant as {@code /auth/list-permissions} shows it: the other party, the permission, the raw {@code extra}. */
    public record Grantee(String party, String permission, String extra) {}

    /** {@code /auth/list-permissions}: apps and users the user granted to, and users who granted to the user. */
    public record Listing(List<Grantee> myselfToApp, List<Grantee> myselfToUser, List<Grantee> userToMyself) {}

    /**
     * Grants {@code permission} from a user to another user (spec 3.8 {@code /auth/grant-user-user}): the holder must
     * exist ({@code 422 user_does_not_exist}), may not be the issuer ({@code 400 field_invalid}), and the issuer must
     * hold {@code manage:<permission>} ({@code 403 permission_denied}).
     */
    public void grantUserToUser(Actor issuer, String holderUsername, String permission, Map<String, Object> extra) {
        User from = userOnly(issuer);
        Permission p = rewrite(issuer, parsed(permission));
        User to = users.byUsername(holderUsername).orElseThrow(() -> AccountErrors.userDoesNotExist(holderUsername));
        if (to.id() == from.id()) {
            throw ApiError.fieldInvalid("target_username", "another user than yourself", null);
        }
        requireManage(issuer, p);
        upsert("user_to_user_permissions", "issuer_user_id, holder_user_id, permission", "extra",
                Map.of("issuer_user_id", from.id(), "holder_user_id", to.id(), "permission", p.raw(), "extra", json(extra)));
        audit("user-user", "grant", from.id(), to.uuid(), p);
    }

    /**
     * Revokes a user→user grant. The issuer's own grant goes; if the issuer holds {@code manage:<permission>} through
     * a rule (ownership of the resource), grants of the same permission to that holder by other issuers go too.
     */
    public void revokeUserToUser(Actor issuer, String holderUsername, String permission) {
        User from = userOnly(issuer);
        Permission p = rewrite(issuer, parsed(permission));
        User to = users.byUsername(holderUsername).orElseThrow(() -> AccountErrors.userDoesNotExist(holderUsername));
        boolean owner = cache.get(issuer.uid() + "\u0000" + p.manage().raw(),
                        k -> scan(issuer, p.manage(), new HashSet<>()))
                .filter(f -> f.via().startsWith("implied:") || f.via().equals("system")).isPresent();
        database.jdbi().useHandle(h -> {
            if (owner) {
                h.createUpdate("DELETE FROM user_to_user_permissions WHERE holder_user_id = :h AND permission = :p")
                        .bind("h", to.id()).bind("p", p.raw()).execute();
            } else {
                h.createUpdate("DELETE FROM user_to_user_permissions WHERE issuer_user_id = :i AND holder_user_id = :h"
                        + " AND permission = :p").bind("i", from.id()).bind("h", to.id()).bind("p", p.raw()).execute();
            }
        });
        audit("user-user", "revoke", from.id(), to.uuid(), p);
    }

    /** Grants to a group (the group must exist; the issuer needs {@code manage:<permission>}). */
    public void grantUserToGroup(Actor issuer, String groupUid, String permission, Map<String, Object> extra) {
        User from = userOnly(issuer);
        Permission p = rewrite(issuer, parsed(permission));
        long group = groupId(groupUid);
        requireManage(issuer, p);
        upsert("user_to_group_permissions", "user_id, group_id, permission", "extra",
                Map.of("user_id", from.id(), "group_id", group, "permission", p.raw(), "extra", json(extra)));
        audit("user-group", "grant", from.id(), groupUid, p);
    }

    /** Revokes the issuer's own grant to a group. */
    public void revokeUserToGroup(Actor issuer, String groupUid, String permission) {
        User from = userOnly(issuer);
        Permission p = rewrite(issuer, parsed(permission));
        long group = groupId(groupUid);
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM user_to_group_permissions WHERE user_id = :u"
                + " AND group_id = :g AND permission = :p").bind("u", from.id()).bind("g", group).bind("p", p.raw()).execute());
        audit("user-group", "revoke", from.id(), groupUid, p);
    }

    /**
     * Grants a permission to one of the user's apps (no {@code manage:} needed: the app holds it only while the user
     * does). Idempotent.
     */
    public void grantUserToApp(Actor issuer, String appUid, String permission, Map<String, Object> extra) {
        User from = userOnly(issuer);
        requireApp(appUid);
        Permission p = rewrite(issuer, parsed(permission));
        boolean inserted = database.jdbi().withHandle(h -> h.createUpdate("INSERT INTO user_to_app_permissions"
                        + " (user_id, app_uid, permission, extra, created_at) VALUES (:u, :a, :p, :e, :t)"
                        + " ON CONFLICT (user_id, app_uid, permission) DO NOTHING")
                .bind("u", from.id()).bind("a", appUid).bind("p", p.raw()).bind("e", json(extra))
                .bind("t", clock.millis()).execute()) > 0;
        if (inserted) {
            audit("user-app", "grant", from.id(), appUid, p);
        }
    }

    /** Revokes a grant to an app; {@code *} revokes all of the user's grants to it. */
    public void revokeUserToApp(Actor issuer, String appUid, String permission) {
        User from = userOnly(issuer);
        requireApp(appUid);
        database.jdbi().useHandle(h -> {
            if (permission.equals("*")) {
                h.createUpdate("DELETE FROM user_to_app_permissions WHERE user_id = :u AND app_uid = :a")
                        .bind("u", from.id()).bind("a", appUid).execute();
            } else {
                h.createUpdate("DELETE FROM user_to_app_permissions WHERE user_id = :u AND app_uid = :a AND permission = :p")
                        .bind("u", from.id()).bind("a", appUid).bind("p", rewrite(issuer, parsed(permission)).raw()).execute();
            }
        });
        audit("user-app", "revoke", from.id(), appUid, new Permission(permission));
    }

    /** A developer's grant to an app for all its users, bounded by the developer's own rights; needs {@code manage:}. */
    public void grantDevToApp(Actor issuer, String appUid, String permission, Map<String, Object> extra) {
        User from = userOnly(issuer);
        requireApp(appUid);
        Permission p = rewrite(issuer, parsed(permission));
        requireManage(issuer, p);
        upsert("dev_to_app_permissions", "user_id, app_uid, permission", "extra",
                Map.of("user_id", from.id(), "app_uid", appUid, "permission", p.raw(), "extra", json(extra)));
        audit("dev-app", "grant", from.id(), appUid, p);
    }

    /** Revokes a developer grant; {@code *} revokes all of the developer's grants to the app. */
    public void revokeDevToApp(Actor issuer, String appUid, String permission) {
        User from = userOnly(issuer);
        database.jdbi().useHandle(h -> {
            if (permission.equals("*")) {
                h.createUpdate("DELETE FROM dev_to_app_permissions WHERE user_id = :u AND app_uid = :a")
                        .bind("u", from.id()).bind("a", appUid).execute();
            } else {
                h.createUpdate("DELETE FROM dev_to_app_permissions WHERE user_id = :u AND app_uid = :a AND permission = :p")
                        .bind("u", from.id()).bind("a", appUid).bind("p", rewrite(issuer, parsed(permission)).raw()).execute();
            }
        });
        audit("dev-app", "revoke", from.id(), appUid, new Permission(permission));
    }

    /** The user's grants, for {@code /auth/list-permissions}. */
    public Listing list(User user) {
        return database.jdbi().withHandle(h -> new Listing(
                h.createQuery("SELECT app_uid, permission, extra FROM user_to_app_permissions WHERE user_id = :u ORDER BY created_at")
                        .bind("u", user.id()).map((r, c) -> new Grantee(r.getString(1), r.getString(2), r.getString(3))).list(),
                h.createQuery("SELECT u.username, p.permission, p.extra FROM user_to_user_permissions p"
                                + " JOIN users u ON u.id = p.holder_user_id WHERE p.issuer_user_id = :u ORDER BY p.created_at")
                        .bind("u", user.id()).map((r, c) -> new Grantee(r.getString(1), r.getString(2), r.getString(3))).list(),
                h.createQuery("SELECT u.username, p.permission, p.extra FROM user_to_user_permissions p"
                                + " JOIN users u ON u.id = p.issuer_user_id WHERE p.holder_user_id = :u ORDER BY p.created_at")
                        .bind("u", user.id()).map((r, c) -> new Grantee(r.getString(1), r.getString(2), r.getString(3))).list()));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static User userOnly(Actor actor) {
        if (actor instanceof UserActor u) {
            return u.user();
        }
        throw ApiError.forbidden();
    }

    private static Permission parsed(String permission) {
        if (permission == null || permission.isEmpty()) {
            throw ApiError.fieldInvalid("permission", "a permission string", null);
        }
        return Permission.parse(permission);
    }

    private void requireManage(Actor issuer, Permission p) {
        if (!check(issuer, p.manage().raw())) {
            throw ApiError.permissionDenied(p.manage().raw());
        }
    }

    private void requireApp(String appUid) {
        Optional<AppDirectory> apps = context.services().find(AppDirectory.class);
        if (appUid == null || appUid.isEmpty() || (apps.isPresent() && apps.get().appByUid(appUid).isEmpty())) {
            throw AccountErrors.entityNotFound("app:" + appUid);
        }
    }

    private long groupId(String groupUid) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM user_groups WHERE uid = :g")
                        .bind("g", groupUid).mapTo(Long.class).findFirst())
                .orElseThrow(() -> AccountErrors.entityNotFound("group:" + groupUid));
    }

    private void upsert(String table, String key, String valueColumn, Map<String, Object> values) {
        String columns = key + ", " + valueColumn + ", created_at";
        String params = ":" + String.join(", :", (key + ", " + valueColumn).split(",\\s*")) + ", :created_at";
        database.jdbi().useHandle(h -> {
            var u = h.createUpdate("INSERT INTO " + table + " (" + columns + ") VALUES (" + params + ") ON CONFLICT (" + key
                    + ") DO UPDATE SET " + valueColumn + " = excluded." + valueColumn);
            values.forEach(u::bind);
            u.bind("created_at", clock.millis()).execute();
        });
    }

    /** Records a change and invalidates every cached result (a grant can turn a cached "no" into a "yes"). */
    private void audit(String kind, String action, long issuerId, String holder, Permission p) {
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO permission_audit (kind, action, issuer_user_id, holder,"
                        + " permission, created_at) VALUES (:k, :a, :i, :h, :p, :t)")
                .bind("k", kind).bind("a", action).bind("i", issuerId).bind("h", holder).bind("p", p.raw())
                .bind("t", clock.millis()).execute());
        cache.invalidateAll();
        epoch.bump();
    }

    static String json(Map<String, Object> extra) {
        return Json.mapper().writeValueAsString(extra == null ? Map.of() : extra);
    }

    static Map<String, Object> parse(String extra) {
        if (extra == null || extra.isBlank()) {
            return NO_DATA;
        }
        return Json.mapper().readValue(extra, new TypeReference<Map<String, Object>>() {});
    }
}
