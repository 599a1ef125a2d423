package dev.hearth.core;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.SentToUser;
import dev.hearth.web.Sockets;
import dev.hearth.web.UserSocket;
import tools.jackson.databind.JsonNode;

/**
 * The {@code notification} service (spec real-time 6.2): notifications kept per user in the {@code notification}
 * table and delivered to the user's sockets.
 *
 * <ul>
 *   <li>{@link #notify} emits {@code outer.gui.notif.message} {@code {uid, notification}}, then stores the row and
 *       emits {@code outer.gui.notif.persisted} {@code {uid}}.</li>
 *   <li>A socket saying {@code puter_is_actually_open} ({@code web.socket.user-connected}) gets, after
 *       {@code services.notification.unread_delay_ms} (2000) without another such message from the same user,
 *       {@code notif.unreads} {@code {unreads:[{uid, notification}]}}: the notifications neither shown nor
 *       acknowledged, which are then marked shown.</li>
 *   <li>A {@code notif.message} delivered to a socket of the user on this instance ({@code sent-to-user.notif.message})
 *       marks the notification shown, so that it is not delivered again as unread.</li>
 *   <li>{@link #acknowledge} and {@link #markRead} ({@code POST /notif/mark-ack}, {@code /notif/mark-read}) emit
 *       {@code outer.gui.notif.ack} {@code {uid}}.</li>
 * </ul>
 *
 * Times are unix seconds, as in Puter's table.
 */
public final class Notifications implements Service {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    /** The most {@link #list} returns, as the {@code puter-notifications} driver allows. */
    public static final int MAX_LISTED = 200;
    static final String DELAY_KEY = "services.notification.unread_delay_ms";

    /** Who a notification is for: a user by numeric id or by username. */
    public sealed interface Recipient {
        record ById(long userId) implements Recipient {}

        record ByUsername(String username) implements Recipient {
            public ByUsername {
                Objects.requireNonNull(username);
            }
        }

        static Recipient user(long userId) {
            return new ById(userId);
        }

        static Recipient username(String username) {
            return new ByUsername(username);
        }
    }

    /** A stored notification; the times are absent until they happen. */
    public record Notification(String uid, long userId, JsonNode value, Optional<Instant> acknowledged,
            Optional<Instant> shown, Optional<Instant> read, Instant created) {}

    private final ServiceContext context;
    private final Clock clock;
    private final long unreadDelayMillis;
    /** Notifications being sent by {@link #notify}, not stored yet: uid → whether a socket here has shown it. */
    private final ConcurrentMap<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, ScheduledFuture<?>> unreadTimers = new ConcurrentHashMap<>();
    private volatile Database database;
    private volatile Users users;
    private volatile Optional<Sockets> sockets = Optional.empty();
    private volatile ScheduledExecutorService timer;

    Notifications(ServiceContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
        this.unreadDelayMillis = context.config().node(DELAY_KEY).map(n -> {
            if (!n.canConvertToLong() || n.asLong() < 0 || n.asLong() > 600_000) {
                throw ConfigException.invalid(DELAY_KEY, n.toString(), "a number of milliseconds from 0 to 600000");
            }
            return n.asLong();
        }).orElse(2000L);
    }

