package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.hearth.kernel.Actor;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.web.spi.SocketAuthenticator;
import dev.hearth.web.spi.SocketIdentity;
import tools.jackson.databind.JsonNode;

/** Raw Engine.IO / Socket.IO clients for tests: long-polling over {@link TestHearth.RawHttp}, and WebSockets. */
final class SocketClients {

    static final String SEP = "\u001e";
    static final Duration WAIT = Duration.ofSeconds(10);

    private SocketClients() {}

    /** The fake accounts module: token {@code user-<n>} is user n. */
    record FakeAuthenticator() implements Service, SocketAuthenticator {
        @Override
        public SocketIdentity authenticate(String token) {
            if (token.matches("user-\\d{1,9}")) {
                long id = Long.parseLong(token.substring(5));
                return new SocketIdentity(new TestActor("user-" + id), id);
            }
            throw ApiError.tokenAuthFailed();
        }
    }

    record TestActor(String uid) implements Actor {}

    /** A long-polling session. */
    static final class Polling {
        final TestHearth hearth;
        final String sid;
        final JsonNode open;

        Polling(TestHearth hearth) throws Exception {
            this.hearth = hearth;
            TestHearth.Reply r = hearth.get("/socket.io/?EIO=4&transport=polling");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).startsWith("0{");
            this.open = Json.mapper().readTree(r.text().substring(1));
            this.sid = open.get("sid").asString();
        }

        TestHearth.Reply post(String payload) throws Exception {
            return hearth.request("POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, host(hearth),
                    payload.getBytes(StandardCharsets.UTF_8), "Content-Type: text/plain;charset=UTF-8");
        }

        TestHearth.Reply get() throws Exception {
            return hearth.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
        }

        /** The packets of one poll. */
        List<String> poll() throws Exception {
            TestHearth.Reply r = get();
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            return Arrays.asList(r.text().split(SEP));
        }

        /** Polls until {@code count} packets other than pings have arrived, answering pings. */
        List<String> take(int count) throws Exception {
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.size() < count && System.nanoTime() < deadline) {
                for (String p : poll()) {
                    if (p.equals("2")) {
                        post("3");
                    } else {
                        got.add(p);
                    }
                }
            }
            return got;
        }

        /** CONNECT to "/" with {@code auth}; returns the CONNECT or CONNECT_ERROR packet. */
        String connect(String auth) throws Exception {
            assertThat(post("40" + auth).text()).isEqualTo("ok");
            return take(1).getFirst();
        }
    }

    static String host(TestHearth hearth) {
        return "127.0.0.1:" + hearth.port();
    }

    /** A WebSocket client that queues what it receives: {@link String}s and {@code byte[]}s. */
    static final class Ws implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        final WebSocket socket;

        Ws(TestHearth hearth, String query) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                    .buildAsync(URI.create("ws://127.0.0.1:" + hearth.port() + "/socket.io/?" + query), this)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        /** A WebSocket-only session. */
        static Ws direct(TestHearth hearth) throws Exception {
            Ws ws = new Ws(hearth, "EIO=4&transport=websocket");
            assertThat(ws.next()).asString().startsWith("0{").contains("\"upgrades\":[]");
            return ws;
        }

        /** A WebSocket-only session connected to "/" as {@code user-<id>}; returns after CONNECT. */
        static Ws user(TestHearth hearth, long id) throws Exception {
            Ws ws = direct(hearth);
            ws.send("40{\"auth_token\":\"user-" + id + "\"}");
            assertThat(ws.nextText()).startsWith("40{\"sid\":");
            return ws;
        }

        void send(String frame) {
            socket.sendText(frame, true).join();
        }

        void sendBinary(byte[] data) {
            socket.sendBinary(ByteBuffer.wrap(data), true).join();
        }

        /** The next message, answering pings on the way. */
        Object next() throws InterruptedException {
            while (true) {
                Object m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (m == null) {
                    throw new AssertionError("nothing received within " + WAIT);
                }
                if (m.equals("2")) {
                    send("3");
                    continue;
                }
                return m;
            }
        }

        String nextText() throws InterruptedException {
            Object m = next();
            assertThat(m).isInstanceOf(String.class);
            return (String) m;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        @Override
        public void close() {
            if (!closed.isDone()) {
                socket.abort();
            }
        }
    }
}
