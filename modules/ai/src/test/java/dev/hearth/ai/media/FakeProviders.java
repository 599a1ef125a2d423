package dev.hearth.ai.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * In-process stand-ins for the cloud providers (OpenAI, Gemini, Mistral) on one port: each path answers what a test
 * set for it, in the provider's wire format, and every request is kept for the test to inspect field by field.
 */
final class FakeProviders implements AutoCloseable {

    /** A request as the provider saw it; header names in lower case. */
    record Recorded(String method, String path, String query, Map<String, String> headers, byte[] body) {
        JsonNode json() {
            return Json.mapper().readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The multipart parts by name: the text of fields, {@code filename}/{@code type}/{@code bytes} of files. */
        Map<String, Part> parts() {
            String type = header("content-type");
            String boundary = type.substring(type.indexOf("boundary=") + 9);
            Map<String, Part> out = new LinkedHashMap<>();
            String all = text();
            for (String chunk : all.split("--" + java.util.regex.Pattern.quote(boundary))) {
                int split = chunk.indexOf("\r\n\r\n");
                if (split < 0) {
                    continue;
                }
                String head = chunk.substring(0, split);
                String content = chunk.substring(split + 4, chunk.length() - 2);
                String name = between(head, "name=\"", "\"");
                String filename = head.contains("filename=\"") ? between(head, "filename=\"", "\"") : null;
                String partType = head.contains("Content-Type: ") ? head.substring(head.indexOf("Content-Type: ") + 14)
                        .strip() : null;
                Part p = new Part(name, filename, partType, content.getBytes(StandardCharsets.ISO_8859_1));
                out.merge(name, p, (a, b) -> new Part(a.name(), a.filename(), a.type(),
                        (a.text() + "," + b.text()).getBytes(StandardCharsets.ISO_8859_1)));
            }
            return out;
        }

        private static String between(String s, String a, String b) {
            int i = s.indexOf(a) + a.length();
            return s.substring(i, s.indexOf(b, i));
        }
    }

    record Part(String name, String filename, String type, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** An answer: status, content type, body; {@code delayMillis} before answering. */
    record Canned(int status, String contentType, byte[] body, long delayMillis) {
        static Canned json(int status, Object body) {
            return new Canned(status, "application/json", Json.mapper().writeValueAsBytes(body), 0);
        }

        static Canned bytes(String type, byte[] body) {
            return new Canned(200, type, body, 0);
        }

        Canned after(long millis) {
            return new Canned(status, contentType, body, millis);
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Recorded, Canned>> routes = new ConcurrentHashMap<>();
    final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

    FakeProviders() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            Recorded r = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body);
            requests.add(r);
            Function<Recorded, Canned> route = routes.get(r.path());
            Canned c = route == null ? Canned.json(404, Map.of("error", Map.of("message", "no route " + r.path())))
                    : route.apply(r);
            try {
                if (c.delayMillis() > 0) {
                    Thread.sleep(c.delayMillis());
                }
                exchange.getResponseHeaders().set("Content-Type", c.contentType());
                exchange.sendResponseHeaders(c.status(), c.body().length == 0 ? -1 : c.body().length);
                exchange.getResponseBody().write(c.body());
            } catch (InterruptedException | IOException e) {
                // the client went away (a time-out test)
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    void on(String path, Function<Recorded, Canned> answer) {
        routes.put(path, answer);
    }

    /** The last request to {@code path}. */
    Recorded last(String path) {
        synchronized (requests) {
            for (int i = requests.size() - 1; i >= 0; i--) {
                if (requests.get(i).path().equals(path)) {
                    return requests.get(i);
                }
            }
        }
        throw new AssertionError("no request to " + path + " among " + requests.stream().map(Recorded::path).toList());
    }

    long count(String path) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().equals(path)).count();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