    @Override
    public void init() {
        database = context.services().get(Database.class);
        users = context.services().get(Users.class);
        sockets = context.services().find(Sockets.class);
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("notification-unreads")
                .factory());
        context.events().on("web.socket.user-connected", (key, data, meta) -> {
            if (data instanceof UserSocket u) {
                scheduleUnreads(u.userId());
            }
        });
        context.events().on("sent-to-user.notif.message", (key, data, meta) -> {
            if (data instanceof SentToUser s && sockets.map(x -> x.hasUser(s.userId())).orElse(false)) {
                JsonNode uid = s.response().get("uid");
                if (uid != null && uid.isString()) {
                    markShown(s.userId(), uid.asString());
                }
            }
        });
    }

    @Override
    public void shutdown() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
    }

    /**
     * Sends a notification: free-form JSON, typically {@code {source, icon_source, icon, title, text, …}}. Returns its
     * uid.
     *
     * @throws ApiError {@code 404 user_not_found} when there is no such user
     */
    public String notify(Recipient to, Object notification) {
        Optional<User> found = switch (to) {
            case Recipient.ById r -> users.byId(r.userId());
            case Recipient.ByUsername r -> users.byUsername(r.username());
        };
        User user = found.orElseThrow(() -> ApiError.of(404, "user_not_found", "User not found."));
        JsonNode value = notification instanceof JsonNode n ? n : Json.mapper().valueToTree(notification);
        String uid = UUID.randomUUID().toString();
        inFlight.put(uid, false);
        try {
            context.events().emit("outer.gui.notif.message", gui(user.id(), Map.of("uid", uid, "notification", value)));
        } finally {
            long now = now();
            Long shown = Boolean.TRUE.equals(inFlight.remove(uid)) ? now : null;
            database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO notification (user_id, uid, value, shown,"
                            + " created_at) VALUES (:user, :uid, :value, :shown, :now)")
                    .bind("user", user.id()).bind("uid", uid).bind("value", Json.mapper().writeValueAsString(value))
                    .bind("shown", shown).bind("now", now).execute());
        }
        context.events().emit("outer.gui.notif.persisted", gui(user.id(), Map.of("uid", uid)));
        return uid;
    }

    /**
     * Marks one of the user's notifications acknowledged. A uid that is not one of theirs changes nothing; the answer
     * says whether a notification was marked.
     */
    public boolean acknowledge(long userId, String uid) {
        return mark(userId, uid, "acknowledged = :now");
    }

    /** Marks one of the user's notifications read, and acknowledged if it was not yet (reading implies it). */
    public boolean markRead(long userId, String uid) {
        return mark(userId, uid, "read = :now, acknowledged = COALESCE(acknowledged, :now)");
    }

    /** The user's notifications, newest first, at most {@code limit} (capped at {@value #MAX_LISTED}). */
    public List<Notification> list(long userId, int limit) {
        int n = Math.clamp(limit, 0, MAX_LISTED);
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM notification WHERE user_id = :u"
                        + " ORDER BY id DESC LIMIT :n")
                .bind("u", userId).bind("n", n).map(Notifications::map).list());
    }

    /** One of the user's notifications. */
    public Optional<Notification> find(long userId, String uid) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM notification WHERE user_id = :u AND uid = :uid")
                .bind("u", userId).bind("uid", uid).map(Notifications::map).findFirst());
    }

    private boolean mark(long userId, String uid, String assignments) {
        int updated = database.jdbi().withHandle(h -> h.createUpdate("UPDATE notification SET " + assignments
                        + " WHERE uid = :uid AND user_id = :u")
                .bind("now", now()).bind("uid", uid).bind("u", userId).execute());
        if (updated > 0) {
            context.events().emit("outer.gui.notif.ack", gui(userId, Map.of("uid", uid)));
        }
        return updated > 0;
    }

    private void markShown(long userId, String uid) {
        if (inFlight.computeIfPresent(uid, (k, v) -> true) != null) {
            return; // notify() stores it as shown
        }
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE notification SET shown = :now"
                        + " WHERE uid = :uid AND user_id = :u AND shown IS NULL")
                .bind("now", now()).bind("uid", uid).bind("u", userId).execute());
    }

    // ---- unread delivery

    private void scheduleUnreads(long userId) {
        unreadTimers.compute(userId, (k, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return timer.schedule(() -> Thread.ofVirtual().name("notification-unreads-" + userId).start(() -> {
                // Forget the timer unless a newer one replaced it (at worst one finished entry per user stays).
                unreadTimers.computeIfPresent(userId, (u, f) -> f.isDone() ? null : f);
                try {
                    sendUnreads(userId);
                } catch (RuntimeException e) {
                    log.warn("cannot send the unread notifications of user {}: {}", userId, e.toString());
                }
            }), unreadDelayMillis, TimeUnit.MILLISECONDS);
        });
    }

    /** Marks the user's unshown, unacknowledged notifications shown and sends them as {@code notif.unreads}. */
    void sendUnreads(long userId) {
        long now = now();
        List<Map<String, Object>> unreads = database.jdbi().inTransaction(h -> {
            List<Map<String, Object>> rows = h.createQuery("SELECT id, uid, value FROM notification WHERE user_id = :u"
                            + " AND shown IS NULL AND acknowledged IS NULL ORDER BY id")
                    .bind("u", userId).map((r, ctx) -> Map.<String, Object>of("id", r.getLong("id"), "uid",
                            r.getString("uid"), "notification", Json.mapper().readTree(r.getString("value"))))
                    .list();
            if (!rows.isEmpty()) {
                h.createUpdate("UPDATE notification SET shown = :now WHERE user_id = :u AND id IN (<ids>)")
                        .bind("now", now).bind("u", userId).bindList("ids", rows.stream().map(r -> r.get("id")).toList())
                        .execute();
            }
            return rows.stream().map(r -> Map.of("uid", r.get("uid"), "notification", r.get("notification"))).toList();
        });
        context.events().emit("outer.gui.notif.unreads", gui(userId, Map.of("unreads", unreads)));
    }

    // ----

    private static Map<String, Object> gui(long userId, Object response) {
        return Map.of("user_id_list", List.of(userId), "response", response);
    }

    private long now() {
        return clock.millis() / 1000;
    }

    private static Notification map(ResultSet r, StatementContext ctx) throws SQLException {
        return new Notification(r.getString("uid"), r.getLong("user_id"), Json.mapper().readTree(r.getString("value")),
                seconds(r, "acknowledged"), seconds(r, "shown"), seconds(r, "read"),
                Instant.ofEpochSecond(r.getLong("created_at")));
    }

    private static Optional<Instant> seconds(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(v));
    }
}
