package dev.hearth.hosting;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.Permissions;
import dev.hearth.core.User;
import dev.hearth.core.Users;
import dev.hearth.drivers.Args;
import dev.hearth.drivers.CrudQ;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.DriverCall;
import dev.hearth.drivers.DriverErrors;
import dev.hearth.drivers.DriverResult;
import dev.hearth.fs.Entry;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.NodeRef;
import dev.hearth.fs.SafeEntry;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code es:subdomain}, the {@code crud-q} implementation behind {@code puter-subdomains} (spec 5.2): upstream's
 * layers (max limit, set owner, validation, write by owner only, app-limited, SQL) in one place.
 *
 * <ul>
 *   <li>Identifiers: {@code uid}, or {@code id} as {@code {"subdomain": name}} (also {@code {"uid": ...}} or a uid
 *       string); other keys are {@code invalid_id}; not found is {@code 422 entity_not_found}.</li>
 *   <li>Owners: sites belong to the acting user (the user of an app or an access token); an app is recorded as
 *       {@code app_owner}. Apps only see and change the sites they created unless they hold
 *       {@code subdomains-of-user:<user uuid>:read|write}.</li>
 *   <li>Hearth's fixes: {@code root_dir} and {@code domain} of other users' sites are not shown; a custom
 *       {@code domain} is recorded as {@code in-progress:<domain>} (ownership verification is not implemented, so
 *       Hearth never serves a custom domain); {@code owner}, {@code app_owner} and {@code created_at} cannot be
 *       set.</li>
 * </ul>
 */
final class SubdomainDriver implements Driver {

    static final int MAX_LIMIT = 5000;
    static final long DEFAULT_MAX_PER_USER = 2000;

    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ServiceContext context;
    private final Subdomains subdomains;
    private final long maxPerUser;

    SubdomainDriver(ServiceContext context, Subdomains subdomains) {
        this.context = context;
        this.subdomains = subdomains;
        this.maxPerUser = context.config().node("max_subdomains_per_user").filter(JsonNode::isNumber)
                .map(JsonNode::longValue).orElse(DEFAULT_MAX_PER_USER);
    }

    @Override
    public String serviceName() {
        return "es:subdomain";
    }

    @Override
    public String interfaceName() {
        return CrudQ.NAME;
    }

