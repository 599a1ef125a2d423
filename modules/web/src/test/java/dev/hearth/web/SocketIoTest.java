package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Context;
import dev.hearth.kernel.EventMeta;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.SocketClients.FakeAuthenticator;
import dev.hearth.web.SocketClients.Polling;
import dev.hearth.web.SocketClients.Ws;
import tools.jackson.databind.JsonNode;

/** Engine.IO v4 / Socket.IO v5 at /socket.io/, spoken raw over real sockets, with default timing. */
class SocketIoTest {

    @TempDir
    static Path dir;

    static TestHearth hearth;
    static Sockets sockets;
    static final BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();

    /** Acks "echo" with its arguments; records the socket events on the bus with the context they ran in. */
    record Probe(ServiceContext ctx) implements Service {
        @Override
        public void init() {
            ctx.services().get(Sockets.class).onClientEvent("echo", e -> e.ack(e.args().toArray()));
            ctx.events().on("web.socket.*", (key, data, meta) -> events.add(new Object[] {key, data,
                    Context.current().flatMap(Context::actor).map(a -> a.uid()).orElse("none")}));
            ctx.events().on("sent-to-user.*", (key, data, meta) -> events.add(new Object[] {key, data, "-"}));
        }
    }

    @BeforeAll
    static void boot() {
        hearth = TestHearth.builder(dir)
                .service("test-socket-auth", ctx -> new FakeAuthenticator())
                .service("test-probe", Probe::new)
                .boot();
        sockets = hearth.kernel.services().get(Sockets.class);
    }

    @AfterAll
    static void shutdown() {
        hearth.close();
    }

    private static Object[] nextEvent(String key) throws InterruptedException {
        while (true) {
            Object[] e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event " + key).isNotNull();
            if (e[0].equals(key)) {
                return e;
            }
        }
    }

    @Test
    void handshakeOverPolling() throws Exception {
        TestHearth.Reply r = hearth.get("/socket.io/?EIO=4&transport=polling", "Origin: http://example.com");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).hasValue("text/plain; charset=UTF-8");
        assertThat(r.header("access-control-allow-origin")).hasValue("http://example.com");
        assertThat(r.header("access-control-allow-credentials")).hasValue("true");
        assertThat(r.header("cache-control")).hasValue("no-store");
        assertThat(r.header("x-content-type-options")).hasValue("nosniff");
        assertThat(r.text()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"],"
                + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    }

