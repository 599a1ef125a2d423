package dev.hearth.fs;

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

/** A raw HTTP/1.1 client over a socket, one request per connection, that can stream a body of any size. */
final class FsHttpClient {

    private final int port;

    FsHttpClient(int port) {
        this.port = port;
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** A request; {@code headers} are "Name: value" lines; a JSON body gets its Content-Type unless one is given. */
    Reply send(String method, String path, String json, String... headers) throws IOException {
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        return send(method, path, body == null ? null : new java.io.ByteArrayInputStream(body),
                body == null ? -1 : body.length, headers);
    }

    Reply send(String method, String path, InputStream body, long length, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            boolean typed = false;
            for (String h : headers) {
                head.append(h).append("\r\n");
                typed |= h.toLowerCase(Locale.ROOT).startsWith("content-type:");
            }
            if (body != null) {
                if (!typed) {
                    head.append("Content-Type: application/json\r\n");
                }
                head.append("Content-Length: ").append(length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    body.transferTo(out);
                }
                out.flush();
            } catch (java.net.SocketException answeredEarly) {
                // The server refused the request before reading all of the body and closed: its answer is there.
            }
            return read(socket.getInputStream(), method.equals("HEAD"));
        }
    }

    /** A response. Header names are lower case. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {

        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.mapper().readTree(body);
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
