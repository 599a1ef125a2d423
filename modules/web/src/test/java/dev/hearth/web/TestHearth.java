package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceFactory;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * A real kernel with the web module and a test module whose routes the test gives, on port 0 in a temporary
 * data directory, plus a raw HTTP/1.1 client (raw, so that tests can send any Host, Origin or Range).
 */
final class TestHearth implements AutoCloseable {

    final Kernel kernel;

    private TestHearth(Kernel kernel) {
        this.kernel = kernel;
    }

    static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    static final class Builder {
        private final Path dataDir;
        private final List<String> overrides = new ArrayList<>(List.of("http_port=0", "shutdown.drain_seconds=0"));
        private final Map<String, ServiceFactory<?>> services = new LinkedHashMap<>();

        Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        Builder set(String override) {
            overrides.add(override);
            return this;
        }

        /** A service contributing {@code routes}. */
        Builder routes(Consumer<Router> routes) {
            services.put("test-routes-" + services.size(), ctx -> new RoutesService(routes));
            return this;
        }

        Builder service(String name, ServiceFactory<?> factory) {
            services.put(name, factory);
            return this;
        }

        Kernel build() {
            Module test = new Module() {
                @Override
                public String name() {
                    return "test";
                }

                @Override
                public void install(ModuleInstaller installer) {
                    services.forEach((name, factory) -> register(installer, name, factory));
                }
            };
            return Kernel.builder(ConfigLoader.load(dataDir, Optional.empty(), Map.of(), overrides))
                    .externalModules(false).module(new WebModule()).module(test).build();
        }

        TestHearth boot() {
            Kernel k = build();
            k.boot();
            return new TestHearth(k);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static void register(ModuleInstaller installer, String name, ServiceFactory factory) {
            installer.register(name, factory);
        }
    }

    record RoutesService(Consumer<Router> routes) implements Service, HttpService {
        @Override
        public void routes(Router router) {
            routes.accept(router);
        }
    }

    JettyWebServer server() {
        return (JettyWebServer) kernel.services().get(WebServer.class);
    }

    int port() {
        return server().port();
    }

    /** A GET with Host 127.0.0.1:port and the given extra header lines ("Name: value"). */
    Reply get(String path, String... headers) throws IOException {
        return request("GET", path, "127.0.0.1:" + port(), null, headers);
    }

    Reply request(String method, String path, String host, byte[] body, String... headers) throws IOException {
        return RawHttp.send(port(), method, path, host, body, headers);
    }

    @Override
    public void close() {
        kernel.shutdown();
    }

    /** A parsed response. Header names are lower case; a repeated header keeps every value. */
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
    }

    /** A minimal HTTP/1.1 client over a socket: one request per connection. */
    static final class RawHttp {

        static Reply send(int port, String method, String path, String host, byte[] body, String... headers)
                throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                StringBuilder head = new StringBuilder();
                head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
                if (host != null) {
                    head.append("Host: ").append(host).append("\r\n");
                }
                for (String h : headers) {
                    head.append(h).append("\r\n");
                }
                if (body != null) {
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

        /** Sends {@code request} exactly as given (request line, headers, body) and reads the reply. */
        static Reply sendRaw(int port, String request) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                return read(socket.getInputStream(), false);
            }
        }

        static Reply read(InputStream in, boolean head) throws IOException {
            dev.hearth.web.testing.RawHttp.Response r = dev.hearth.web.testing.RawHttp.read(in, head);
            return new Reply(r.status(), r.headers(), r.body());
        }
    }
}