    @Test
    void protocolErrors() throws Exception {
        TestHearth.Reply r = hearth.get("/socket.io/?EIO=3&transport=polling");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("content-type")).hasValue("application/json");
        assertThat(r.text()).isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        assertThat(hearth.get("/socket.io/?EIO=4&transport=carrier-pigeon").text())
                .isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
        r = hearth.get("/socket.io/?EIO=4&transport=polling&sid=nope");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        r = hearth.request("POST", "/socket.io/?EIO=4&transport=polling", SocketClients.host(hearth), new byte[0]);
        assertThat(r.text()).isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
        // Not a WebSocket upgrade although the transport says so.
        assertThat(hearth.get("/socket.io/?EIO=4&transport=websocket").text())
                .isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
    }

    @Test
    void preflightIsAnsweredWithCredentials() throws Exception {
        TestHearth.Reply r = hearth.request("OPTIONS", "/socket.io/?EIO=4&transport=polling", SocketClients.host(hearth),
                null, "Origin: http://example.com", "Access-Control-Request-Method: POST");
        assertThat(r.status()).isBetween(200, 204);
        assertThat(r.header("access-control-allow-origin")).hasValue("http://example.com");
        assertThat(r.header("access-control-allow-credentials")).hasValue("true");
    }

    @Test
    void connectOverPollingWithAGoodToken() throws Exception {
        Polling p = new Polling(hearth);
        TestHearth.Reply ok = p.post("40{\"auth_token\":\"user-1\"}");
        assertThat(ok.header("content-type")).hasValue("text/html");
        assertThat(ok.text()).isEqualTo("ok");
        String connect = p.take(1).getFirst();
        assertThat(connect).matches("40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
        String socketId = connect.substring(10, 30);
        assertThat(sockets.hasSocket(socketId)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> sockets.hasUser(1));
        Object[] connected = nextEventFor("web.socket.connected", socketId);
        assertThat(connected[2]).isEqualTo("user-1");
        assertThat(((UserSocket) connected[1]).userId()).isEqualTo(1);
    }

    private static Object[] nextEventFor(String key, String socketId) throws InterruptedException {
        while (true) {
            Object[] e = nextEvent(key);
            if (e[1] instanceof UserSocket u && u.socketId().equals(socketId)) {
                return e;
            }
        }
    }

    @Test
    void severalPacketsInOnePostAndAcksInPolls() throws Exception {
        Polling p = new Polling(hearth);
        assertThat(p.connect("{\"auth_token\":\"Bearer user-7\"}")).startsWith("40{\"sid\":");
        p.post("421[\"echo\",\"a\"]" + SocketClients.SEP + "422[\"echo\",{\"b\":2}]" + SocketClients.SEP + "3");
        assertThat(p.take(2)).containsExactly("431[\"a\"]", "432[{\"b\":2}]");
    }

    @Test
    void refusedConnections() throws Exception {
        Polling missing = new Polling(hearth);
        assertThat(missing.connect("")).isEqualTo("44{\"message\":\"socket auth token missing\"}");
        Polling nullToken = new Polling(hearth);
        assertThat(nullToken.connect("{\"auth_token\":null}")).isEqualTo("44{\"message\":\"socket auth token missing\"}");
        Polling bad = new Polling(hearth);
        assertThat(bad.connect("{\"auth_token\":\"not-a-real-token\"}"))
                .isEqualTo("44{\"message\":\"socket auth failed\"}");
        assertThat(sockets.hasUser(0)).isFalse();
        // A refused client has no socket: its events are ignored, and it may try again.
        bad.post("421[\"echo\",\"x\"]");
        assertThat(bad.connect("{\"auth_token\":\"user-8\"}")).startsWith("40{\"sid\":");
    }

    @Test
    void unknownNamespace() throws Exception {
        Polling p = new Polling(hearth);
        assertThat(p.connect("")).isEqualTo("44{\"message\":\"socket auth token missing\"}");
        p.post("40/admin,{\"auth_token\":\"user-1\"}");
        assertThat(p.take(1)).containsExactly("44/admin,{\"message\":\"Invalid namespace\"}");
    }

    @Test
    void webSocketDirect() throws Exception {
        try (Ws ws = Ws.direct(hearth)) {
            ws.send("40{\"auth_token\":\"user-2\"}");
            assertThat(ws.nextText()).matches("40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
            ws.send("425[\"echo\",\"over ws\",3]");
            assertThat(ws.nextText()).isEqualTo("435[\"over ws\",3]");
        }
    }

    @Test
    void binaryEventsAndAcksOverWebSocket() throws Exception {
        try (Ws ws = Ws.user(hearth, 2)) {
            ws.send("451-9[\"echo\",{\"_placeholder\":true,\"num\":0}]");
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.nextText()).isEqualTo("461-9[{\"_placeholder\":true,\"num\":0}]");
            assertThat(ws.next()).isEqualTo(new byte[] {1, 2, 3});
        }
    }

    @Test
    void binaryEventsOverPolling() throws Exception {
        Polling p = new Polling(hearth);
        p.connect("{\"auth_token\":\"user-2\"}");
        p.post("451-4[\"echo\",{\"_placeholder\":true,\"num\":0}]" + SocketClients.SEP + "bAQID");
        assertThat(p.take(2)).containsExactly("461-4[{\"_placeholder\":true,\"num\":0}]", "bAQID");
    }

    @Test
    void upgradeFromPollingToWebSocket() throws Exception {
        Polling p = new Polling(hearth);
        String connect = p.connect("{\"auth_token\":\"user-3\"}");
        String socketId = connect.substring(10, 30);
        // Not on the common pool: the HTTP client's WebSocket handshake needs it (one thread on two cores).
        CompletableFuture<List<String>> pending = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                pending.complete(p.poll());
            } catch (Exception e) {
                pending.completeExceptionally(e);
            }
        });
        try (Ws ws = new Ws(hearth, "EIO=4&transport=websocket&sid=" + p.sid)) {
            ws.send("2probe");
            assertThat(ws.nextText()).isEqualTo("3probe");
            // The waiting poll is released with a no-op, so that the client can pause polling.
            assertThat(pending.get(10, TimeUnit.SECONDS)).containsExactly("6");
            ws.send("5");
            ws.send("421[\"echo\",\"upgraded\"]");
            assertThat(ws.nextText()).isEqualTo("431[\"upgraded\"]");
            sockets.sendToSocket(socketId, "hello", Map.of("to", "you"));
            assertThat(ws.nextText()).isEqualTo("42[\"hello\",{\"to\":\"you\"}]");
            // The polling transport is gone.
            assertThat(p.get().text()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
        }
    }

    @Test
    void serverEmitsWithAnAck() throws Exception {
        try (Ws ws = Ws.direct(hearth)) {
            ws.send("40{\"auth_token\":\"user-4\"}");
            String socketId = ws.nextText().substring(10, 30);
            CompletableFuture<List<JsonNode>> answer = sockets.ask(socketId, "question", Map.of("q", 1),
                    Duration.ofSeconds(10));
            String asked = ws.nextText();
            assertThat(asked).matches("42\\d+\\[\"question\",\\{\"q\":1}]");
            String id = asked.substring(2, asked.indexOf('['));
            ws.send("43" + id + "[\"yes\",42]");
            assertThat(answer.get(10, TimeUnit.SECONDS)).extracting(JsonNode::toString).containsExactly("\"yes\"", "42");
        }
    }

    @Test
    void guiEventsReachTheListedUsersOnly() throws Exception {
        try (Ws alice = Ws.user(hearth, 11); Ws alice2 = Ws.user(hearth, 11); Ws bob = Ws.user(hearth, 12)) {
            hearth.kernel.events().emit("outer.gui.item.added", Map.of("user_id_list", List.of(11),
                    "response", Map.of("path", "/alice/rt/note.txt", "is_dir", false)));
            String expected = "42[\"item.added\",{\"is_dir\":false,\"path\":\"/alice/rt/note.txt\"}]";
            assertThat(normalize(alice.nextText())).isEqualTo(expected);
            assertThat(normalize(alice2.nextText())).isEqualTo(expected);
            Object[] sent = nextEvent("sent-to-user.item.added");
            assertThat(((SentToUser) sent[1]).userId()).isEqualTo(11);
            // Bob's first event is the one meant for him, delivered from another instance.
            hearth.kernel.events().emit("outer.gui.notif.message", Map.of("user_id_list", List.of("12"),
                    "response", Map.of("uid", "n1")), EventMeta.FROM_OUTSIDE);
            assertThat(bob.nextText()).isEqualTo("42[\"notif.message\",{\"uid\":\"n1\"}]");
        }
    }

    private static String normalize(String packet) {
        // Map.of has no order; compare as JSON with sorted keys.
        JsonNode tree = dev.hearth.kernel.Json.mapper().readTree(packet.substring(2));
        return "42" + dev.hearth.kernel.Json.mapper().rebuild()
                .enable(tools.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build()
                .writeValueAsString(dev.hearth.kernel.Json.mapper().convertValue(tree, Object.class));
    }

    @Test
    void trashStateIsRelayedToTheOtherSocketsOfTheUser() throws Exception {
        try (Ws a = Ws.user(hearth, 21); Ws b = Ws.user(hearth, 21); Ws other = Ws.user(hearth, 22)) {
            a.send("42[\"trash.is_empty\",{\"is_empty\":true}]");
            assertThat(b.nextText()).isEqualTo("42[\"trash.is_empty\",{\"is_empty\":true}]");
            sockets.sendToUser(21, "marker", 1);
            sockets.sendToUser(22, "marker", 2);
            assertThat(a.nextText()).isEqualTo("42[\"marker\",1]");
            assertThat(other.nextText()).isEqualTo("42[\"marker\",2]");
        }
    }

    @Test
    void puterIsActuallyOpenRaisesUserConnectedWithTheActor() throws Exception {
        try (Ws ws = Ws.direct(hearth)) {
            ws.send("40{\"auth_token\":\"user-31\"}");
            String socketId = ws.nextText().substring(10, 30);
            ws.send("42[\"puter_is_actually_open\"]");
            Object[] e = nextEventFor("web.socket.user-connected", socketId);
            assertThat(((UserSocket) e[1]).userId()).isEqualTo(31);
            assertThat(e[2]).isEqualTo("user-31");
        }
    }

    @Test
    void disconnectLeavesTheRoom() throws Exception {
        try (Ws ws = Ws.user(hearth, 41)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sockets.hasUser(41));
            ws.send("41");
            await().atMost(Duration.ofSeconds(10)).until(() -> !sockets.hasUser(41));
        }
        Ws closing = Ws.user(hearth, 42);
        closing.socket.sendClose(1000, "bye").join();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sockets.hasUser(42));
    }

    @Test
    void theServerDisconnectsAUsersSocketsWithDisconnectThenCloses() throws Exception {
        try (Ws ws = Ws.user(hearth, 45); Ws other = Ws.user(hearth, 46)) {
            Polling p = new Polling(hearth);
            p.connect("{\"auth_token\":\"user-45\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> sockets.hasUser(45) && sockets.hasUser(46));
            assertThat(sockets.disconnectUser(45)).isEqualTo(2);
            assertThat(sockets.hasUser(45)).isFalse();
            assertThat(ws.nextText()).isEqualTo("41");
            assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
            // Over polling, DISCONNECT is answered to the next poll, and then the session is gone.
            assertThat(p.take(1)).containsExactly("41");
            assertThat(p.get().text()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
            assertThat(sockets.hasUser(46)).isTrue();
            assertThat(sockets.disconnectUser(45)).isZero();
        }
    }

    @Test
    void theServerDisconnectsTheSocketsAPredicateChooses() throws Exception {
        try (Ws a = Ws.user(hearth, 47); Ws b = Ws.user(hearth, 48)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sockets.hasUser(47) && sockets.hasUser(48));
            assertThat(sockets.disconnectWhere(id -> id.actor().uid().equals("user-48"))).isEqualTo(1);
            assertThat(b.nextText()).isEqualTo("41");
            assertThat(sockets.hasUser(47)).isTrue();
            assertThat(sockets.hasUser(48)).isFalse();
        }
    }

    @Test
    void webSocketsAreNotCompressed() throws Exception {
        // Like engine.io by default: permessage-deflate costs a native zlib pair per connection.
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", hearth.port())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:"
                    + hearth.port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = raw.getInputStream();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                assertThat(b).isNotNegative();
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("sec-websocket-extensions");
        }
    }

    @Test
    void aCloseFromTheClientEndsTheSession() throws Exception {
        Polling p = new Polling(hearth);
        p.connect("{\"auth_token\":\"user-51\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sockets.hasUser(51));
        p.post("1");
        assertThat(p.get().text()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sockets.hasUser(51));
    }

    @Test
    void overlappingPollsCloseTheSession() throws Exception {
        Polling p = new Polling(hearth);
        CompletableFuture<List<String>> first = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                first.complete(p.poll());
            } catch (Exception e) {
                first.completeExceptionally(e);
            }
        });
        EngineIoEndpoint endpoint = hearth.kernel.services().get(SocketIoServer.class).endpoint();
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.pollWaiting(p.sid));
        assertThat(p.get().text()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("1");
    }

    @Test
    void anUnansweredAskTimesOut() throws Exception {
        try (Ws ws = Ws.direct(hearth)) {
            ws.send("40{\"auth_token\":\"user-52\"}");
            String socketId = ws.nextText().substring(10, 30);
            CompletableFuture<List<JsonNode>> answer = sockets.ask(socketId, "question", null, Duration.ofMillis(100));
            assertThat(ws.nextText()).matches("42\\d+\\[\"question\"]");
            assertThat(answer).failsWithin(Duration.ofSeconds(10));
            assertThat(sockets.ask("no-such-socket", "q", null, Duration.ofSeconds(1))).isCompletedExceptionally();
        }
    }
}
