package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/** Notifications (spec real-time 6.2): notify, /notif/mark-ack and /notif/mark-read, unread delivery, on a real database. */
abstract class NotificationsHttpContract extends HttpFixture {

    record Recorded(String key, JsonNode data) {}

    final List<Recorded> events = new CopyOnWriteArrayList<>();

    @Override
    Config adjust(Config config) {
        return config.with("services.notification.unread_delay_ms", 300);
    }

    @BeforeAll
    void recordGuiEvents() {
        kernel.events().on("outer.gui.*", (key, data, meta) -> events.add(new Recorded(key, Json.mapper().valueToTree(data))));
    }

    Notifications notifications() {
        return get(Notifications.class);
    }

    long id(Account a) {
        return get(Users.class).byUsername(a.username()).orElseThrow().id();
    }

    /** The recorded outer.gui.notif.* events about notification {@code uid}. */
    List<Recorded> about(String uid) {
        return events.stream().filter(e -> e.key().startsWith("outer.gui.notif.")
                && uid.equals(e.data().path("response").path("uid").asString(null))).toList();
    }

    HttpClient.Reply mark(String what, Account by, Object body) throws IOException {
        return http.send("POST", "/notif/" + what, json(body), own(), bearer(by.token()));
    }

    int port() {
        return get(WebServer.class).port();
    }

    @Test
    void notifyEmitsTheMessageThenStoresItAndEmitsPersisted() throws IOException {
        Account a = signup();
        Instant before = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        String uid = notifications().notify(Notifications.Recipient.username(a.username()),
                Map.of("source", "test", "title", "Hello", "text", "there"));
        List<Recorded> mine = about(uid);
        assertThat(mine).extracting(Recorded::key).containsExactly("outer.gui.notif.message", "outer.gui.notif.persisted");
        assertThat(mine.get(0).data()).isEqualTo(Json.mapper().valueToTree(Map.of("user_id_list", List.of(id(a)),
                "response", Map.of("uid", uid, "notification", Map.of("source", "test", "title", "Hello", "text", "there")))));
        assertThat(mine.get(1).data()).isEqualTo(Json.mapper().valueToTree(Map.of("user_id_list", List.of(id(a)),
                "response", Map.of("uid", uid))));
        Notifications.Notification stored = notifications().find(id(a), uid).orElseThrow();
        assertThat(stored.value().get("title").asString()).isEqualTo("Hello");
        assertThat(stored.created()).isBetween(before, Instant.now());
        // No socket of the user was connected: nobody saw it.
        assertThat(stored.shown()).isEmpty();
        assertThat(stored.acknowledged()).isEmpty();
        assertThat(stored.read()).isEmpty();
        // By numeric id too; the listing is the owner's, newest first.
        String second = notifications().notify(Notifications.Recipient.user(id(a)), Json.mapper().readTree("{\"title\":\"2\"}"));
        assertThat(notifications().list(id(a), 500)).extracting(Notifications.Notification::uid).containsExactly(second, uid);
        assertThat(notifications().list(id(a), 1)).hasSize(1);
        assertThat(notifications().list(id(signup()), 10)).isEmpty();
        assertThatThrownBy(() -> notifications().notify(Notifications.Recipient.username("nobody_" + a.username()),
                Map.of())).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void markAckAndMarkReadChangeOnlyTheCallersOwnNotifications() throws IOException {
        Account a = signup();
        Account b = signup();
        String uid = notifications().notify(Notifications.Recipient.user(id(b)), Map.of("title", "for b"));
        // a cannot touch b's notification: {} all the same, nothing changes, nothing is emitted.
        for (String what : List.of("mark-ack", "mark-read")) {
            HttpClient.Reply foreign = mark(what, a, Map.of("uid", uid));
            assertThat(foreign.status()).isEqualTo(200);
            assertThat(foreign.text()).isEqualTo("{}");
        }
        assertThat(notifications().find(id(b), uid).orElseThrow().acknowledged()).isEmpty();
        assertThat(about(uid)).extracting(Recorded::key).doesNotContain("outer.gui.notif.ack");

        HttpClient.Reply ack = mark("mark-ack", b, Map.of("uid", uid));
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.text()).isEqualTo("{}");
        Notifications.Notification acked = notifications().find(id(b), uid).orElseThrow();
        assertThat(acked.acknowledged()).isPresent();
        assertThat(acked.read()).isEmpty();
        assertThat(about(uid)).filteredOn(e -> e.key().equals("outer.gui.notif.ack")).singleElement()
                .satisfies(e -> assertThat(e.data()).isEqualTo(Json.mapper().valueToTree(Map.of("user_id_list",
                        List.of(id(b)), "response", Map.of("uid", uid)))));

        // Reading implies acknowledging.
        String other = notifications().notify(Notifications.Recipient.user(id(b)), Map.of("title", "again"));
        assertThat(mark("mark-read", b, Map.of("uid", other)).text()).isEqualTo("{}");
        Notifications.Notification read = notifications().find(id(b), other).orElseThrow();
        assertThat(read.read()).isPresent();
        assertThat(read.acknowledged()).isEqualTo(read.read());
        assertThat(about(other)).extracting(Recorded::key).contains("outer.gui.notif.ack");
    }