    @Override
    public DriverResult call(DriverCall call) {
        Actor actor = call.actor();
        Args args = call.args();
        return switch (call.method()) {
            case "create" -> DriverResult.of(create(actor, args.json("object").orElseThrow()));
            case "read" -> DriverResult.of(read(actor, args));
            case "select" -> DriverResult.of(select(actor, args));
            case "update" -> DriverResult.of(update(actor, locate(args, true)
                    .orElseThrow(() -> notFound(identifier(args))), args.json("object").orElseThrow()));
            case "upsert" -> DriverResult.of(upsert(actor, args));
            case "delete" -> {
                delete(actor, args);
                yield DriverResult.of(Map.of("data", Map.of()));
            }
            default -> throw DriverErrors.methodNotFound(CrudQ.NAME, call.method());
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Methods

    private Map<String, Object> create(Actor actor, JsonNode object) {
        User owner = owner(actor);
        if (object.has("uid")) {
            throw ApiError.of(400, "field_not_allowed_for_create", "Field `uid` is not allowed for create.")
                    .with("key", "uid");
        }
        JsonNode given = object.get("subdomain");
        String name = SubdomainRules.subdomain(given == null || given.isNull() ? null
                : given.isString() ? given.asString() : given);
        if (subdomains.byName(name).isPresent()) {
            throw Subdomains.alreadyInUse("subdomain", name);
        }
        // The row as it is now, not the (up to a second old) one the token brought: an operator may just have set it.
        OptionalLong own = context.services().get(Users.class).byId(owner.id()).map(User::maxSubdomains)
                .orElse(OptionalLong.empty());
        long limit = own.isPresent() ? own.getAsLong() : maxPerUser;
        if (limit > 0 && subdomains.countOf(owner.id()) >= limit) {
            throw ApiError.of(400, "subdomain_limit_reached", "You have exceeded the number of subdomains under your "
                    + "current plan (" + limit + ").").with("limit", limit);
        }
        Optional<Entry> root = rootDir(actor, owner, object);
        Subdomain created = subdomains.insert(name, owner.id(), root.map(Entry::uuid), appUid(object),
                actor instanceof AppUnderUserActor a ? Optional.of(a.appUid()) : Optional.empty(),
                flag(object, "protected").orElse(false), domain(object));
        Map<String, Object> full = entity(created, owner, owner, root);
        // The result of a create names what was set, as upstream's does.
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uid", full.get("uid"));
        out.put("subdomain", full.get("subdomain"));
        created.domain().ifPresent(d -> out.put("domain", d));
        root.ifPresent(r -> out.put("root_dir", full.get("root_dir")));
        created.associatedAppUid().ifPresent(a -> out.put("associated_app", full.get("associated_app")));
        out.put("owner", full.get("owner"));
        created.appOwnerUid().ifPresent(a -> out.put("app_owner", full.get("app_owner")));
        if (object.has("protected")) {
            out.put("protected", created.isProtected());
        }
        return out;
    }

    private Map<String, Object> read(Actor actor, Args args) {
        User viewer = owner(actor);
        if (!args.has("uid") && !args.has("id")) {
            throw xorFieldMissing();
        }
        Subdomain s = locate(args, false).orElseThrow(() -> notFound(identifier(args)));
        if (actor instanceof AppUnderUserActor app && !s.appOwnerUid().equals(Optional.of(app.appUid()))
                && !holds(actor, "subdomains-of-user:" + viewer.uuid() + ":read")) {
            throw notFound(identifier(args));
        }
        return entity(s, viewer);
    }

    private List<Map<String, Object>> select(Actor actor, Args args) {
        User viewer = owner(actor);
        long limit = args.number("limit").map(JsonNode::longValue).filter(l -> l > 0).map(l -> Math.min(l, MAX_LIMIT))
                .orElse((long) MAX_LIMIT);
        long offset = args.number("offset").map(JsonNode::longValue).filter(o -> o > 0).orElse(0L);
        Optional<String> onlyApp = actor instanceof AppUnderUserActor app
                && !holds(actor, "subdomains-of-user:" + viewer.uuid() + ":read") ? Optional.of(app.appUid())
                : Optional.empty();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Subdomain s : subdomains.ofOwner(viewer.id(), onlyApp, offset, limit)) {
            out.add(entity(s, viewer));
        }
        return out;
    }

    private Map<String, Object> update(Actor actor, Subdomain s, JsonNode object) {
        User owner = mayWrite(actor, s);
        JsonNode name = object.get("subdomain");
        if (name != null && !name.isNull() && !(name.isString() && name.asString().toLowerCase(Locale.ROOT)
                .equals(s.subdomain()))) {
            throw ApiError.of(400, "field_immutable", "Field `subdomain` is immutable.").with("key", "subdomain");
        }
        Optional<String> root = s.rootDirUid();
        if (object.has("root_dir")) {
            root = rootDir(actor, owner, object).map(Entry::uuid);
        }
        Optional<String> app = object.has("associated_app") ? appUid(object) : s.associatedAppUid();
        Optional<String> domain = object.has("domain") ? domain(object) : s.domain();
        boolean isProtected = flag(object, "protected").orElse(s.isProtected());
        Subdomain updated = new Subdomain(s.id(), s.uid(), s.subdomain(), s.userId(), root, app, s.appOwnerUid(),
                isProtected, domain, s.created());
        subdomains.update(updated);
        return entity(updated, owner);
    }

    private Map<String, Object> upsert(Actor actor, Args args) {
        JsonNode object = args.json("object").orElseThrow();
        Optional<Subdomain> existing = args.has("id") || object.has("uid") ? locate(args, true) : Optional.empty();
        if (existing.isEmpty() && object.get("subdomain") instanceof JsonNode n && n.isString()) {
            existing = subdomains.byName(n.asString().toLowerCase(Locale.ROOT));
        }
        if (existing.isPresent()) {
            return update(actor, existing.get(), object);
        }
        if (object.has("uid")) {
            throw notFound(object.get("uid").asString());
        }
        return create(actor, object);
    }

    private void delete(Actor actor, Args args) {
        owner(actor);
        if (!args.has("uid") && !args.has("id")) {
            throw xorFieldMissing();
        }
        Subdomain s = locate(args, false).orElseThrow(() -> notFound(identifier(args)));
        mayWrite(actor, s);
        if (!subdomains.delete(s.uid())) {
            throw notFound(identifier(args));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rules

    /** The user the actor acts for; sites and the system own no sites. */
    private static User owner(Actor actor) {
        return actor.actingUser().orElseThrow(ApiError::forbidden);
    }

    /** The owner may write; an app only what it created, unless it holds {@code subdomains-of-user:<uuid>:write}. */
    private User mayWrite(Actor actor, Subdomain s) {
        User user = owner(actor);
        if (s.userId() != user.id()) {
            throw ApiError.forbidden();
        }
        if (actor instanceof AppUnderUserActor app && !s.appOwnerUid().equals(Optional.of(app.appUid()))
                && !holds(actor, "subdomains-of-user:" + user.uuid() + ":write")) {
            throw ApiError.forbidden();
        }
        return user;
    }

    private boolean holds(Actor actor, String permission) {
        return context.services().get(Permissions.class).check(actor, permission);
    }

    /**
     * The entity named by {@code uid}, {@code id} or (for updates) {@code object.uid}; empty when there is none.
     * An {@code id} object with another key is {@code 400 invalid_id}.
     */
    private Optional<Subdomain> locate(Args args, boolean objectUid) {
        if (objectUid) {
            Optional<String> uid = args.json("object").map(o -> o.get("uid")).filter(JsonNode::isString)
                    .map(JsonNode::asString);
            if (uid.isPresent()) {
                return subdomains.byUid(uid.get());
            }
        }
        Optional<String> uid = args.string("uid").filter(u -> !u.isEmpty());
        if (uid.isPresent()) {
            return subdomains.byUid(uid.get());
        }
        JsonNode id = args.json("id").orElse(null);
        if (id == null || id.isNull()) {
            if (objectUid) {
                return Optional.empty();
            }
            throw xorFieldMissing();
        }
        if (id.isString()) {
            return subdomains.byUid(id.asString());
        }
        if (id.isObject() && id.size() == 1 && id.get("subdomain") instanceof JsonNode n && n.isString()) {
            return subdomains.byName(n.asString().toLowerCase(Locale.ROOT));
        }
        if (id.isObject() && id.size() == 1 && id.get("uid") instanceof JsonNode u && u.isString()) {
            return subdomains.byUid(u.asString());
        }
        throw ApiError.of(400, "invalid_id", "Invalid id " + Json.mapper().writeValueAsString(id))
                .with("id", id);
    }

    private static Object identifier(Args args) {
        Optional<String> objectUid = args.json("object").map(o -> o.get("uid")).filter(JsonNode::isString)
                .map(JsonNode::asString);
        if (objectUid.isPresent()) {
            return objectUid.get();
        }
        Optional<String> uid = args.string("uid").filter(u -> !u.isEmpty());
        if (uid.isPresent()) {
            return uid.get();
        }
        return args.json("id").map(id -> id.isString() ? (Object) id.asString() : id).orElse("undefined");
    }

    private static ApiError notFound(Object identifier) {
        String text = identifier instanceof String s ? s : Json.mapper().writeValueAsString(identifier);
        return ApiError.of(422, "entity_not_found", "Entity not found: `" + text + "`").with("identifier", identifier);
    }

    private static ApiError xorFieldMissing() {
        return ApiError.of(400, "xor_field_missing", "One of these mutually-exclusive fields is required: `uid`, `id`")
                .with("names", List.of("uid", "id"));
    }

    /**
     * {@code root_dir}: absent or null for none; else an absolute path, {@code ~/...} or a uuid of a directory the
     * actor may read (the filesystem's ACL decides, with its {@code 404}/{@code 403}); never {@code /}.
     */
    private Optional<Entry> rootDir(Actor actor, User owner, JsonNode object) {
        JsonNode value = object.get("root_dir");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw ApiError.fieldInvalid("root_dir", "a path or a uuid", null);
        }
        String text = value.asString();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        NodeRef ref = NodeRef.parse("root_dir", text, owner.username());
        if (ref instanceof NodeRef.ByPath p && p.path().isRoot()) {
            throw ApiError.forbidden();
        }
        Entry e = context.services().get(Filesystem.class).stat(new FsUser(owner.id(), owner.username()), ref);
        if (e.isRoot()) {
            throw ApiError.forbidden();
        }
        return Optional.of(e);
    }

    private static Optional<String> appUid(JsonNode object) {
        JsonNode app = object.get("associated_app");
        if (app == null || app.isNull()) {
            return Optional.empty();
        }
        if (app.isObject() && app.get("uid") instanceof JsonNode u && u.isString()) {
            app = u;
        }
        if (!app.isString() || !app.asString().startsWith("app-")) {
            throw ApiError.fieldInvalid("associated_app", "an app uid", null);
        }
        return Optional.of(app.asString());
    }

    /** A custom domain is only ever recorded as pending: Hearth does not verify ownership, so it never serves one. */
    private static Optional<String> domain(JsonNode object) {
        JsonNode d = object.get("domain");
        if (d == null || d.isNull() || d.isString() && d.asString().isBlank()) {
            return Optional.empty();
        }
        if (!d.isString()) {
            throw ApiError.fieldInvalid("domain", "a domain name", null);
        }
        String text = d.asString().startsWith("in-progress:") ? d.asString().substring("in-progress:".length())
                : d.asString();
        return Optional.of("in-progress:" + SubdomainRules.domain(text));
    }

    /** Booleans, or {@code 0}/{@code 1} as numbers or strings. */
    private static Optional<Boolean> flag(JsonNode object, String key) {
        JsonNode v = object.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isBoolean()) {
            return Optional.of(v.asBoolean());
        }
        if (v.isNumber() && (v.asInt() == 0 || v.asInt() == 1)) {
            return Optional.of(v.asInt() == 1);
        }
        if (v.isString() && (v.asString().equals("0") || v.asString().equals("1"))) {
            return Optional.of(v.asString().equals("1"));
        }
        throw ApiError.fieldInvalid(key, "a boolean", null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The client-safe entity

    private Map<String, Object> entity(Subdomain s, User viewer) {
        User owner = s.userId() == viewer.id() ? viewer
                : context.services().get(Users.class).byId(s.userId()).orElse(null);
        Optional<Entry> root = s.userId() == viewer.id() ? s.rootDirUid().flatMap(uid ->
                context.services().get(Filesystem.class).lookup(NodeRef.uid(uid))) : Optional.empty();
        return entity(s, owner, viewer, root);
    }

    private Map<String, Object> entity(Subdomain s, User owner, User viewer, Optional<Entry> root) {
        boolean mine = s.userId() == viewer.id();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uid", s.uid());
        m.put("subdomain", s.subdomain());
        if (mine) {
            m.put("domain", s.domain().orElse(""));
            // Omitted when the directory no longer exists (spec 5.2).
            root.ifPresent(r -> m.put("root_dir", SafeEntry.of(r, new FsUser(viewer.id(), viewer.username()), false)));
        }
        m.put("associated_app", s.associatedAppUid().map(a -> (Object) Map.of("uid", a)).orElse(null));
        m.put("created_at", CREATED_AT.format(Instant.ofEpochSecond(s.created())));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("username", owner == null ? null : owner.username());
        o.put("uuid", owner == null ? null : owner.uuid());
        m.put("owner", o);
        m.put("app_owner", s.appOwnerUid().map(a -> (Object) Map.of("uid", a)).orElse(null));
        m.put("protected", s.isProtected());
        return m;
    }
}
