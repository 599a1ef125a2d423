package dev.hearth.drivers.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.hearth.web.testing.RawHttp;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * A raw HTTP/1.1 client over a socket, one request per connection (as core's test helper, which other modules
 * cannot see): tests send any Host, Origin, header or body.
 */
public final class TestHttp {

    /** Pass as a header to send a body without any Content-Type. */
    public static final String NO_CONTENT_TYPE = "(no content type)";

    private final int port;

    public TestHttp(int port) {
        this.port = port;
    }

    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** A request; {@code headers} are "Name: value" lines; a JSON body gets its Content-Type. */
    public Reply send(String method, String path, String json, String... headers) throws IOException {
        return sendBytes(method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A request with a raw body; without a Content-Type header among {@code headers}, it is sent as JSON. */
    public Reply sendBytes(String method, String path, byte[] body, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (String h : headers) {
                if (!h.equals(NO_CONTENT_TYPE)) {
                    head.append(h).append("\r\n");
                }
            }
            if (body != null) {
                boolean typed = false;
                for (String h : headers) {
                    typed |= h.toLowerCase(Locale.ROOT).startsWith("content-type:");
                }
                if (!typed && !java.util.Arrays.asList(headers).contains(NO_CONTENT_TYPE)) {
                    head.append("Content-Type: application/json\r\n");
                }
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream(), method.equals("HEAD"));
        }
    }

    /** A request whose body of {@code length} bytes is copied from {@code body} as it is sent (never held whole). */
    public Reply sendStream(String method, String path, java.io.InputStream body, long length, String... headers)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(120_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            head.append("Content-Length: ").append(length).append("\r\n");
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            body.transferTo(out);
            out.flush();
            return read(socket.getInputStream(), false);
        }
    }

    /** A response. Header names are lower case; a repeated header keeps every value. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        public List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return Json.mapper().readTree(body);
        }

        /** The value of a cookie this response sets. */
        public Optional<String> cookie(String name) {
            return all("set-cookie").stream().filter(c -> c.startsWith(name + "="))
                    .map(c -> c.substring(name.length() + 1).split(";", 2)[0]).findFirst();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private static Reply read(InputStream in, boolean head) throws IOException {
        RawHttp.Response r = RawHttp.read(in, head);
        return new Reply(r.status(), r.headers(), r.body());
    }
}
