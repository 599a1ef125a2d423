package dev.hearth.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code groups} service (spec 3.10): groups users create, and the default groups. Membership is deduplicated
 * (adding a member twice is a no-op); removing members works (upstream's remove-users never does).
 */
public final class Groups implements Service {

    /** How many groups one user may create per hour. */
    static final int CREATIONS_PER_HOUR = 20;

    /** {@code /group/list}. */
    public record Listing(List<Group> owned, List<Group> memberOf, List<Group> publicGroups) {}

    private final ServiceContext context;
    private final Clock clock;
    private volatile Database database;
    private volatile Users users;
    private volatile CacheEpoch epoch;

    Groups(ServiceContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
        users = context.services().get(Users.class);
        epoch = context.services().get(CacheEpoch.class);
    }

    /**
     * Creates a group owned by the acting user and returns its uid. At most {@value #CREATIONS_PER_HOUR} per owner per
     * hour ({@code 429 too_many_requests}). The stored {@code extra} is always empty, as upstream's.
     */
    public String create(Actor actor, Map<String, Object> metadata) {
        User owner = actor.actingUser().orElseThrow(ApiError::forbidden);
        long since = clock.millis() - Duration.ofHours(1).toMillis();
        long recent = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_groups"
                + " WHERE owner_user_id = :o AND created_at > :since").bind("o", owner.id()).bind("since", since)
                .mapTo(Long.class).one());
        if (recent >= CREATIONS_PER_HOUR) {
            throw ApiError.tooManyRequests(3600);
        }
        String uid = UUID.randomUUID().toString();
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO user_groups (uid, owner_user_id, extra, metadata,"
                        + " created_at) VALUES (:uid, :o, '{}', :m, :t)")
                .bind("uid", uid).bind("o", owner.id()).bind("m", Permissions.json(metadata)).bind("t", clock.millis())
                .execute());
        return uid;
    }

    /** Adds users (by username) to a group the actor owns. */
    public void addUsers(Actor actor, String groupUid, List<String> usernames) {
        long group = ownedGroup(actor, groupUid);
        List<User> members = resolve(usernames);
        database.jdbi().useTransaction(h -> {
            for (User u : members) {
                h.createUpdate("INSERT INTO group_members (group_id, user_id, created_at) VALUES (:g, :u, :t)"
                                + " ON CONFLICT (group_id, user_id) DO NOTHING")
                        .bind("g", group).bind("u", u.id()).bind("t", clock.millis()).execute();
            }
        });
        epoch.bump();
    }

    /** Removes users (by username) from a group the actor owns. */
    public void removeUsers(Actor actor, String groupUid, List<String> usernames) {
        long group = ownedGroup(actor, groupUid);
        List<User> members = resolve(usernames);
        database.jdbi().useTransaction(h -> {
            for (User u : members) {
                h.createUpdate("DELETE FROM group_members WHERE group_id = :g AND user_id = :u")
                        .bind("g", group).bind("u", u.id()).execute();
            }
        });
        epoch.bump();
    }

    public Optional<Group> find(String uid) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT g.id, g.uid, u.username, g.metadata, g.extra"
                        + " FROM user_groups g LEFT JOIN users u ON u.id = g.owner_user_id WHERE g.uid = :uid")
                .bind("uid", uid).map((r, c) -> new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5))).findFirst()).map(row -> row.group(members(row.id())));
    }

    /** The groups a user owns, those they are a member of, and the public (default) groups. */
    public Listing list(User user) {
        List<Row> owned = rows("g.owner_user_id = :u", user.id());
        List<Row> in = rows("g.id IN (SELECT group_id FROM group_members WHERE user_id = :u)", user.id());
        List<Group> publicGroups = new ArrayList<>();
        for (String uid : DefaultGroups.PUBLIC) {
            find(uid).ifPresent(g -> publicGroups.add(new Group(g.uid(), g.owner(), g.metadata(), g.extra(), List.of())));
        }
        return new Listing(owned.stream().map(r -> r.group(members(r.id()))).toList(),
                in.stream().map(r -> r.group(members(r.id()))).toList(), publicGroups);
    }

    /** {@code /group/public-groups}: {@code {"user": ..., "temp": ...}}. */
    public Map<String, String> publicGroups() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("user", DefaultGroups.USER);
        out.put("temp", DefaultGroups.TEMP);
        return out;
    }

    private record Row(long id, String uid, String owner, String metadata, String extra) {
        Group group(List<String> members) {
            return new Group(uid, Optional.ofNullable(owner), Permissions.parse(metadata), Permissions.parse(extra), members);
        }
    }

    private List<Row> rows(String condition, long userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT g.id, g.uid, u.username, g.metadata, g.extra"
                        + " FROM user_groups g LEFT JOIN users u ON u.id = g.owner_user_id WHERE " + condition + " ORDER BY g.id")
                .bind("u", userId).map((r, c) -> new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5))).list());
    }

    private List<String> members(long groupId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT u.username FROM group_members m JOIN users u"
                + " ON u.id = m.user_id WHERE m.group_id = :g ORDER BY m.created_at, u.id").bind("g", groupId)
                .mapTo(String.class).list());
    }

    private long ownedGroup(Actor actor, String groupUid) {
        User owner = actor.actingUser().orElseThrow(ApiError::forbidden);
        record Owned(long id, Long owner) {}
        Owned g = database.jdbi().withHandle(h -> h.createQuery("SELECT id, owner_user_id FROM user_groups WHERE uid = :uid")
                        .bind("uid", groupUid).map((r, c) -> new Owned(r.getLong(1), r.getObject(2, Long.class)))
                        .findFirst())
                .orElseThrow(() -> AccountErrors.entityNotFound("group:" + groupUid));
        if (g.owner() == null || g.owner() != owner.id()) {
            throw ApiError.forbidden();
        }
        return g.id();
    }

    private List<User> resolve(List<String> usernames) {
        if (usernames == null) {
            throw ApiError.fieldInvalid("users", "array", null);
        }
        List<User> out = new ArrayList<>();
        for (int i = 0; i < usernames.size(); i++) {
            String name = usernames.get(i);
            if (name == null) {
                throw ApiError.fieldInvalid("users[" + i + "]", "string", null);
            }
            out.add(users.byUsername(name).orElseThrow(() -> AccountErrors.userDoesNotExist(name)));
        }
        return out;
    }
}
