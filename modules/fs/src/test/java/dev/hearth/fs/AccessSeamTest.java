package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.CoreModule;
import dev.hearth.fs.spi.FsAccess;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;

/** An ACL contributed by another module replaces the owner-only default (what accounts will do). */
class AccessSeamTest {

    @TempDir
    Path dataDir;

    Kernel kernel;

    /** Everyone may read what is under a Public folder; it reads the database through the reads it is given. */
    static final class PublicFolders implements Service, FsAccess {
        @Override
        public boolean allows(FsUser user, Entry entry, Mode mode, Reads database) throws java.sql.SQLException {
            if (entry.userId() == user.id()) {
                return true;
            }
            int rows = database.run(connection -> {
                try (PreparedStatement s = connection.prepareStatement("SELECT COUNT(*) FROM fsentries WHERE uuid = ?")) {
                    s.setString(1, entry.uuid());
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        return r.getInt(1);
                    }
                }
            });
            assertThat(rows).isEqualTo(1);
            return mode != Mode.WRITE && entry.path().components().size() >= 2
                    && entry.path().components().get(1).equals("Public");
        }
    }

    @AfterEach
    void stop() {
        kernel.shutdown();
    }

    @Test
    void aContributedAccessPolicyDecidesBetween404And403() {
        Module acl = new Module() {
            @Override
            public String name() {
                return "acl";
            }

            @Override
            public void install(ModuleInstaller installer) {
                installer.register("public-folders", context -> new PublicFolders());
            }
        };
        kernel = Kernel.builder(TestConfig.of(dataDir)).externalModules(false).module(new CoreModule())
                .module(new FilesystemModule()).module(acl).build();
        kernel.boot();
        Filesystem fs = kernel.services().get(Filesystem.class);
        FsUser alice = new FsUser(1, "alice");
        FsUser bob = new FsUser(2, "bob");
        fs.createHome(alice);
        fs.write(alice, WriteRequest.overwrite(NodeRef.path("/alice/Public/hello.txt"), 2),
                new ByteArrayInputStream("hi".getBytes()));
        fs.write(alice, WriteRequest.overwrite(NodeRef.path("/alice/Documents/secret.txt"), 2),
                new ByteArrayInputStream("no".getBytes()));

        assertThat(fs.stat(bob, NodeRef.path("/alice/Public/hello.txt")).name()).isEqualTo("hello.txt");
        assertThat(fs.read(bob, NodeRef.path("/alice/Public/hello.txt")).length()).isEqualTo(2);
        ApiError write = FilesystemContract.error(() -> fs.write(bob,
                WriteRequest.overwrite(NodeRef.path("/alice/Public/hello.txt"), 1), new ByteArrayInputStream(new byte[1])));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.code()).isEqualTo("forbidden");
        ApiError hidden = FilesystemContract.error(() -> fs.stat(bob, NodeRef.path("/alice/Documents/secret.txt")));
        assertThat(hidden.code()).isEqualTo("subject_does_not_exist");
    }
}
