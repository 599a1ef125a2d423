package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.CoreModule;
import dev.hearth.core.Database;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;

/**
 * Concurrency hammers on the filesystem's domain API, run on every database engine by the subclasses: many virtual
 * threads race on the same names and folders; afterwards the tables must still describe one tree (every parent
 * exists and is a folder, one entry per path, every path is its parent's path plus the name), sizes must match the
 * stored content, and every content object must belong to exactly the entries that name it.
 */
abstract class FsHammerContract {

    static final int THREADS = 32;

    @TempDir
    Path dataDir;

    Kernel kernel;
    Filesystem fs;
    final FsUser alice = new FsUser(1, "alice");

    abstract Config config(Path dataDir);

    @BeforeEach
    void boot() {
        kernel = Kernel.builder(config(dataDir)).externalModules(false).module(new CoreModule())
                .module(new FilesystemModule()).build();
        kernel.boot();
        fs = kernel.services().get(Filesystem.class);
        fs.createHome(alice);
    }

    @AfterEach
    void shutdown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    @Test
    void manyWritersOverwritingOnePathLeaveOneFileWithOneOfTheirContents() throws Exception {
        Set<String> contents = new HashSet<>();
        for (int i = 0; i < THREADS; i++) {
            contents.add("writer " + i + " " + "x".repeat(i * 37));
        }
        List<String> all = List.copyOf(contents);
        hammer(THREADS, i -> write("/alice/Documents/same.txt", all.get(i)));

        assertThat(names("/alice/Documents")).containsExactly("same.txt");
        assertThat(all).contains(read("/alice/Documents/same.txt"));
        assertInvariants();
    }

