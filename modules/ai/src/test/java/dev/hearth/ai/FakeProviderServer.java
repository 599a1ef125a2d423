package dev.hearth.ai;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * An in-process stand-in for a provider's HTTP API (the JDK's HTTP server): it records every request (method, path,
 * headers, JSON body) for the test to check field by field, and answers with the replies the test queued, in order:
 * recorded-style JSON, server-sent-event streams written in pieces (lines split anywhere), streams that stall or stop
 * early.
 */
final class FakeProviderServer implements AutoCloseable {

    record Seen(String method, String path, Map<String, String> headers, JsonNode body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @FunctionalInterface
    interface Reply {
        void send(HttpExchange ex) throws Exception;
    }

    private final HttpServer server;
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedDeque<Reply> replies = new ConcurrentLinkedDeque<>();

    FakeProviderServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try (ex) {
                byte[] raw = ex.getRequestBody().readAllBytes();
                Map<String, String> headers = new LinkedHashMap<>();
                ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
                JsonNode body = raw.length == 0 ? null : Json.mapper().readTree(raw);
                seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
                Reply r = replies.poll();
                if (r == null) {
                    answer(500, "{\"error\":{\"message\":\"no reply queued\"}}").send(ex);
                } else {
                    r.send(ex);
                }
            } catch (Exception e) {
                // the client went away, or a test ended a stream on purpose
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    FakeProviderServer then(Reply reply) {
        replies.add(reply);
        return this;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    Seen last() {
        return seen.getLast();
    }

    void reset() {
        seen.clear();
        replies.clear();
    }

    static Reply answer(int status, String body) {
        return ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        };
    }

    /** A stream written piece by piece, each piece flushed (pieces may split lines anywhere). */
    static Reply sse(String... pieces) {
        return sseGated(null, 0, pieces);
    }

    /**
     * A stream whose pieces after the first {@code before} wait for {@code gate} (at most 5 s): shows that the first
     * pieces reach the client before the rest is even written.
     */
    static Reply sseGated(CountDownLatch gate, int before, String... pieces) {
        return ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < pieces.length; i++) {
                if (gate != null && i == before) {
                    gate.await(5, TimeUnit.SECONDS);
                }
                out.write(pieces[i].getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /** Sends the pieces, then stays silent for {@code millis} with the connection open. */
    static Reply stall(long millis, String... pieces) {
        return ex -> {
            sse(pieces).send(ex);
            Thread.sleep(millis);
        };
    }

    /** Answers only after {@code millis}. */
    static Reply slow(long millis, Reply then) {
        return ex -> {
            Thread.sleep(millis);
            then.send(ex);
        };
    }

    static String data(String json) {
        return "data: " + json + "\n\n";
    }

    static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
