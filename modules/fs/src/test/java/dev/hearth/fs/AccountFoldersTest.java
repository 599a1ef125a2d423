package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.CoreModule;
import dev.hearth.core.NewUser;
import dev.hearth.core.User;
import dev.hearth.core.Users;
import dev.hearth.kernel.Kernel;

/** Accounts and their folders move together: created at signup, moved on a new username, gone with the user. */
class AccountFoldersTest {

    @TempDir
    Path dataDir;

    Kernel kernel;
    Users users;
    Filesystem fs;

    @BeforeEach
    void boot() {
        kernel = Kernel.builder(TestConfig.of(dataDir)).externalModules(false)
                .module(new CoreModule()).module(new FilesystemModule()).build();
        kernel.boot();
        users = kernel.services().get(Users.class);
        fs = kernel.services().get(Filesystem.class);
    }

    @AfterEach
    void stop() {
        kernel.shutdown();
    }

    private Optional<Entry> at(String path) {
        return fs.lookup(NodeRef.parse("path", path, "nobody"));
    }

    @Test
    void aNewUserHasAHomeWithTheDefaultFoldersRecordedOnTheUser() {
        User erin = users.create(NewUser.account("erin", "erin@example.com", "secret12"));
        for (String dir : Filesystem.HOME_DIRECTORIES) {
            assertThat(at("/erin/" + dir)).as(dir).hasValueSatisfying(e -> {
                assertThat(e.isDir()).isTrue();
                assertThat(e.userId()).isEqualTo(erin.id());
            });
        }
        User reread = users.byId(erin.id()).orElseThrow();
        assertThat(reread.folders()).containsEntry("desktop", at("/erin/Desktop").orElseThrow().uuid())
                .containsEntry("trash", at("/erin/Trash").orElseThrow().uuid());
    }

    @Test
    void aNewUsernameMovesTheHomeWithEverythingInIt() throws Exception {
        User frank = users.create(NewUser.account("frank", "frank@example.com", "secret12"));
        FsUser owner = new FsUser(frank.id(), "frank");
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        fs.write(owner, WriteRequest.create(NodeRef.parse("path", "/frank/Documents", "frank"), "a.txt", hello.length),
                new ByteArrayInputStream(hello));

        users.changeUsername(frank.id(), "francis");

        assertThat(at("/frank")).isEmpty();
        assertThat(at("/francis/Documents/a.txt")).hasValueSatisfying(e -> assertThat(e.size()).hasValue(5L));
    }

    @Test
    void aDeletedUserLeavesNoEntryAndNoContent() throws Exception {
        User gina = users.create(NewUser.account("gina", "gina@example.com", "secret12"));
        FsUser owner = new FsUser(gina.id(), "gina");
        byte[] data = "data".getBytes(StandardCharsets.UTF_8);
        Entry file = fs.write(owner, WriteRequest.create(NodeRef.parse("path", "/gina/Desktop", "gina"), "d.bin", data.length),
                new ByteArrayInputStream(data));
        Path blob = dataDir.resolve("storage").resolve(file.blobKey().orElseThrow());
        assertThat(blob).exists();

        users.delete(gina.id());

        assertThat(at("/gina")).isEmpty();
        assertThat(at("/gina/Desktop/d.bin")).isEmpty();
        assertThat(Files.exists(blob)).isFalse();
    }
}