    @Test
    void manyWritersDedupingOneNameEachGetAFileOfTheirOwn() throws Exception {
        hammer(THREADS, i -> {
            byte[] bytes = ("content " + i).getBytes(StandardCharsets.UTF_8);
            fs.write(alice, new WriteRequest(p("/alice/Documents"), Optional.of("same.txt"), Optional.empty(),
                    bytes.length, false, true, false, Optional.empty(), Optional.empty(), ClientMetadata.NONE),
                    new ByteArrayInputStream(bytes));
        });

        List<String> names = names("/alice/Documents");
        assertThat(names).hasSize(THREADS).doesNotHaveDuplicates().contains("same.txt", "same (1).txt");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            seen.add(read("/alice/Documents/" + name));
        }
        assertThat(seen).hasSize(THREADS);
        assertInvariants();
    }

    @Test
    void writingIntoAFolderWhileItIsRenamedKeepsEveryPathTrue() throws Exception {
        Entry dir = mkdirp("/alice/Documents/moving0");
        hammer(THREADS, i -> {
            if (i == 0) {
                for (int r = 1; r <= 30; r++) {
                    fs.rename(alice, NodeRef.uid(dir.uuid()), "moving" + r, ClientMetadata.NONE);
                }
                return;
            }
            for (int k = 0; k < 5; k++) {
                byte[] bytes = ("file " + i + "." + k).getBytes(StandardCharsets.UTF_8);
                fs.write(alice, WriteRequest.create(NodeRef.uid(dir.uuid()), "f" + i + "-" + k, bytes.length),
                        new ByteArrayInputStream(bytes));
            }
        });

        assertThat(names("/alice/Documents/moving30")).hasSize((THREADS - 1) * 5);
        assertThat(read("/alice/Documents/moving30/f3-4")).isEqualTo("file 3.4");
        assertInvariants();
    }

    @Test
    void deletingAFolderWhileItIsCopiedLeavesOnlyWholeCopies() throws Exception {
        mkdirp("/alice/Documents/src/inner");
        for (int k = 0; k < 10; k++) {
            write("/alice/Documents/src/f" + k, "content " + k);
            write("/alice/Documents/src/inner/g" + k, "inner " + k);
        }
        mkdirp("/alice/Desktop/copies");
        hammer(12, i -> {
            if (i == 6) {
                fs.delete(alice, DeleteRequest.of(p("/alice/Documents/src"), true));
            } else {
                fs.copy(alice, new CopyRequest(p("/alice/Documents/src"), p("/alice/Desktop/copies"),
                        Optional.of("copy" + i), false, false, ClientMetadata.NONE));
            }
        }, "subject_does_not_exist", "source_does_not_exist", "dest_does_not_exist");

        assertThat(exists("/alice/Documents/src")).isFalse();
        for (String copy : names("/alice/Desktop/copies")) {
            assertThat(names("/alice/Desktop/copies/" + copy)).as(copy).hasSize(11);
            assertThat(names("/alice/Desktop/copies/" + copy + "/inner")).as(copy).hasSize(10);
            assertThat(read("/alice/Desktop/copies/" + copy + "/inner/g7")).isEqualTo("inner 7");
        }
        assertInvariants();
    }

    @Test
    void overlappingMkdirWithMissingParentsCreatesEachFolderOnce() throws Exception {
        hammer(THREADS, i -> {
            fs.mkdir(alice, new MkdirRequest(Optional.empty(), "/alice/Documents/a/b/c" + (i % 4) + "/d/e" + (i % 3),
                    false, false, true, ClientMetadata.NONE));
            fs.mkdir(alice, new MkdirRequest(Optional.of(p("/alice/Documents")), "a/b/c" + (i % 2) + "/x",
                    false, false, true, ClientMetadata.NONE));
        });

        assertThat(names("/alice/Documents")).containsExactly("a");
        assertThat(names("/alice/Documents/a")).containsExactly("b");
        assertThat(names("/alice/Documents/a/b")).containsExactlyInAnyOrder("c0", "c1", "c2", "c3");
        assertThat(names("/alice/Documents/a/b/c1")).containsExactlyInAnyOrder("d", "x");
        assertThat(names("/alice/Documents/a/b/c1/d")).containsExactlyInAnyOrder("e0", "e1", "e2");
        assertInvariants();
    }

    @Test
    void movingTwoFoldersIntoEachOtherAtOnceNeverMakesACycle() throws Exception {
        for (int round = 0; round < 15; round++) {
            String a = "/alice/Documents/A" + round;
            String b = "/alice/Documents/B" + round;
            mkdirp(a + "/deep");
            mkdirp(b + "/deep");
            write(a + "/deep/file", "a");
            List<Throwable> failures = hammer(2, i -> {
                if (i == 0) {
                    fs.move(alice, MoveRequest.of(p(a), p(b), Optional.empty()));
                } else {
                    fs.move(alice, MoveRequest.of(p(b), p(a), Optional.empty()));
                }
            }, "subject_does_not_exist", "source_does_not_exist", "dest_does_not_exist", "cannot_move_to_descendant",
                    "cannot_move_item_into_itself", "dest_is_not_a_directory", "source_and_dest_are_the_same");
            assertThat(failures).as("round %d: exactly one of the two moves wins", round).hasSize(1);
        }
        assertInvariants();
    }

    // ---------------------------------------------------------------------------------------------------------------

    interface Work {
        void run(int i) throws Exception;
    }

    /**
     * Runs {@code n} tasks on virtual threads released at once; an {@link ApiError} whose code is one of
     * {@code allowed} is an acceptable loss of a race and is returned; anything else fails the test.
     */
    List<Throwable> hammer(int n, Work work, String... allowed) throws Exception {
        Set<String> ok = Set.of(allowed);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> lost = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        work.run(index);
                    } catch (ApiError e) {
                        if (!ok.contains(e.code())) {
                            throw new AssertionError("task " + index + ": " + e.status() + " " + e.code() + " "
                                    + e.getMessage(), e);
                        }
                        lost.add(e);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        return List.copyOf(lost);
    }

    /** The tables describe one tree, sizes match content, and content objects match the rows that name them. */
    void assertInvariants() throws Exception {
        Database db = kernel.services().get(Database.class);
        Map<String, Long> sizes = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(strings(s, "SELECT e.path FROM fsentries e WHERE e.parent_uid IS NOT NULL AND NOT EXISTS"
                    + " (SELECT 1 FROM fsentries p WHERE p.uuid = e.parent_uid)")).as("entries whose parent is gone").isEmpty();
            assertThat(strings(s, "SELECT e.path FROM fsentries e JOIN fsentries p ON p.uuid = e.parent_uid"
                    + " WHERE p.is_dir = 0")).as("entries inside a file").isEmpty();
            assertThat(strings(s, "SELECT path FROM fsentries GROUP BY path HAVING COUNT(*) > 1"))
                    .as("paths with several entries").isEmpty();
            assertThat(strings(s, "SELECT e.path FROM fsentries e JOIN fsentries p ON p.uuid = e.parent_uid"
                    + " WHERE e.path <> p.path || '/' || e.name")).as("paths that are not parent + '/' + name").isEmpty();
            assertThat(strings(s, "SELECT path FROM fsentries WHERE parent_uid IS NULL AND path <> '/' || name"))
                    .as("home paths").isEmpty();
            assertThat(strings(s, "SELECT path FROM fsentries WHERE is_dir = 1 AND (blob_key IS NOT NULL OR size IS NOT NULL"
                    + " AND size <> 0)")).as("folders with content").isEmpty();

            try (ResultSet r = s.executeQuery("SELECT blob_key, size FROM fsentries WHERE is_dir = 0")) {
                while (r.next()) {
                    String key = r.getString(1);
                    assertThat(key).as("a file without content").isNotNull();
                    assertThat(sizes.put(key, r.getLong(2))).as("content named by two entries: %s", key).isNull();
                }
            }
            for (var e : sizes.entrySet()) {
                assertThat(fs.blobStore().size(e.getKey())).as("content of %s", e.getKey()).hasValue(e.getValue());
            }
            Set<String> objects = new HashSet<>();
            try (var files = Files.list(dataDir.resolve("storage"))) {
                files.map(f -> f.getFileName().toString()).forEach(objects::add);
            }
            assertThat(objects).as("content objects are exactly those the entries name")
                    .containsExactlyInAnyOrderElementsOf(sizes.keySet());

            try (ResultSet r = s.executeQuery("SELECT COALESCE(SUM(size), 0) FROM fsentries WHERE user_id = 1")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(sizes.values().stream().mapToLong(Long::longValue).sum());
            }
        }
        // After the connection is back: SQLite has only one.
        assertThat(fs.df(alice).used()).as("quota usage").isEqualTo(sizes.values().stream().mapToLong(Long::longValue).sum());
    }

    private static List<String> strings(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    static NodeRef p(String path) {
        return NodeRef.path(path);
    }

    Entry write(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return fs.write(alice, WriteRequest.overwrite(p(path), bytes.length), new ByteArrayInputStream(bytes));
    }

    String read(String path) {
        FileContent content = fs.read(alice, p(path));
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
            return false;
        }
    }
}