    @Test
    void markingNeedsATokenAndAUid() throws IOException {
        Account a = signup();
        HttpClient.Reply anonymous = http.send("POST", "/notif/mark-ack", json(Map.of("uid", "x")), own());
        assertThat(anonymous.status()).isEqualTo(401);
        HttpClient.Reply missing = mark("mark-read", a, Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("code").asString()).isEqualTo("field_missing");
        HttpClient.Reply number = mark("mark-ack", a, Map.of("uid", 12));
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.json().get("code").asString()).isEqualTo("field_invalid");
        assertThat(mark("mark-ack", a, Map.of("uid", "no-such-notification")).text()).isEqualTo("{}");
    }

    @Test
    void theUnshownUnacknowledgedOnesArriveAfterPuterIsActuallyOpenAndAreMarkedShown() throws Exception {
        Account a = signup();
        Notifications.Recipient to = Notifications.Recipient.user(id(a));
        String first = notifications().notify(to, Map.of("title", "one"));
        String acked = notifications().notify(to, Map.of("title", "two"));
        String third = notifications().notify(to, Map.of("title", "three"));
        mark("mark-ack", a, Map.of("uid", acked));
        try (SocketClient socket = new SocketClient(port(), a.token())) {
            // Twice at once, as a GUI opening two tabs: one delivery (debounced per user).
            socket.emit("puter_is_actually_open");
            socket.emit("puter_is_actually_open");
            SocketClient.Event unreads = socket.nextEvent("notif.unreads");
            assertThat(unreads.data()).isEqualTo(Json.mapper().valueToTree(Map.of("unreads", List.of(
                    Map.of("uid", first, "notification", Map.of("title", "one")),
                    Map.of("uid", third, "notification", Map.of("title", "three"))))));
            assertThat(notifications().find(id(a), first).orElseThrow().shown()).isPresent();
            assertThat(notifications().find(id(a), third).orElseThrow().shown()).isPresent();
            assertThat(notifications().find(id(a), acked).orElseThrow().shown()).isEmpty();
            // Shown once: the next opening finds nothing new.
            socket.emit("puter_is_actually_open");
            assertThat(socket.nextEvent("notif.unreads").data()).isEqualTo(Json.mapper().readTree("{\"unreads\":[]}"));
            // (The recorder listens after the socket.io delivery, so it may see the event a moment later.)
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(e -> e.key().equals(
                    "outer.gui.notif.unreads") && e.data().get("user_id_list").get(0).asLong() == id(a)).count() >= 2);
            assertThat(events.stream().filter(e -> e.key().equals("outer.gui.notif.unreads")
                    && e.data().get("user_id_list").get(0).asLong() == id(a))).hasSize(2);
        }
    }

    @Test
    void aMessageDeliveredToASocketOfTheUserMarksItShown() throws Exception {
        Account a = signup();
        try (SocketClient socket = new SocketClient(port(), a.token())) {
            String uid = notifications().notify(Notifications.Recipient.user(id(a)), Map.of("title", "live"));
            SocketClient.Event message = socket.nextEvent("notif.message");
            assertThat(message.data()).isEqualTo(Json.mapper().valueToTree(Map.of("uid", uid, "notification",
                    Map.of("title", "live"))));
            assertThat(socket.nextEvent("notif.persisted").data()).isEqualTo(Json.mapper().valueToTree(Map.of("uid", uid)));
            assertThat(notifications().find(id(a), uid).orElseThrow().shown()).isPresent();
            // Already shown: not delivered again as unread.
            socket.emit("puter_is_actually_open");
            assertThat(socket.nextEvent("notif.unreads").data().get("unreads")).isEmpty();
            // Marking it over HTTP reaches the socket too.
            mark("mark-ack", a, Map.of("uid", uid));
            assertThat(socket.nextEvent("notif.ack").data()).isEqualTo(Json.mapper().valueToTree(Map.of("uid", uid)));
        }
    }

    @Test
    void aDeletedUsersNotificationsGoWithThem() throws IOException {
        Account a = signup();
        long id = id(a);
        notifications().notify(Notifications.Recipient.user(id), Map.of("title", "bye"));
        get(Users.class).delete(id);
        assertThat(notifications().list(id, 10)).isEmpty();
    }
}
