package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * A raw socket.io client over a WebSocket (Engine.IO v4, Socket.IO v5), connected to "/" with a token: it answers
 * pings and hands out the events it receives, in order.
 */
final class SocketClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A socket event: its name and its first argument (null without one). */
    record Event(String name, JsonNode data) {}

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket socket;
    final String id;

    SocketClient(int port, String token) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), this)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(next()).startsWith("0{");
        send("40" + Json.mapper().writeValueAsString(java.util.Map.of("auth_token", token)));
        String connect = next();
        assertThat(connect).startsWith("40{\"sid\":");
        id = Json.mapper().readTree(connect.substring(2)).get("sid").asString();
    }

    void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** Emits an event without arguments. */
    void emit(String event) {
        send("42[\"" + event + "\"]");
    }

    /** The next packet other than a ping. */
    String next() throws InterruptedException {
        while (true) {
            String m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
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

    /** The next event, skipping none; fails on anything else. */
    Event nextEvent() throws InterruptedException {
        String m = next();
        assertThat(m).as("an event packet").startsWith("42[");
        JsonNode args = Json.mapper().readTree(m.substring(2));
        return new Event(args.get(0).asString(), args.size() > 1 ? args.get(1) : null);
    }

    /** The next event named {@code name}, skipping others. */
    Event nextEvent(String name) throws InterruptedException {
        while (true) {
            Event e = nextEvent();
            if (e.name().equals(name)) {
                return e;
            }
        }
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
