package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Kernel;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;

/** socket.io connections authenticate with the accounts' tokens and join the room of their user. */
class SocketAuthenticationTest {

    @TempDir
    Path dataDir;

    Kernel kernel;
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void boot() {
        kernel = Kernel.builder(TestSecrets.config(dataDir).with("http_port", 0).with("shutdown.drain_seconds", 0))
                .module(new CoreModule()).module(new WebModule()).build();
        kernel.boot();
        base = "http://127.0.0.1:" + kernel.services().get(WebServer.class).port() + "/socket.io/?EIO=4&transport=polling";
    }

    @AfterEach
    void stop() {
        kernel.shutdown();
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/plain;charset=UTF-8").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    /** Opens an Engine.IO session, sends the Socket.IO CONNECT with the token, returns {sid, the answer}. */
    private String[] connect(String token) throws Exception {
        Matcher m = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(get(base));
        assertThat(m.find()).isTrue();
        String sid = m.group(1);
        post(base + "&sid=" + sid, "40" + json(Map.of("auth_token", token)));
        return new String[] {sid, get(base + "&sid=" + sid)};
    }

    private static String json(Object o) {
        return dev.hearth.kernel.Json.mapper().writeValueAsString(o);
    }

    private Sessions.Login login(String name) {
        User user = kernel.services().get(Users.class).create(NewUser.account(name, name + "@example.com", "secret12"));
        return kernel.services().get(Sessions.class).login(user, SessionOrigin.UNKNOWN);
    }

    @Test
    void aGuiTokenConnectsAndItsUsersEventsArrive() throws Exception {
        Sessions.Login alice = login("alice");
        Sessions.Login bob = login("bob");
        String[] a = connect(alice.guiToken());
        String[] b = connect("Bearer " + bob.guiToken());
        assertThat(a[1]).startsWith("40{\"sid\":");
        assertThat(b[1]).startsWith("40{\"sid\":");

        long aliceId = kernel.services().get(Users.class).byUsername("alice").orElseThrow().id();
        kernel.events().emit("outer.gui.item.added",
                Map.of("user_id_list", List.of(aliceId), "response", Map.of("name", "hello.txt")));

        long bobId = kernel.services().get(Users.class).byUsername("bob").orElseThrow().id();
        kernel.events().emit("outer.gui.item.removed",
                Map.of("user_id_list", List.of(bobId), "response", Map.of("path", "/bob/x")));

        assertThat(get(base + "&sid=" + a[0])).isEqualTo("42[\"item.added\",{\"name\":\"hello.txt\"}]");
        // Bob's first delivery is his own event: alice's never reached his room.
        assertThat(get(base + "&sid=" + b[0])).isEqualTo("42[\"item.removed\",{\"path\":\"/bob/x\"}]");
    }

    @Test
    void badMissingAndRevokedTokensAreRefused() throws Exception {
        assertThat(connect("not-a-token")[1]).isEqualTo("44{\"message\":\"socket auth failed\"}");
        assertThat(connect("null")[1]).isEqualTo("44{\"message\":\"socket auth token missing\"}");

        Sessions.Login carol = login("carol");
        kernel.services().get(Sessions.class).revokeAll(kernel.services().get(Users.class).byUsername("carol").orElseThrow().id());
        assertThat(connect(carol.guiToken())[1]).isEqualTo("44{\"message\":\"socket auth failed\"}");
    }
}
