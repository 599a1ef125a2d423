package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;

/**
 * The filesystem's specification, run against every database engine by the subclasses: a real kernel with the
 * core and filesystem modules in a temporary data directory.
 */
abstract class FilesystemContract {

    @TempDir
    Path dataDir;

    Kernel kernel;
    Filesystem fs;
    final FsUser alice = new FsUser(1, "alice");
    final FsUser bob = new FsUser(2, "bob");
    final List<Map.Entry<String, Object>> events = Collections.synchronizedList(new ArrayList<>());

    abstract Config config(Path dataDir);

    /** A connection of its own to the server's database, as another process (a CLI, another instance) has. */
    java.sql.Connection outsideConnection() throws java.sql.SQLException {
        Config booted = config(dataDir);
        return booted.string("services.database.engine").orElse("sqlite").equals("postgres")
                ? java.sql.DriverManager.getConnection(booted.string("services.database.url").orElseThrow())
                : java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(
                        booted.string("services.database.path").orElse("hearth.sqlite")));
    }

    /** Modules that provide the blob store (storage-s3 runs this suite on S3); none for the local disk. */
    List<Module> storageModules() {
        return List.of();
    }

    @BeforeEach
    void boot() {
        boot(config(dataDir));
    }

    void boot(Config config) {
        if (kernel != null) {
            kernel.shutdown();
        }
        Kernel.Builder builder = Kernel.builder(config).externalModules(false).module(new CoreModule())
                .module(new FilesystemModule());
        storageModules().forEach(builder::module);
        kernel = builder.build();
        kernel.boot();
        fs = kernel.services().get(Filesystem.class);
        kernel.events().on("*", (key, data, meta) -> events.add(Map.entry(key, data)));
        fs.createHome(alice);
        fs.createHome(bob);
    }

    @AfterEach
    void shutdown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    // helpers

    static NodeRef p(String path) {
        return NodeRef.path(path);
    }

    Entry write(FsUser user, String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return fs.write(user, WriteRequest.overwrite(p(path), bytes.length), new ByteArrayInputStream(bytes));
    }

    Entry writeIn(String dir, String name, String content, boolean overwrite, boolean dedupe) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return fs.write(alice, new WriteRequest(p(dir), Optional.of(name), Optional.empty(), bytes.length, overwrite,
                dedupe, false, Optional.empty(), Optional.empty(), ClientMetadata.NONE), new ByteArrayInputStream(bytes));
    }

    String read(FsUser user, String path) {
        FileContent content = fs.read(user, p(path));
        try (InputStream in = content.open(0, content.length())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Entry mkdirp(String path) {
        return fs.mkdir(alice, new MkdirRequest(Optional.empty(), path, false, false, true, ClientMetadata.NONE)).entry();
    }

    List<String> names(String dir) {
        return fs.readdir(alice, p(dir)).map(Entry::name).toList();
    }

    boolean exists(String path) {
        try {
            fs.stat(alice, p(path));
            return true;
        } catch (ApiError e) {
            assertThat(e.code()).isEqualTo("subject_does_not_exist");
            return false;
        }
    }

    /** How many objects the blob store holds. */
    long storedObjects() throws IOException {
        try (var files = Files.list(dataDir.resolve("storage"))) {
            return files.count();
        }
    }

    static ApiError error(Runnable r) {
        try {
            r.run();
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("expected an ApiError");
    }

    static void assertError(Runnable r, int status, String code) {
        ApiError e = error(r);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.code()).isEqualTo(code);
    }

    // homes

    @Test
    void theHomeLayoutIsCreatedOnceAndImmutable() {
        Entry home = fs.createHome(alice);
        assertThat(fs.createHome(alice).uuid()).isEqualTo(home.uuid());
        assertThat(home.parentUid()).isEmpty();
        assertThat(home.isHome()).isTrue();
        assertThat(home.immutable()).isTrue();
        assertThat(names("/alice")).containsExactly("Trash", "AppData", "Desktop", "Documents", "Pictures", "Videos", "Public");
        assertThat(fs.readdir(alice, p("/alice")).allMatch(e -> e.immutable() && e.isDir()
                && e.parentUid().equals(Optional.of(home.uuid())))).isTrue();
        assertThat(names("/")).containsExactly("alice");
        assertThat(fs.stat(alice, p("/"))).isEqualTo(Entry.ROOT);
    }

    // stat

    @Test
    void statByPathAndUid() {
        Entry written = write(alice, "/alice/Desktop/notes.txt", "hello world\n");
        Entry byUid = fs.stat(alice, NodeRef.uid(written.uuid()));
        Entry byPath = fs.stat(alice, NodeRef.parse("path", "~/Desktop//notes.txt", "alice"));
        assertThat(byUid).isEqualTo(byPath);
        assertThat(byUid.size()).contains(12L);
        assertThat(byUid.created()).isEqualTo(byUid.modified()).isPositive();
        assertThat(byUid.accessed()).contains(byUid.created());

        Map<String, Object> safe = SafeEntry.of(byUid, alice, false);
        assertThat(safe).containsEntry("id", written.uuid()).containsEntry("uid", written.uuid())
                .containsEntry("is_dir", false).containsEntry("immutable", 0).containsEntry("is_shortcut", 0)
                .containsEntry("path", "/alice/Desktop/notes.txt").containsEntry("dirname", "/alice/Desktop")
                .containsEntry("writable", true).containsEntry("size", 12L).doesNotContainKey("thumbnail")
                .doesNotContainKey("owner").doesNotContainKey("user_id");
        assertThat(SafeEntry.of(byUid, bob, true)).containsEntry("owner", Map.of("username", "alice"))
                .containsKey("thumbnail");
    }

    @Test
    void whatAnotherProcessChangesIsSeenWithinATenthOfASecond() throws Exception {
        Entry notes = write(alice, "/alice/Desktop/notes.txt", "hello");
        // Asked twice, so that whatever the server keeps between requests (SqliteEntryCache) holds the entry.
        fs.stat(alice, NodeRef.uid(notes.uuid()));
        assertThat(fs.stat(alice, p("/alice/Desktop/notes.txt")).size()).contains(5L);
        changeOutside("UPDATE fsentries SET size = 42 WHERE uuid = ?", notes.uuid());
        assertThat(fs.stat(alice, NodeRef.uid(notes.uuid())).size()).contains(42L);
        assertThat(fs.stat(alice, p("/alice/Desktop/notes.txt")).size()).contains(42L);

        changeOutside("DELETE FROM fsentries WHERE uuid = ?", notes.uuid());
        assertError(() -> fs.stat(alice, NodeRef.uid(notes.uuid())), 404, "subject_does_not_exist");
        assertError(() -> fs.stat(alice, p("/alice/Desktop/notes.txt")), 404, "subject_does_not_exist");
    }

    /** Changes one row on a connection of its own, then waits as long as the server may take to notice. */
    private void changeOutside(String sql, String uuid) throws Exception {
        try (java.sql.Connection other = outsideConnection(); java.sql.PreparedStatement s = other.prepareStatement(sql)) {
            s.setString(1, uuid);
            assertThat(s.executeUpdate()).isOne();
        }
        Thread.sleep(SqliteEntryCache.RECHECK_MILLIS);
    }

    @Test
    void statSeesTheServersOwnChangesAtOnce() {
        write(alice, "/alice/Desktop/a.txt", "one");
        for (int i = 0; i < 3; i++) {
            assertThat(fs.stat(alice, p("/alice/Desktop/a.txt")).size()).contains(3L);
        }
        assertThat(exists("/alice/Desktop/b.txt")).isFalse();
        fs.rename(alice, p("/alice/Desktop/a.txt"), "b.txt", ClientMetadata.NONE);
        assertThat(exists("/alice/Desktop/a.txt")).as("a kept answer is dropped by the rename").isFalse();
        assertThat(fs.stat(alice, p("/alice/Desktop/b.txt")).name()).as("a kept absence too").isEqualTo("b.txt");
        write(alice, "/alice/Desktop/b.txt", "longer");
        assertThat(fs.stat(alice, p("/alice/Desktop/b.txt")).size()).contains(6L);
    }

    @Test
    void statOfMissingOrForeignEntriesIs404() {
        Entry secret = write(alice, "/alice/Documents/secret.txt", "x");
        assertError(() -> fs.stat(alice, p("/alice/nope")), 404, "subject_does_not_exist");
        assertError(() -> fs.stat(alice, NodeRef.uid("5b1f3f0a-6a0e-4b53-9d43-1f2a7f5e9a10")), 404, "subject_does_not_exist");
        assertError(() -> fs.stat(bob, NodeRef.uid(secret.uuid())), 404, "subject_does_not_exist");
        assertError(() -> fs.read(bob, p("/alice/Documents/secret.txt")), 404, "subject_does_not_exist");
    }

    // readdir

    @Test
    void readdirListsInCreationOrderPageByPage() {
        for (String n : List.of("b", "a", "c", "e", "d")) {
            write(alice, "/alice/Documents/" + n, n);
        }
        assertThat(names("/alice/Documents")).containsExactly("b", "a", "c", "e", "d");
        Page first = fs.readdirPage(alice, p("/alice/Documents"), 0, 2);
        assertThat(first.entries()).extracting(Entry::name).containsExactly("b", "a");
        Page second = fs.readdirPage(alice, p("/alice/Documents"), first.next().getAsLong(), 2);
        assertThat(second.entries()).extracting(Entry::name).containsExactly("c", "e");
        Page third = fs.readdirPage(alice, p("/alice/Documents"), second.next().getAsLong(), 2);
        assertThat(third.entries()).extracting(Entry::name).containsExactly("d");
        assertThat(third.next()).isEmpty();

        assertError(() -> fs.readdir(alice, p("/alice/Documents/a")), 422, "readdir_of_non_directory");
        assertError(() -> fs.readdir(alice, p("/alice/none")), 404, "subject_does_not_exist");
        assertError(() -> fs.readdir(bob, p("/alice/Documents")), 404, "subject_does_not_exist");
    }

    // mkdir

    @Test
    void mkdirFullPathAndItsConflicts() {
        MkdirResult made = fs.mkdir(alice, MkdirRequest.of("/alice/Desktop/new"));
        assertThat(made.entry().path().value()).isEqualTo("/alice/Desktop/new");
        assertThat(made.entry().isDir()).isTrue();
        assertThat(made.requestedPath()).isEqualTo("new");
        assertThat(made.parentDirsCreated()).isEmpty();

        ApiError again = error(() -> fs.mkdir(alice, MkdirRequest.of("/alice/Desktop/new")));
        assertThat(again.body()).containsEntry("entry_name", "new").containsEntry("code", "item_with_same_name_exists");
        MkdirResult existing = fs.mkdir(alice, new MkdirRequest(Optional.empty(), "~/Desktop/new", false, false, true,
                ClientMetadata.NONE));
        assertThat(existing.existing()).isTrue();
        assertThat(existing.entry().uuid()).isEqualTo(made.entry().uuid());

        for (int i = 1; i <= 3; i++) {
            MkdirResult d = fs.mkdir(alice, new MkdirRequest(Optional.empty(), "/alice/Desktop/new", false, true, false,
                    ClientMetadata.NONE));
            assertThat(d.entry().name()).isEqualTo("new (" + i + ")");
        }

        assertError(() -> fs.mkdir(alice, MkdirRequest.of("/alice/nothere/x")), 422, "dest_does_not_exist");
        assertThat(error(() -> fs.mkdir(alice, MkdirRequest.of("/alice/nothere/x"))).body())
                .containsEntry("what_dest", "parent directory of the new directory being created");
        assertThat(error(() -> fs.mkdir(alice, MkdirRequest.of("/x"))).body()).containsExactly(
                Map.entry("message", "Cannot create directories in the root directory."), Map.entry("code", "forbidden"));
        assertError(() -> fs.mkdir(alice, new MkdirRequest(Optional.of(p("/")), "x", false, false, false,
                ClientMetadata.NONE)), 403, "forbidden");
        assertError(() -> fs.mkdir(bob, MkdirRequest.of("/alice/Desktop/x")), 403, "permission_denied");
        assertError(() -> fs.mkdir(alice, MkdirRequest.of("/alice/Desktop/..")), 400, "field_invalid");
        write(alice, "/alice/Desktop/file", "x");
        assertError(() -> fs.mkdir(alice, MkdirRequest.of("/alice/Desktop/file/sub")), 422, "dest_is_not_a_directory");
        assertError(() -> fs.mkdir(alice, MkdirRequest.of("/alice/Desktop/" + "n".repeat(768))), 400, "invalid_file_name");
    }

    @Test
    void mkdirParentFormCreatesIntermediatesAndMissingParents() {
        MkdirResult r = fs.mkdir(alice, new MkdirRequest(Optional.of(p("/alice/p/q")), "r/s", false, false, true,
                ClientMetadata.NONE));
        assertThat(r.entry().path().value()).isEqualTo("/alice/p/q/r/s");
        assertThat(r.requestedPath()).isEqualTo("r/s");
        assertThat(r.parentDirsCreated()).extracting(e -> e.path().value())
                .containsExactly("/alice/p", "/alice/p/q", "/alice/p/q/r");
        assertThat(exists("/alice/p/q/r/s")).isTrue();

        MkdirResult full = mkdirResult("/alice/deep/a/b/c");
        assertThat(full.parentDirsCreated()).hasSize(3);
        assertError(() -> fs.mkdir(alice, new MkdirRequest(Optional.of(p("/alice/zzz")), "a", false, false, false,
                ClientMetadata.NONE)), 422, "dest_does_not_exist");
    }

    private MkdirResult mkdirResult(String path) {
        return fs.mkdir(alice, new MkdirRequest(Optional.empty(), path, false, false, true, ClientMetadata.NONE));
    }

    @Test
    void mkdirOverwriteEmptiesTheDirectory() throws IOException {
        mkdirp("/alice/Desktop/d");
        write(alice, "/alice/Desktop/d/f", "content");
        long before = storedObjects();
        MkdirResult r = fs.mkdir(alice, new MkdirRequest(Optional.empty(), "/alice/Desktop/d", true, false, false,
                ClientMetadata.NONE));
        assertThat(names("/alice/Desktop/d")).isEmpty();
        assertThat(r.existing()).isFalse();
        assertThat(storedObjects()).isEqualTo(before - 1);
    }

    @Test
    void theDepthLimitIs35() {
        StringBuilder path = new StringBuilder("/alice");
        for (int i = 2; i <= 35; i++) {
            path.append("/d");
        }
        mkdirp(path.toString());
        ApiError e = error(() -> mkdirp(path + "/d"));
        assertThat(e.body()).containsEntry("limit", 35).containsEntry("would_be", 36)
                .containsEntry("code", "directory_depth_limit_exceeded");
        // Moving a two-level tree to depth 34 would put its leaf at 36.
        mkdirp("/alice/t/u");
        ApiError move = error(() -> fs.move(alice, MoveRequest.of(p("/alice/t"), p(path.toString().substring(0,
                path.length() - 2)), Optional.empty())));
        assertThat(move.body()).containsEntry("would_be", 36);
    }

    // write and read

    @Test
    void writeCreatesReadsAndOverwritesInPlace() throws IOException {
        Entry first = writeIn("/alice/Documents", "a.txt", "one", false, false);
        assertThat(read(alice, "/alice/Documents/a.txt")).isEqualTo("one");
        assertError(() -> writeIn("/alice/Documents", "a.txt", "two", false, false), 409, "item_with_same_name_exists");

        Entry second = writeIn("/alice/Documents", "a.txt", "second!", true, false);
        assertThat(second.uuid()).isEqualTo(first.uuid());
        assertThat(second.size()).contains(7L);
        assertThat(read(alice, "/alice/Documents/a.txt")).isEqualTo("second!");
        assertThat(storedObjects()).isEqualTo(1);

        Entry deduped = writeIn("/alice/Documents", "a.txt", "three", false, true);
        assertThat(deduped.name()).isEqualTo("a (1).txt");
        assertThat(writeIn("/alice/Documents", "a.txt", "four", true, true).name()).isEqualTo("a (2).txt");

        // A full file path that exists, no name, no flag: 409 naming that file.
        ApiError conflict = error(() -> fs.write(alice, new WriteRequest(p("/alice/Documents/a.txt"), Optional.empty(),
                Optional.of("upload.bin"), 1, false, false, false, Optional.empty(), Optional.empty(),
                ClientMetadata.NONE), new ByteArrayInputStream(new byte[1])));
        assertThat(conflict.body()).containsEntry("entry_name", "a.txt");
        // A directory and no name: the upload's file name.
        Entry named = fs.write(alice, new WriteRequest(p("/alice/Documents"), Optional.empty(), Optional.of("up.bin"), 2,
                false, false, false, Optional.empty(), Optional.empty(), ClientMetadata.NONE),
                new ByteArrayInputStream(new byte[2]));
        assertThat(named.path().value()).isEqualTo("/alice/Documents/up.bin");
    }

    @Test
    void writeErrors() {
        assertError(() -> write(alice, "/x.txt", "x"), 422, "cannot_write_to_root");
        assertError(() -> writeIn("/", "x.txt", "x", false, false), 422, "cannot_write_to_root");
        write(alice, "/alice/f", "x");
        assertError(() -> writeIn("/alice/f", "g", "x", false, false), 422, "dest_is_not_a_directory");
        assertError(() -> writeIn("/alice/missing", "g", "x", false, false), 422, "dest_does_not_exist");
        assertError(() -> write(alice, "/alice/missing/g", "x"), 404, "subject_does_not_exist");
        mkdirp("/alice/Desktop/d");
        assertError(() -> writeIn("/alice/Desktop", "d", "x", true, false), 422, "cannot_overwrite_a_directory");
        assertError(() -> write(alice, "/alice/Desktop", "x"), 400, "invalid_file_name"); // a directory, and no name
        assertError(() -> writeIn("/alice", "Desktop", "x", true, false), 403, "immutable");
        assertError(() -> writeIn("/alice/Desktop", "...", "x", false, false), 400, "invalid_file_name");
        assertError(() -> write(bob, "/alice/Desktop/x", "x"), 404, "subject_does_not_exist");
        assertError(() -> fs.write(alice, WriteRequest.overwrite(p("/alice/big"), 100_000_000_001L),
                InputStream.nullInputStream()), 413, "file_too_large");
        assertError(() -> fs.read(alice, p("/alice/Desktop")), 422, "cannot_read_a_directory");
    }

    @Test
    void writesAtAnOffsetReplaceARange() {
        Entry f = write(alice, "/alice/o.txt", "0123456789");
        Entry mid = fs.writeAt(alice, p("/alice/o.txt"), 3, true, bytes("abc"), ClientMetadata.NONE);
        assertThat(mid.uuid()).isEqualTo(f.uuid());
        assertThat(read(alice, "/alice/o.txt")).isEqualTo("012abc6789");
        fs.writeAt(alice, p("/alice/o.txt"), 8, true, bytes("XYZW"), ClientMetadata.NONE);
        assertThat(read(alice, "/alice/o.txt")).isEqualTo("012abc67XYZW");
        fs.writeAt(alice, p("/alice/o.txt"), 100, true, bytes("!"), ClientMetadata.NONE);
        assertThat(read(alice, "/alice/o.txt")).isEqualTo("012abc67XYZW!");
        assertThat(fs.stat(alice, p("/alice/o.txt")).size()).contains(13L);
        assertError(() -> fs.writeAt(alice, p("/alice/none"), 0, true, bytes("x"), ClientMetadata.NONE), 404,
                "offset_without_existing_file");
        assertError(() -> fs.writeAt(alice, p("/alice/o.txt"), 0, false, bytes("x"), ClientMetadata.NONE), 400,
                "offset_requires_overwrite");
    }

    @Test
    void aFailedUploadLeavesNeitherRowNorContent() throws IOException {
        write(alice, "/alice/keep.txt", "old");
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ < 70_000) {
                    return 'x';
                }
                throw new IOException("client went away");
            }
        };
        assertError(() -> fs.write(alice, WriteRequest.overwrite(p("/alice/new.txt"), 100_000), broken), 500,
                "upload_failed");
        assertThat(exists("/alice/new.txt")).isFalse();
        InputStream brokenAgain = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }
        };
        assertError(() -> fs.write(alice, WriteRequest.overwrite(p("/alice/keep.txt"), 10), brokenAgain), 500,
                "upload_failed");
        assertThat(read(alice, "/alice/keep.txt")).isEqualTo("old");
        assertThat(storedObjects()).isEqualTo(1);
    }

    static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writeWithCreateMissingParentsMakesThePathADirectory() {
        Entry e = fs.write(alice, new WriteRequest(p("/alice/new/dir"), Optional.empty(), Optional.of("f.txt"), 1,
                false, false, true, Optional.empty(), Optional.empty(), ClientMetadata.NONE),
                new ByteArrayInputStream(new byte[] {'x'}));
        assertThat(e.path().value()).isEqualTo("/alice/new/dir/f.txt");
        assertThat(fs.stat(alice, p("/alice/new/dir")).isDir()).isTrue();
    }

    @Test
    void rangedReadsAndEntityTags() throws IOException {
        write(alice, "/alice/r.txt", "0123456789");
        FileContent content = fs.read(alice, p("/alice/r.txt"));
        assertThat(content.length()).isEqualTo(10);
        assertThat(content.contentType()).isEqualTo("application/octet-stream");
        try (InputStream in = content.open(3, 4)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("3456");
        }
        String etag = content.etag().orElseThrow();
        write(alice, "/alice/r.txt", "abcdefghij");
        assertThat(fs.read(alice, p("/alice/r.txt")).etag()).isPresent().isNotEqualTo(Optional.of(etag));
        // The handle taken before the overwrite follows to the new content of the same length.
        try (InputStream in = content.open(0, 3)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abc");
        }
    }

    // delete

    @Test
    void deleteFilesAndTrees() throws IOException {
        write(alice, "/alice/Desktop/f", "x");
        fs.delete(alice, DeleteRequest.of(p("/alice/Desktop/f"), false));
        assertThat(exists("/alice/Desktop/f")).isFalse();
        assertError(() -> fs.delete(alice, DeleteRequest.of(p("/alice/Desktop/f"), false)), 404, "subject_does_not_exist");

        mkdirp("/alice/Desktop/empty");
        fs.delete(alice, DeleteRequest.of(p("/alice/Desktop/empty"), false));

        mkdirp("/alice/Desktop/tree/a/b");
        write(alice, "/alice/Desktop/tree/a/b/1", "1");
        write(alice, "/alice/Desktop/tree/a/2", "2");
        write(alice, "/alice/Desktop/tree_sibling", "keep");
        assertThat(storedObjects()).isEqualTo(3);
        assertError(() -> fs.delete(alice, DeleteRequest.of(p("/alice/Desktop/tree"), false)), 422, "not_empty");
        fs.delete(alice, DeleteRequest.of(p("/alice/Desktop/tree"), true));
        assertThat(exists("/alice/Desktop/tree")).isFalse();
        assertThat(exists("/alice/Desktop/tree/a/b/1")).isFalse();
        assertThat(read(alice, "/alice/Desktop/tree_sibling")).isEqualTo("keep");
        assertThat(storedObjects()).isEqualTo(1);

        assertError(() -> fs.delete(alice, DeleteRequest.of(p("/"), true)), 403, "forbidden");
        assertError(() -> fs.delete(alice, DeleteRequest.of(p("/alice/Trash"), true)), 403, "immutable");
        assertError(() -> fs.delete(alice, DeleteRequest.of(p("/alice"), true)), 403, "immutable");
        assertError(() -> fs.delete(bob, DeleteRequest.of(p("/alice/Desktop/tree_sibling"), true)), 404,
                "subject_does_not_exist");
    }

    @Test
    void emptyingTheTrashKeepsIt() throws IOException {
        mkdirp("/alice/Trash/old/dir");
        write(alice, "/alice/Trash/old/dir/f", "x");
        write(alice, "/alice/Trash/g", "y");
        fs.delete(alice, new DeleteRequest(p("/alice/Trash"), true, true, ClientMetadata.NONE));
        assertThat(exists("/alice/Trash")).isTrue();
        assertThat(names("/alice/Trash")).isEmpty();
        assertThat(storedObjects()).isZero();
    }

    // move and rename

    @Test
    void movingAFolderMovesItsDescendantsPaths() {
        mkdirp("/alice/Desktop/src/a/b");
        write(alice, "/alice/Desktop/src/a/b/f.txt", "deep");
        write(alice, "/alice/Desktop/src_x", "not below src");
        mkdirp("/alice/Documents/dest");
        MoveResult r = fs.move(alice, MoveRequest.of(p("/alice/Desktop/src"), p("/alice/Documents/dest"),
                Optional.of("moved")));
        assertThat(r.oldPath()).isEqualTo("/alice/Desktop/src");
        assertThat(r.moved().path().value()).isEqualTo("/alice/Documents/dest/moved");
        assertThat(read(alice, "/alice/Documents/dest/moved/a/b/f.txt")).isEqualTo("deep");
        assertThat(fs.stat(alice, p("/alice/Documents/dest/moved/a")).path().value())
                .isEqualTo("/alice/Documents/dest/moved/a");
        assertThat(exists("/alice/Desktop/src")).isFalse();
        assertThat(exists("/alice/Desktop/src/a/b/f.txt")).isFalse();
        assertThat(read(alice, "/alice/Desktop/src_x")).isEqualTo("not below src");
        assertThat(r.moved().modified()).isEqualTo(fs.stat(alice, p("/alice/Documents/dest/moved")).modified());
    }

    @Test
    void moveRules() {
        mkdirp("/alice/Desktop/a/b");
        write(alice, "/alice/Desktop/f.txt", "f");
        write(alice, "/alice/Desktop/g.txt", "g");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/a"), p("/alice/Desktop/a/b"), Optional.empty())),
                422, "cannot_move_item_into_itself");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/a"), p("/alice/Desktop/a"), Optional.empty())),
                422, "source_and_dest_are_the_same");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/a"), p("/"), Optional.empty())),
                422, "cannot_copy_to_root");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/none"), p("/alice"), Optional.empty())),
                404, "source_does_not_exist");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop"), p("/alice/Documents"), Optional.empty())),
                403, "immutable");
        assertError(() -> fs.move(bob, MoveRequest.of(p("/alice/Desktop/f.txt"), p("/bob"), Optional.empty())),
                403, "forbidden");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/f.txt"), p("/alice/nowhere"), Optional.empty())),
                422, "dest_does_not_exist");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/f.txt"), p("/alice/Desktop/g.txt"),
                Optional.of("x"))), 422, "dest_is_not_a_directory");
        ApiError conflict = error(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/f.txt"),
                p("/alice/Desktop/g.txt"), Optional.empty())));
        assertThat(conflict.body()).containsEntry("entry_name", "g.txt").containsEntry("code", "item_with_same_name_exists");
        assertError(() -> fs.move(alice, MoveRequest.of(p("/alice/Desktop/f.txt"), p("/alice/Desktop"),
                Optional.of("a/b"))), 400, "invalid_file_name");

        // Overwrite the file destination: it is deleted and the source keeps its name (upstream's quirk).
        MoveResult over = fs.move(alice, new MoveRequest(p("/alice/Desktop/f.txt"), p("/alice/Desktop/g.txt"),
                Optional.empty(), true, false, false, Optional.empty(), ClientMetadata.NONE));
        assertThat(over.overwritten()).map(Entry::name).contains("g.txt");
        assertThat(exists("/alice/Desktop/g.txt")).isFalse();
        assertThat(over.moved().name()).isEqualTo("f.txt");

        // Trash convention: new name = uid, metadata stored as a string.
        Entry f = fs.stat(alice, p("/alice/Desktop/f.txt"));
        String meta = "{\"original_name\":\"f.txt\",\"original_path\":\"/alice/Desktop/f.txt\",\"trashed_ts\":1}";
        MoveResult trashed = fs.move(alice, new MoveRequest(NodeRef.uid(f.uuid()), p("//alice/Trash"),
                Optional.of(f.uuid()), false, false, false, Optional.of(meta), ClientMetadata.NONE));
        assertThat(trashed.moved().path().value()).isEqualTo("/alice/Trash/" + f.uuid());
        assertThat(trashed.moved().metadata()).contains(meta);

        MoveResult created = fs.move(alice, new MoveRequest(NodeRef.uid(f.uuid()), p("/alice/x/y"),
                Optional.of("back.txt"), false, false, true, Optional.empty(), ClientMetadata.NONE));
        assertThat(created.parentDirsCreated()).hasSize(2);
        assertThat(created.moved().metadata()).contains(meta);

        write(alice, "/alice/x/y/other.txt", "o");
        MoveResult deduped = fs.move(alice, new MoveRequest(p("/alice/x/y/other.txt"), p("/alice/x/y"),
                Optional.of("back.txt"), false, true, false, Optional.empty(), ClientMetadata.NONE));
        assertThat(deduped.moved().name()).isEqualTo("back (1).txt");

        mkdirp("/alice/m/full/inner");
        mkdirp("/alice/n/full");
        assertError(() -> fs.move(alice, new MoveRequest(p("/alice/n/full"), p("/alice/m"), Optional.empty(), true, false,
                false, Optional.empty(), ClientMetadata.NONE)), 422, "not_empty");
    }

    @Test
    void renameChangesTheNameAndTheDescendantsPaths() {
        mkdirp("/alice/Desktop/a_b/c");
        write(alice, "/alice/Desktop/a_b/c/f", "f");
        mkdirp("/alice/Desktop/aXb/c");
        write(alice, "/alice/Desktop/other", "o");
        Entry before = fs.stat(alice, p("/alice/Desktop/a_b"));
        RenameResult r = fs.rename(alice, p("/alice/Desktop/a_b"), "renamed", ClientMetadata.NONE);
        assertThat(r.oldPath()).isEqualTo("/alice/Desktop/a_b");
        assertThat(r.entry().path().value()).isEqualTo("/alice/Desktop/renamed");
        assertThat(r.entry().uuid()).isEqualTo(before.uuid());
        assertThat(r.entry().modified()).isEqualTo(before.modified());
        assertThat(read(alice, "/alice/Desktop/renamed/c/f")).isEqualTo("f");
        assertThat(exists("/alice/Desktop/aXb/c")).isTrue();

        assertError(() -> fs.rename(alice, p("/alice/Desktop/renamed"), "other", ClientMetadata.NONE), 409,
                "item_with_same_name_exists");
        ApiError immutable = error(() -> fs.rename(alice, p("/alice/Desktop"), "Desk", ClientMetadata.NONE));
        assertThat(immutable.status()).isEqualTo(400);
        assertThat(immutable.getMessage()).isEqualTo("Immutable: cannot rename.");
        assertError(() -> fs.rename(alice, p("/alice/Desktop/renamed"), "..", ClientMetadata.NONE), 400,
                "invalid_file_name");
        assertError(() -> fs.rename(alice, p("/alice/Desktop/none"), "x", ClientMetadata.NONE), 404,
                "subject_does_not_exist");
    }

    // copy

    @Test
    void copyDeepTrees() throws IOException {
        mkdirp("/alice/Documents/tree/a/b/empty");
        write(alice, "/alice/Documents/tree/top.txt", "top");
        write(alice, "/alice/Documents/tree/a/mid.txt", "mid");
        write(alice, "/alice/Documents/tree/a/b/deep.txt", "deep");
        CopyResult r = fs.copy(alice, CopyRequest.of(p("/alice/Documents/tree"), p("/alice/Desktop")));
        // Before any read, which records a later access time.
        Entry copiedFile = fs.stat(alice, p("/alice/Desktop/tree/a/b/deep.txt"));
        assertThat(copiedFile.accessed()).contains(copiedFile.created());
        assertThat(r.copied().path().value()).isEqualTo("/alice/Desktop/tree");
        assertThat(r.copied().uuid()).isNotEqualTo(fs.stat(alice, p("/alice/Documents/tree")).uuid());
        assertThat(read(alice, "/alice/Desktop/tree/top.txt")).isEqualTo("top");
        assertThat(read(alice, "/alice/Desktop/tree/a/mid.txt")).isEqualTo("mid");
        assertThat(read(alice, "/alice/Desktop/tree/a/b/deep.txt")).isEqualTo("deep");
        assertThat(fs.stat(alice, p("/alice/Desktop/tree/a/b/empty")).isDir()).isTrue();
        assertThat(storedObjects()).isEqualTo(6);

        // Changing the copy leaves the original alone.
        write(alice, "/alice/Desktop/tree/top.txt", "changed");
        assertThat(read(alice, "/alice/Documents/tree/top.txt")).isEqualTo("top");

        assertError(() -> fs.copy(alice, CopyRequest.of(p("/alice/Documents/tree"), p("/alice/Desktop"))), 409,
                "item_with_same_name_exists");
        CopyResult deduped = fs.copy(alice, new CopyRequest(p("/alice/Documents/tree/top.txt"), p("/alice/Documents/tree"),
                Optional.empty(), false, true, ClientMetadata.NONE));
        assertThat(deduped.copied().name()).isEqualTo("top (1).txt");
        CopyResult overwritten = fs.copy(alice, new CopyRequest(p("/alice/Documents/tree"), p("/alice/Desktop"),
                Optional.empty(), true, false, ClientMetadata.NONE));
        assertThat(overwritten.overwritten()).isPresent();
        assertThat(read(alice, "/alice/Desktop/tree/top.txt")).isEqualTo("top");

        assertError(() -> fs.copy(alice, new CopyRequest(p("/alice/Documents/tree"), p("/alice/Desktop"),
                Optional.empty(), true, true, ClientMetadata.NONE)), 400, "overwrite_and_dedupe_exclusive");
        assertError(() -> fs.copy(alice, CopyRequest.of(p("/alice/Documents/tree"), p("/alice/Documents/tree/a"))), 422,
                "cannot_copy_item_into_itself");
        assertError(() -> fs.copy(alice, CopyRequest.of(p("/alice/Documents/tree"), p("/alice/Documents/tree"))), 422,
                "source_and_dest_are_the_same");
        assertError(() -> fs.copy(alice, CopyRequest.of(p("/alice/Documents/tree"), p("/"))), 422, "cannot_copy_to_root");
        assertError(() -> fs.copy(alice, CopyRequest.of(p("/alice/none"), p("/alice"))), 404, "source_does_not_exist");
        assertError(() -> fs.copy(bob, CopyRequest.of(p("/alice/Documents/tree"), p("/bob"))), 403, "forbidden");

        // A missing destination chain is always created.
        CopyResult made = fs.copy(alice, CopyRequest.of(p("/alice/Documents/tree/top.txt"), p("/alice/new/place")));
        assertThat(made.copied().path().value()).isEqualTo("/alice/new/place/top.txt");
    }

    // shortcuts, symlinks, view preferences, thumbnails, sizes

    @Test
    void shortcutsAndSymlinks() {
        Entry target = write(alice, "/alice/Documents/t.txt", "t");
        Entry sc = fs.shortcut(alice, p("/alice/Desktop"), "Shortcut to t.txt", NodeRef.uid(target.uuid()),
                Optional.of(false), false, ClientMetadata.NONE);
        assertThat(sc.isShortcut()).isTrue();
        assertThat(sc.shortcutTo()).contains(target.uuid());
        assertThat(SafeEntry.of(sc, alice, true)).containsEntry("is_shortcut", 1).containsEntry("shortcut_to", target.uuid());
        assertThat(fs.shortcut(alice, p("/alice/Desktop"), "Shortcut to t.txt", NodeRef.uid(target.uuid()),
                Optional.empty(), true, ClientMetadata.NONE).name()).isEqualTo("Shortcut to t (1).txt");
        assertError(() -> fs.shortcut(alice, p("/alice/Desktop"), "d", p("/alice/Documents/t.txt"), Optional.of(true),
                false, ClientMetadata.NONE), 422, "shortcut_target_is_not_a_directory");
        assertError(() -> fs.shortcut(alice, p("/alice/Desktop"), "d", p("/alice/Documents"), Optional.of(false),
                false, ClientMetadata.NONE), 422, "shortcut_target_is_a_directory");
        assertError(() -> fs.shortcut(alice, p("/alice/Desktop"), "d", p("/alice/none"), Optional.empty(),
                false, ClientMetadata.NONE), 404, "shortcut_to_does_not_exist");

        Entry link = fs.symlink(alice, p("/alice/Desktop"), "link", "/alice/Documents/t.txt", ClientMetadata.NONE);
        assertThat(link.isSymlink()).isTrue();
        assertThat(link.symlinkPath()).contains("/alice/Documents/t.txt");
        assertError(() -> fs.symlink(alice, p("/alice/Desktop"), "link", "/x", ClientMetadata.NONE), 409,
                "item_with_same_name_exists");
        assertError(() -> fs.symlink(alice, p("/"), "link", "/x", ClientMetadata.NONE), 422, "cannot_write_to_root");

        // Reads and listings follow symlinks (absolute or relative to the link's folder); stat does not.
        assertThat(read(alice, "/alice/Desktop/link")).isEqualTo("t");
        fs.symlink(alice, p("/alice/Desktop"), "docs", "../Documents", ClientMetadata.NONE);
        assertThat(names("/alice/Desktop/docs")).containsExactly("t.txt");
        assertThat(fs.stat(alice, p("/alice/Desktop/docs")).isSymlink()).isTrue();
        fs.symlink(alice, p("/alice/Desktop"), "dangling", "/alice/none", ClientMetadata.NONE);
        assertError(() -> fs.read(alice, p("/alice/Desktop/dangling")), 404, "subject_does_not_exist");
        fs.symlink(alice, p("/alice/Desktop"), "loop", "/alice/Desktop/loop", ClientMetadata.NONE);
        assertError(() -> fs.read(alice, p("/alice/Desktop/loop")), 404, "subject_does_not_exist");
    }

    @Test
    void viewPreferencesThumbnailsAndSizes() {
        Entry d = mkdirp("/alice/Desktop/v");
        assertThat(fs.setLayout(alice, p("/alice/Desktop/v"), "details").layout()).contains("details");
        Entry sorted = fs.setSortBy(alice, p("/alice/Desktop/v"), "size", Optional.of("desc"));
        assertThat(sorted.sortBy()).contains("size");
        assertThat(sorted.sortOrder()).contains("desc");
        assertThat(sorted.layout()).contains("details");
        assertError(() -> fs.setLayout(bob, NodeRef.uid(d.uuid()), "list"), 403, "forbidden");

        write(alice, "/alice/Desktop/v/a", "12345");
        mkdirp("/alice/Desktop/v/w");
        write(alice, "/alice/Desktop/v/w/b", "123");
        assertThat(fs.sizeOf(fs.stat(alice, p("/alice/Desktop/v")))).contains(8L);
        assertThat(fs.sizeOf(fs.stat(alice, p("/alice/Desktop/v/a")))).contains(5L);
        assertThat(fs.isEmpty(fs.stat(alice, p("/alice/Desktop/v")))).isFalse();
        assertThat(fs.isEmpty(fs.stat(alice, p("/alice/Desktop/v/w")))).isFalse();
        assertThat(fs.isEmpty(fs.stat(alice, p("/alice/Pictures")))).isTrue();

        events.clear();
        Entry thumbed = fs.setThumbnail(alice, p("/alice/Desktop/v/a"), Optional.of("data:image/png;base64,AA=="));
        assertThat(thumbed.thumbnail()).contains("data:image/png;base64,AA==");
        assertThat(keys()).contains("fs.write.file", "outer.gui.item.updated");
        assertThat(fs.readdir(alice, p("/alice/Desktop/v")).filter(e -> e.name().equals("a")).findFirst().orElseThrow()
                .thumbnail()).contains("data:image/png;base64,AA==");
    }

    // quota

    @Test
    void theQuotaStopsWritesAndCopies() throws IOException {
        boot(config(dataDir).with("services.filesystem.storage_capacity", 10));
        assertThat(fs.df(alice).capacity()).isEqualTo(10);
        write(alice, "/alice/a", "123456");
        assertThat(fs.df(alice).used()).isEqualTo(6);
        assertThat(error(() -> write(alice, "/alice/b", "12345")).body()).containsExactly(
                Map.entry("message", "Storage capacity limit reached."), Map.entry("code", "storage_limit_reached"));
        // A declared size over the allowance is refused before the first byte is read, and nothing is announced.
        events.clear();
        InputStream untouched = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read before the quota was checked");
            }
        };
        assertError(() -> fs.write(alice, WriteRequest.create(p("/alice"), "big", 5), untouched), 400,
                "storage_limit_reached");
        assertThat(keys()).doesNotContain("outer.gui.item.pending", "outer.gui.upload.progress");
        // A declared size that lies is caught while streaming.
        assertError(() -> fs.write(alice, WriteRequest.overwrite(p("/alice/c"), 1),
                new ByteArrayInputStream(new byte[8])), 400, "storage_limit_reached");
        assertThat(exists("/alice/c")).isFalse();
        // Overwrites are credited with the replaced size.
        write(alice, "/alice/a", "1234567890");
        assertError(() -> fs.copy(alice, CopyRequest.of(p("/alice/a"), p("/alice/Desktop"))), 400, "storage_limit_reached");
        assertThat(storedObjects()).isEqualTo(1);
        assertThat(fs.df(bob).used()).isZero();
        // Homes belong to their users.
        assertThatThrownBy(() -> fs.createHome(new FsUser(99, "alice"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void dfWithoutALimitReportsTheDisk() {
        write(alice, "/alice/a", "1234");
        DiskUsage df = fs.df(alice);
        assertThat(df.used()).isEqualTo(4);
        assertThat(df.capacity()).isPositive();
        assertThat(df.hostFree()).isPresent();
    }

    // events

    @Test
    void eventsCarryTheSpecifiedPayloads() {
        events.clear();
        ClientMetadata client = new ClientMetadata(Optional.of("sock-2"), Optional.of("op-1"), Optional.of("7"));
        Entry file = Context.create().withSocketId("sock-1").call(() -> fs.write(alice, new WriteRequest(
                p("/alice/Desktop"), Optional.of("e.txt"), Optional.empty(), 2, false, false, false,
                Optional.of("data:image/png;base64,AA=="), Optional.empty(), client), new ByteArrayInputStream(new byte[2])));

        // Announced before the content is stored, then its progress, then the new entry after the commit.
        assertThat(keys()).containsExactly("fs.pending.file", "outer.gui.item.pending", "outer.gui.cache.updated",
                "outer.gui.upload.progress", "fs.create.file", "outer.gui.item.added", "outer.gui.cache.updated");
        Map<String, Object> pendingItem = map(map(data("outer.gui.item.pending")).get("response"));
        assertThat(pendingItem).containsEntry("uid", file.uuid()).containsEntry("path", "/alice/Desktop/e.txt")
                .containsEntry("size", 2L).containsEntry("operation_id", "op-1").containsEntry("user_id", 1L)
                .doesNotContainKeys("bucket", "bucket_region", "shortcut_to", "blob_key");
        Map<String, Object> progress = map(map(data("outer.gui.upload.progress")).get("response"));
        assertThat(progress).containsEntry("item_uid", file.uuid()).containsEntry("item_path", "/alice/Desktop/e.txt")
                .containsEntry("total", 2L).containsEntry("loaded", 2L).containsEntry("loaded_diff", 2L)
                .containsEntry("operation_id", "op-1").containsEntry("original_client_socket_id", "sock-1")
                .containsEntry("from_new_service", true);
        FsNodeEvent created = (FsNodeEvent) data("fs.create.file");
        assertThat(created.node()).isEqualTo(file);
        Map<?, ?> added = (Map<?, ?>) data("outer.gui.item.added");
        assertThat(added.get("user_id_list")).isEqualTo(List.of(1L));
        Map<String, Object> response = map(added.get("response"));
        assertThat(response).containsEntry("uid", file.uuid()).containsEntry("path", "/alice/Desktop/e.txt")
                .containsEntry("thumbnail", "data:image/png;base64,AA==").containsEntry("from_new_service", true)
                .containsEntry("original_client_socket_id", "sock-1").containsEntry("socket_id", "sock-2")
                .containsEntry("operation_id", "op-1").containsEntry("item_upload_id", "7").containsEntry("user_id", 1L)
                .containsEntry("is_dir", false).doesNotContainKey("bucket");
        assertThat(kernel.config().tree()).isNotNull();
        assertThat(dev.hearth.kernel.Json.mapper().writeValueAsString(added)).contains("\"user_id_list\":[1]");

        events.clear();
        write(alice, "/alice/Desktop/e.txt", "new");
        assertThat(keys()).containsExactly("outer.gui.upload.progress", "fs.write.file", "outer.gui.item.updated",
                "outer.gui.cache.updated");

        events.clear();
        fs.mkdir(alice, new MkdirRequest(Optional.empty(), "/alice/Desktop/x/y", false, false, true, ClientMetadata.NONE));
        assertThat(keys()).containsExactly("fs.create.directory", "outer.gui.item.added", "outer.gui.cache.updated",
                "fs.create.directory", "outer.gui.item.added", "outer.gui.cache.updated");

        events.clear();
        fs.move(alice, MoveRequest.of(p("/alice/Desktop/e.txt"), p("/alice/Desktop/x"), Optional.of("f.txt")));
        assertThat(keys()).containsExactly("fs.move.file", "fs.rename", "outer.gui.item.moved", "outer.gui.cache.updated");
        Map<String, Object> moved = map(map(data("outer.gui.item.moved")).get("response"));
        assertThat(moved).containsEntry("old_path", "/alice/Desktop/e.txt").containsEntry("path", "/alice/Desktop/x/f.txt");

        events.clear();
        Context.create().withSocketId("sock-9").run(() -> fs.rename(alice, p("/alice/Desktop/x/f.txt"), "g.txt",
                ClientMetadata.NONE));
        assertThat(keys()).containsExactly("fs.rename", "outer.gui.item.renamed");
        Map<String, Object> renamed = map(map(data("outer.gui.item.renamed")).get("response"));
        assertThat(renamed).containsEntry("uid", file.uuid()).containsEntry("name", "g.txt").containsEntry("is_dir", 0)
                .containsEntry("path", "/alice/Desktop/x/g.txt").containsEntry("old_path", "/alice/Desktop/x/f.txt")
                .containsEntry("type", "text/plain; charset=utf-8").containsEntry("associated_app", Map.of())
                .containsEntry("original_client_socket_id", "sock-9");

        events.clear();
        fs.copy(alice, CopyRequest.of(p("/alice/Desktop/x"), p("/alice/Documents")));
        assertThat(keys()).filteredOn(k -> k.equals("outer.gui.item.added")).hasSize(3);
        assertThat(keys()).filteredOn(k -> k.equals("outer.gui.item.pending")).hasSize(3);

        events.clear();
        fs.delete(alice, DeleteRequest.of(NodeRef.parse("path", "~/Desktop/x", "alice"), true));
        assertThat(keys()).containsExactly("fs.remove.node", "outer.gui.item.removed");
        assertThat(((Map<?, ?>) data("outer.gui.item.removed")).get("response"))
                .isEqualTo(Map.of("path", "~/Desktop/x", "descendants_only", false));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    List<String> keys() {
        return events.stream().map(Map.Entry::getKey).toList();
    }

    Object data(String key) {
        return events.stream().filter(e -> e.getKey().equals(key)).findFirst().orElseThrow().getValue();
    }

    // concurrency

    @Test
    void concurrentDedupedWritesOfOneNameGetDistinctNames() throws Exception {
        int n = 12;
        List<Future<Entry>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                results.add(pool.submit(() -> writeIn("/alice/Desktop", "same.txt", "v" + k, false, true)));
            }
        }
        List<String> names = new ArrayList<>();
        for (Future<Entry> f : results) {
            names.add(f.get().name());
        }
        assertThat(names).doesNotHaveDuplicates().hasSize(n).contains("same.txt", "same (1).txt");
        assertThat(names("/alice/Desktop")).hasSize(n);
    }

    @Test
    void concurrentMkdirPOfOnePathAgree() throws Exception {
        List<Future<Entry>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> mkdirp("/alice/Desktop/p/q/r")));
            }
        }
        String uuid = results.getFirst().get().uuid();
        for (Future<Entry> f : results) {
            assertThat(f.get().uuid()).isEqualTo(uuid);
        }
    }

    @Test
    void writesIntoAFolderBeingRenamedKeepPathsRight() throws Exception {
        mkdirp("/alice/Desktop/box/inner");
        innerUid();
        boxUid();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int k = i;
                tasks.add(pool.submit(() -> fs.write(alice, WriteRequest.create(NodeRef.uid(innerUid()), "f" + k, 1),
                        new ByteArrayInputStream(new byte[1]))));
                if (i % 4 == 0) {
                    tasks.add(pool.submit(() -> {
                        Entry box = fs.stat(alice, NodeRef.uid(boxUid()));
                        return fs.rename(alice, NodeRef.uid(box.uuid()), box.name().equals("box") ? "box2" : "box",
                                ClientMetadata.NONE);
                    }));
                }
            }
            for (Future<?> t : tasks) {
                t.get();
            }
        }
        Entry box = fs.stat(alice, NodeRef.uid(boxUid()));
        List<Entry> files = fs.readdir(alice, NodeRef.uid(innerUid())).toList();
        assertThat(files).hasSize(20);
        for (Entry f : files) {
            assertThat(f.path().value()).isEqualTo(box.path().value() + "/inner/" + f.name());
            assertThat(fs.stat(alice, p(f.path().value())).uuid()).isEqualTo(f.uuid());
        }
    }

    private volatile String innerUid;
    private volatile String boxUid;

    private String innerUid() {
        if (innerUid == null) {
            innerUid = fs.stat(alice, p("/alice/Desktop/box/inner")).uuid();
        }
        return innerUid;
    }

    private String boxUid() {
        if (boxUid == null) {
            boxUid = fs.stat(alice, p("/alice/Desktop/box")).uuid();
        }
        return boxUid;
    }
}
