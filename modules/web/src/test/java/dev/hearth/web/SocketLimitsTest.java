package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.web.SocketClients.FakeAuthenticator;
import dev.hearth.web.SocketClients.Polling;
import dev.hearth.web.SocketClients.Ws;

/** The heartbeat, the size limits and the bounds on memory, with small settings. */
class SocketLimitsTest {

    @TempDir
    static Path dir;

    static TestHearth hearth;
    static Sockets sockets;

    static final String UNKNOWN_SID = "{\"code\":1,\"message\":\"Session ID unknown\"}";

    @BeforeAll
    static void boot() {
        hearth = TestHearth.builder(dir)
                .set("services.socketio.ping_interval_ms=150")
                .set("services.socketio.ping_timeout_ms=2500")
                .set("services.socketio.max_payload=1000")
                .set("services.socketio.max_buffered_packets=8")
                .set("services.socketio.connect_timeout_ms=1500")
                .service("test-socket-auth", ctx -> new FakeAuthenticator())
                .boot();
        sockets = hearth.kernel.services().get(Sockets.class);
    }

    @AfterAll
    static void shutdown() {
        hearth.close();
    }

    @Test
    void theHandshakeAnnouncesTheSettings() throws Exception {
        Polling p = new Polling(hearth);
        assertThat(p.open.get("pingInterval").intValue()).isEqualTo(150);
        assertThat(p.open.get("pingTimeout").intValue()).isEqualTo(2500);
        assertThat(p.open.get("maxPayload").intValue()).isEqualTo(1000);
    }

    @Test
    void pongsKeepAWebSocketAliveAndSilenceClosesIt() throws Exception {
        try (Ws ws = Ws.direct(hearth)) {
            for (int i = 0; i < 3; i++) {
                assertThat(ws.received.poll(5, TimeUnit.SECONDS)).isEqualTo("2");
                ws.send("3");
            }
            assertThat(ws.received.poll(5, TimeUnit.SECONDS)).isEqualTo("2");
            // No pong: the server closes the connection after the ping timeout.
            assertThat(ws.closed.get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void silenceClosesAPollingSession() throws Exception {
        Polling p = new Polling(hearth);
        assertThat(p.poll()).containsExactly("2");
        // No pong: the next poll waits and gets the close packet (or, if it came too late, the session is gone).
        assertThat(p.get().text()).isIn("1", UNKNOWN_SID);
        assertThat(p.get().text()).isEqualTo(UNKNOWN_SID);
    }

    @Test
    void aPostOverMaxPayloadIsRefusedAndClosesTheSession() throws Exception {
        Polling p = new Polling(hearth);
        TestHearth.Reply r = p.post("4" + "x".repeat(1200));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("content-type")).isPresent();
        assertThat(p.get().text()).isEqualTo(UNKNOWN_SID);
    }

    @Test
    void aWebSocketMessageOverMaxPayloadClosesTheConnection() throws Exception {
        try (Ws ws = Ws.direct(hearth)) {
            ws.socket.sendText("4" + "x".repeat(1200), true);
            assertThat(ws.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void aClientThatDoesNotKeepUpIsDisconnected() throws Exception {
        Polling p = new Polling(hearth);
        assertThat(p.connect("{\"auth_token\":\"user-77\"}")).startsWith("40{\"sid\":");
        await().atMost(Duration.ofSeconds(5)).until(() -> sockets.hasUser(77));
        for (int i = 0; i < 20; i++) {
            sockets.sendToUser(77, "flood", i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !sockets.hasUser(77));
        assertThat(p.get().text()).isEqualTo(UNKNOWN_SID);
    }

    @Test
    void aConnectionWithoutANamespaceIsClosedAfterTheConnectTimeout() throws Exception {
        Polling p = new Polling(hearth);
        long start = System.nanoTime();
        List<String> got = List.of();
        while (!got.contains("1") && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            got = p.poll();
            if (got.contains("2")) {
                p.post("3");
            }
        }
        assertThat(got).contains("1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }

    @Test
    void binaryPollingPayloadsAreCountedInBytes() throws Exception {
        Polling p = new Polling(hearth);
        assertThat(p.connect("{\"auth_token\":\"user-78\"}")).startsWith("40{\"sid\":");
        byte[] body = ("4" + "y".repeat(999)).getBytes(StandardCharsets.UTF_8);
        assertThat(body).hasSize(1000);
        assertThat(p.post(new String(body, StandardCharsets.UTF_8)).status()).isEqualTo(200);
    }
}
