package dev.hearth.core;

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
 * A raw HTTP/1.1 client over a socket, one request per connection (copied in spirit from the web module's test
 * helper, which core's tests cannot see): tests send any Host, Origin, cookie or header.
 */
final class HttpClient {

    private final int port;

    HttpClient(int port) {
        this.port = port;
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** A request; {@code headers} are "Name: value" lines; a JSON body gets its Content-Type. */
    Reply send(String method, String path, String json, String... headers) throws IOException {
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            if (body != null) {
                boolean typed = false;
                for (String h : headers) {
                    typed |= h.toLowerCase(Locale.ROOT).startsWith("content-type:");
                }
                if (!typed) {
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

    /** A response. Header names are lower case; a repeated header keeps every value. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {

        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.mapper().readTree(body);
        }

        /** The value of a cookie this response sets. */
        Optional<String> cookie(String name) {
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
