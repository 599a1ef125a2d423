package dev.hearth.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.core.type.TypeReference;

/**
 * The {@code sessions} service: login sessions in the database (spec 2.3) with a Caffeine cache in front.
 *
 * <p>Revocation is effective at once on this instance and within {@link CacheEpoch#POLL_INTERVAL} on every instance
 * sharing the database (see {@link CacheEpoch}). Revoking takes the acting user and only ever deletes that user's
 * sessions: a uuid of somebody else's session is ignored, with no sign of whether it exists (Hearth's fix of upstream's
 * unchecked revoke-session). {@code last_activity} is written lazily, in batches.
 */
public final class Sessions implements Service {

    private static final Logger log = LoggerFactory.getLogger(Sessions.class);
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(30);

    /** A new login: its session, the cookie's session token and the GUI token for the response body. */
    public record Login(Session session, String sessionToken, String guiToken) {}

    private final ServiceContext context;
    private final Clock clock;
    private final String serverId;
    private final Map<String, Long> pendingActivity = new ConcurrentHashMap<>();
    private volatile Database database;
    private volatile Tokens tokens;
    private volatile CacheEpoch epoch;
    private volatile EpochCache<String, Optional<Session>> cache;
    private volatile Thread flusher;

    Sessions(ServiceContext context) {
        this(context, Clock.systemUTC());
    }

    Sessions(ServiceContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
        this.serverId = context.config().string("server_id").orElse("localhost");
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
        tokens = context.services().get(Tokens.class);
        epoch = context.services().get(CacheEpoch.class);
        cache = new EpochCache<>(epoch, 100_000, Duration.ofMinutes(10));
    }

    @Override
    public void ready() {
        flusher = Thread.ofVirtual().name("session-activity").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(FLUSH_INTERVAL);
                    flushActivity();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("cannot record session activity: {}", e.toString());
                }
            }
        });
    }

    @Override
    public void shutdown() {
        Thread t = flusher;
        if (t != null) {
            t.interrupt();
        }
        try {
            flushActivity();
        } catch (RuntimeException e) {
            log.warn("cannot record session activity at shutdown: {}", e.toString());
        }
    }

    /** Creates a login session for {@code user}. */
    public Session create(User user, SessionOrigin origin) {
        // Milliseconds, as stored: the session returned equals the one read back.
        Instant now = Instant.ofEpochMilli(clock.millis());
        Map<String, Object> meta = new LinkedHashMap<>();
        origin.ip().ifPresent(v -> meta.put("ip", v));
        meta.put("server", serverId);
        origin.userAgent().ifPresent(v -> meta.put("user_agent", v));
        origin.referer().ifPresent(v -> meta.put("referer", v));
        origin.origin().ifPresent(v -> meta.put("origin", v));
        origin.host().ifPresent(v -> meta.put("host", v));
        meta.put("created", now.toString());
        meta.put("created_unix", now.getEpochSecond());
        String uuid = UUID.randomUUID().toString();
        long id = database.jdbi().withHandle(h -> h.createUpdate("INSERT INTO sessions (uuid, user_id, meta, created_at,"
                        + " last_activity) VALUES (:uuid, :user, :meta, :now, :now)")
                .bind("uuid", uuid).bind("user", user.id()).bind("meta", Json.mapper().writeValueAsString(meta))
                .bind("now", now.toEpochMilli()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        Session session = new Session(id, uuid, user.id(), meta, now, now);
        cache.put(uuid, Optional.of(session));
        return session;
    }

    /** Creates a login session and both of its tokens. */
    public Login login(User user, SessionOrigin origin) {
        Session s = create(user, origin);
        return new Login(s, tokens.issueSession(s.uuid(), user.uuid()), tokens.issueGui(s.uuid(), user.uuid()));
    }

    /** The session with this uuid, if it still exists. */
    public Optional<Session> find(String uuid) {
        return cache.get(uuid, this::load);
    }

    /** Records activity on a session; written to the database in the next batch. */
    public void touch(String uuid) {
        pendingActivity.put(uuid, clock.millis());
    }

    /** A user's sessions, oldest first. */
    public List<Session> list(long userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM sessions WHERE user_id = :u ORDER BY id")
                .bind("u", userId).map((r, ctx) -> map(r)).list());
    }

    /**
     * Revokes one of {@code owner}'s sessions. A uuid that is not one of theirs changes nothing; the answer says
     * whether something was revoked, for logs, not for the client.
     */
    public boolean revoke(User owner, String sessionUuid) {
        int deleted = database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM sessions WHERE uuid = :uuid AND user_id = :u")
                .bind("uuid", sessionUuid).bind("u", owner.id()).execute());
        if (deleted > 0) {
            revoked(owner.id(), List.of(sessionUuid));
        }
        return deleted > 0;
    }

    /** Revokes every session of a user (password reset, suspension). */
    public int revokeAll(long userId) {
        return revokeWhere(userId, Optional.empty());
    }

    /** Revokes every session of a user but {@code keep} (password change from a session). */
    public int revokeAllExcept(long userId, String keep) {
        return revokeWhere(userId, Optional.of(keep));
    }

    private int revokeWhere(long userId, Optional<String> keep) {
        List<String> uuids = list(userId).stream().map(Session::uuid).filter(u -> keep.map(k -> !k.equals(u)).orElse(true))
                .toList();
        if (uuids.isEmpty()) {
            return 0;
        }
        int deleted = database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM sessions WHERE user_id = :u AND uuid IN (<uuids>)")
                .bind("u", userId).bindList("uuids", uuids).execute());
        revoked(userId, uuids);
        return deleted;
    }

    private void revoked(long userId, List<String> uuids) {
        uuids.forEach(u -> {
            cache.invalidate(u);
            pendingActivity.remove(u);
        });
        epoch.bump();
        // The sockets opened with these sessions' tokens, on every instance.
        context.events().emit(AccountSockets.DISCONNECT, AccountSockets.sessionsRevoked(userId, uuids));
    }

    /** Writes the pending activity times. */
    void flushActivity() {
        if (pendingActivity.isEmpty()) {
            return;
        }
        Map<String, Long> batch = new LinkedHashMap<>(pendingActivity);
        batch.forEach(pendingActivity::remove);
        database.jdbi().useTransaction(h -> {
            var update = h.prepareBatch("UPDATE sessions SET last_activity = :t WHERE uuid = :uuid AND last_activity < :t");
            batch.forEach((uuid, t) -> update.bind("t", t).bind("uuid", uuid).add());
            update.execute();
        });
    }

    private Optional<Session> load(String uuid) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM sessions WHERE uuid = :uuid").bind("uuid", uuid)
                .map((r, ctx) -> map(r)).findFirst());
    }

    private static Session map(java.sql.ResultSet r) throws java.sql.SQLException {
        Map<String, Object> meta = Json.mapper().readValue(r.getString("meta"), new TypeReference<Map<String, Object>>() {});
        return new Session(r.getLong("id"), r.getString("uuid"), r.getLong("user_id"), meta,
                Instant.ofEpochMilli(r.getLong("created_at")), Instant.ofEpochMilli(r.getLong("last_activity")));
    }
}
