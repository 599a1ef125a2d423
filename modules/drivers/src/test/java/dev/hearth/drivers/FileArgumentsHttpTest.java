package dev.hearth.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.hearth.core.User;
import dev.hearth.core.Users;
import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.fs.Entry;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FilesystemModule;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.NodeRef;
import dev.hearth.fs.WriteRequest;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/**
 * {@code file} arguments given as a path, a uid or a URL (spec 1.3): read with the caller's permissions, and never
 * fetched from the server's own networks.
 */
class FileArgumentsHttpTest extends DriverHttpFixture {

    Account alice;
    Account bob;
    Entry note;
    HttpServer local;

    @Override
    protected boolean postgres() {
        return false;
    }

    @Override
    protected List<Module> modules() {
        return List.of(new FilesystemModule(), new EchoModule());
    }

    @BeforeAll
    void files() throws IOException {
        alice = signup();
        bob = signup();
        User a = service(Users.class).byUsername(alice.username()).orElseThrow();
        byte[] text = "a note for the driver".getBytes(StandardCharsets.UTF_8);
        note = service(Filesystem.class).write(new FsUser(a.id(), a.username()),
                WriteRequest.create(NodeRef.path("/" + a.username() + "/Documents"), "note.txt", text.length),
                new ByteArrayInputStream(text));
        local = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        local.createContext("/secret", ex -> {
            ex.sendResponseHeaders(200, 6);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("secret".getBytes(StandardCharsets.UTF_8));
            }
        });
        local.start();
    }

    @AfterAll
    void stopLocal() {
        local.stop(0);
    }

    @Test
    void aFileIsNamedByPathHomeRelativePathDotPathOrUid() throws IOException {
        for (String ref : List.of("/" + alice.username() + "/Documents/note.txt", "~/Documents/note.txt",
                "./" + alice.username() + "/Documents/note.txt", note.uuid(), note.uuid().toUpperCase())) {
            JsonNode r = result(alice.token(), "test-echo", "upload", obj("source", ref));
            assertThat(r.get("bytes").asLong()).as(ref).isEqualTo(21);
            assertThat(r.get("type").asString()).as(ref).startsWith("text/plain");
        }
    }

    @Test
    void anotherUsersFileIsNotReadable() throws IOException {
        for (String ref : List.of("/" + alice.username() + "/Documents/note.txt", note.uuid())) {
            JsonNode e = error(bob.token(), "test-echo", "upload", obj("source", ref));
            assertThat(e.toString()).as(ref).doesNotContain("a note for the driver");
            assertThat(e.get("code").asString()).as(ref).isEqualTo("argument_consolidation_failed");
            assertThat(e.get("message").asString()).as(ref).endsWith(": File or directory not found.");
        }
    }

    @Test
    void anAppReadsOnlyWhatItsTokenAllows() throws IOException {
        String appToken = appToken(alice, "https://some-app.example").getKey();
        JsonNode e = error(appToken, "test-echo", "upload", obj("source", "~/Documents/note.txt"));
        assertThat(e.get("code").asString()).isEqualTo("argument_consolidation_failed");
        assertThat(e.toString()).doesNotContain("a note for the driver");
        assertThat(result(alice.token(), "test-echo", "upload", obj("source", "~/Documents/note.txt")).get("bytes")
                .asLong()).as("the user can").isEqualTo(21);
    }

    @Test
    void urlsOnTheServersOwnNetworksAreRefused() throws IOException {
        int port = local.getAddress().getPort();
        for (String url : List.of("http://127.0.0.1:" + port + "/secret", "http://localhost:" + port + "/secret",
                "http://[::1]:" + port + "/secret")) {
            JsonNode e = error(alice.token(), "test-echo", "upload", obj("source", url));
            assertThat(e.get("code").asString()).as(url).isEqualTo("ip_not_allowed");
            assertThat(e.get("message").asString()).isEqualTo("Requests to this address are not allowed.");
        }
    }

    @Test
    void aStringThatIsNeitherPathUidNorUrlIsInvalid() throws IOException {
        JsonNode e = error(alice.token(), "test-echo", "upload", obj("source", "not a path"));
        assertThat(e.get("code").asString()).isEqualTo("argument_consolidation_failed");
    }
}
