package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.SocketClients.FakeAuthenticator;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@code e2e/socket} (Node's test runner with the real {@code socket.io-client@4.8}) against a Hearth with a
 * fake authenticator, an acking {@code echo} client event and {@code POST /test/emit}, which emits
 * {@code outer.gui.<event>}. Installs the Node packages with {@code npm ci} when they are missing.
 */
class SocketIoClientE2ETest {

    private static final Path HARNESS = Path.of("../../e2e/socket").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** The application side of the harness. */
    record Harness(ServiceContext ctx) implements Service, HttpService {
        @Override
        public void init() {
            Sockets sockets = ctx.services().get(Sockets.class);
            sockets.onClientEvent("echo", e -> e.ack(e.args().toArray()));
            // As the notification service will: unread notifications once the GUI says it is open.
            ctx.events().on("web.socket.user-connected", (key, data, meta) -> {
                UserSocket u = (UserSocket) data;
                sockets.sendToUser(u.userId(), "notif.unreads", Map.of("unreads", List.of()));
            });
        }

        @Override
        public void routes(Router router) {
            router.post("/test/emit", (req, res) -> {
                JsonNode body = req.jsonTree();
                ctx.events().emit("outer.gui." + body.get("event").asString(),
                        Map.of("user_id_list", body.get("user_id_list"), "response", body.get("response")));
                res.json(Map.of("ok", true));
            });
            router.post("/test/ask", (req, res) -> {
                JsonNode body = req.jsonTree();
                List<JsonNode> answer = ctx.services().get(Sockets.class).ask(body.get("socket_id").asString(),
                        "question", body.get("question"), java.time.Duration.ofSeconds(10)).get();
                res.json(Map.of("answer", answer));
            });
        }
    }

    @Test
    void theRealSocketIoClientWorksAgainstHearth() throws Exception {
        assertThat(HARNESS.resolve("package-lock.json")).exists();
        if (!Files.isDirectory(HARNESS.resolve("node_modules"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        }
        try (TestHearth hearth = TestHearth.builder(dir)
                .service("test-socket-auth", ctx -> new FakeAuthenticator())
                .service("test-harness", Harness::new)
                .boot()) {
            run(List.of("node", "--test", "--test-reporter=spec"),
                    Map.of("HEARTH_URL", "http://127.0.0.1:" + hearth.port()), 120);
        }
    }

    private static void run(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("hearth-e2e-socket", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(HARNESS.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(String.join(" ", command) + ":\n" + output);
            assertThat(finished).as(String.join(" ", command) + " finished within " + timeoutSeconds + " s:\n" + output)
                    .isTrue();
            assertThat(p.exitValue()).as(String.join(" ", command) + " failed:\n" + output).isZero();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
