package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Service;
import dev.hearth.web.SocketClients.FakeAuthenticator;
import dev.hearth.web.SocketClients.Polling;
import dev.hearth.web.SocketClients.Ws;
import dev.hearth.web.spi.SocketFanout;

/** socket.io within the rest of the web module: hosts, CORS, the drain, the fan-out seam, no authenticator. */
class SocketIntegrationTest {

    @TempDir
    Path dir;

    @Nested
    class Subdomains {

        @Test
        void answersOnTheApiHostAndTheMainDomainOnly() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).set("experimental_no_subdomain=false").set("domain=localhost")
                    .boot()) {
                String path = "/socket.io/?EIO=4&transport=polling";
                for (String host : List.of("api.localhost", "localhost")) {
                    TestHearth.Reply r = h.request("GET", path, host + ":" + h.port(), null,
                            "Origin: https://third.party");
                    assertThat(r.status()).as(host).isEqualTo(200);
                    assertThat(r.text()).startsWith("0{\"sid\":");
                    // Credentialed CORS on both, the main domain included (Engine.IO's own CORS).
                    assertThat(r.header("access-control-allow-origin")).hasValue("https://third.party");
                    assertThat(r.header("access-control-allow-credentials")).hasValue("true");
                }
                TestHearth.Reply site = h.request("GET", path, "blog.site.localhost:" + h.port(), null);
                assertThat(site.status()).isEqualTo(404);
                assertThat(site.header("content-type")).hasValueSatisfying(t -> t.startsWith("application/json"));
                TestHearth.Reply foreign = h.request("GET", path, "evil.example:" + h.port(), null);
                assertThat(foreign.status()).isEqualTo(400);
                assertThat(foreign.text()).isEqualTo("Invalid Host header.");
            }
        }
    }

    @Test
    void withoutAnAuthenticatorEveryConnectIsRefused() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).boot()) {
            Polling p = new Polling(h);
            assertThat(p.connect("{\"auth_token\":\"user-1\"}")).isEqualTo("44{\"message\":\"socket auth failed\"}");
            assertThat(h.kernel.services().get(Sockets.class).hasUser(1)).isFalse();
        }
    }

    @Test
    void theDrainReleasesWaitingPollsAtOnce() throws Exception {
        TestHearth h = TestHearth.builder(dir).set("shutdown.drain_seconds=20")
                .service("test-socket-auth", ctx -> new FakeAuthenticator()).boot();
        Polling p = new Polling(h);
        p.connect("{\"auth_token\":\"user-1\"}");
        CompletableFuture<List<String>> waiting = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                waiting.complete(p.poll());
            } catch (Exception e) {
                waiting.completeExceptionally(e);
            }
        });
        long start = System.nanoTime();
        EngineIoEndpoint endpoint = h.kernel.services().get(SocketIoServer.class).endpoint();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.pollWaiting(p.sid));
        h.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).containsExactly("1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    /** A fan-out that records what is published and lets the test play another replica. */
    static final class RecordingFanout implements Service, SocketFanout {
        final List<Delivery> published = new CopyOnWriteArrayList<>();
        volatile Consumer<Delivery> replica;

        @Override
        public void publish(Delivery delivery) {
            published.add(delivery);
        }

        @Override
        public void subscribe(Consumer<Delivery> deliverHere) {
            replica = deliverHere;
        }
    }

    @Test
    void deliveriesGoThroughTheFanoutSeam() throws Exception {
        RecordingFanout fanout = new RecordingFanout();
        try (TestHearth h = TestHearth.builder(dir).service("test-socket-auth", ctx -> new FakeAuthenticator())
                .service("test-fanout", ctx -> fanout).boot();
                Ws ws = Ws.user(h, 5)) {
            Sockets sockets = h.kernel.services().get(Sockets.class);
            sockets.sendToUser(5, "item.added", java.util.Map.of("path", "/a"));
            assertThat(ws.nextText()).isEqualTo("42[\"item.added\",{\"path\":\"/a\"}]");
            assertThat(fanout.published).containsExactly(new SocketFanout.Delivery(SocketFanout.Target.USER, "5",
                    "item.added", "{\"path\":\"/a\"}"));
            sockets.sendToSocket("elsewhere", "hello", 1);
            assertThat(fanout.published).last().isEqualTo(new SocketFanout.Delivery(SocketFanout.Target.SOCKET,
                    "elsewhere", "hello", "1"));
            // What another replica publishes reaches the sockets here, and is not published again.
            fanout.replica.accept(new SocketFanout.Delivery(SocketFanout.Target.USER, "5", "notif.message",
                    "{\"uid\":\"n\"}"));
            assertThat(ws.nextText()).isEqualTo("42[\"notif.message\",{\"uid\":\"n\"}]");
            assertThat(fanout.published).hasSize(2);
        }
    }
}
