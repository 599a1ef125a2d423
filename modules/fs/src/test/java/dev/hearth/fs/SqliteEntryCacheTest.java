package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer is kept while SQLite says nothing changed, and read again after any change: this connection's (committed,
 * pending or rolled back) at once, another connection's within {@link SqliteEntryCache#RECHECK_MILLIS}; and answers
 * read on one connection are not given on another.
 */
class SqliteEntryCacheTest {

    static final String SQL = "SELECT entry";

    @TempDir
    Path dir;

    String url;
    SqliteEntryCache cache;
    /** The cache's clock, in nanoseconds: moved by the tests. */
    final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    /** How many times the database was asked; each answer names its read. */
    final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void open() throws Exception {
        url = "jdbc:sqlite:" + dir.resolve("cache.sqlite");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE other (x INTEGER)");
        }
        cache = new SqliteEntryCache(new KeptStatements(), now::get);
    }

    @Test
    void anAnswerIsKeptUntilThisConnectionChangesAnything() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            Optional<Entry> first = lookup(c, "/u/a");
            assertThat(lookup(c, "/u/a")).isSameAs(first);
            assertThat(reads).hasValue(1);
            assertThat(lookup(c, "/u/b")).as("another lookup is its own").isNotEqualTo(first);
            assertThat(reads).hasValue(2);

            // Any row of any table: the cache does not know which entries a statement touched.
            execute(c, "INSERT INTO other VALUES (1)");
            assertThat(lookup(c, "/u/a")).isNotSameAs(first);
            assertThat(lookup(c, "/u/b")).isNotEqualTo(first);
            assertThat(reads).hasValue(4);
            lookup(c, "/u/a");
            assertThat(reads).as("kept again after the change").hasValue(4);
        }
    }

    @Test
    void aCommitOnAnotherConnectionIsSeenWithinTheRecheckInterval() throws Exception {
        long interval = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SqliteEntryCache.RECHECK_MILLIS);
        try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            lookup(c, "/u/a");
            now.addAndGet(interval);
            lookup(c, "/u/a");
            assertThat(reads).as("confirmed unchanged after the interval: still kept").hasValue(1);
            execute(other, "INSERT INTO other VALUES (1)"); // another process: the CLI, sqlite3, a restore
            now.addAndGet(interval - 1);
            lookup(c, "/u/a");
            assertThat(reads).as("not asked again within the interval").hasValue(1);
            now.addAndGet(1);
            lookup(c, "/u/a");
            assertThat(reads).hasValue(2);
            lookup(c, "/u/a");
            assertThat(reads).hasValue(2);
        }
    }

    @Test
    void aTransactionReadsTheDatabaseAndNothingItReadsIsKept() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            Optional<Entry> before = lookup(c, "/u/a");
            c.setAutoCommit(false);
            Optional<Entry> inside = lookup(c, "/u/a");
            assertThat(inside).as("a transaction decides on what is there now").isNotSameAs(before);
            execute(c, "INSERT INTO other VALUES (1)");
            Optional<Entry> pending = lookup(c, "/u/a");
            assertThat(lookup(c, "/u/a")).as("what the transaction sees is not kept").isNotSameAs(pending);
            c.rollback();
            c.setAutoCommit(true);
            // Either the answer from before the transaction (its change was rolled back) or a new read; never what the
            // transaction saw.
            Optional<Entry> after = lookup(c, "/u/a");
            assertThat(after).isNotSameAs(pending);
            assertThat(lookup(c, "/u/a")).isSameAs(after);
        }
    }

    @Test
    void anotherConnectionStartsAfresh() throws Exception {
        try (Connection first = DriverManager.getConnection(url)) {
            lookup(first, "/u/a");
        }
        // A connection the pool replaced counts its changes from zero: its counts say nothing about the first's.
        try (Connection second = DriverManager.getConnection(url)) {
            lookup(second, "/u/a");
            lookup(second, "/u/a");
        }
        assertThat(reads).hasValue(2);
    }

    @Test
    void absenceIsKeptAndLargeEntriesAreNot() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            String[] args = {"/u/none"};
            cache.get(c, SQL, args, () -> {
                reads.incrementAndGet();
                return Optional.empty();
            });
            assertThat(cache.get(c, SQL, args, () -> Optional.of(entry("/u/none", 0)))).isEmpty();

            String[] big = {"/u/big"};
            String thumbnail = "data:image/png;base64," + "A".repeat(SqliteEntryCache.MAX_KEPT_CHARS);
            SqliteEntryCache.Lookup withThumbnail = () -> {
                reads.incrementAndGet();
                return Optional.of(withThumbnail(entry("/u/big", 1), thumbnail));
            };
            cache.get(c, SQL, big, withThumbnail);
            cache.get(c, SQL, big, withThumbnail);
            assertThat(reads).hasValue(3);
        }
    }

    private Optional<Entry> lookup(Connection c, String path) throws Exception {
        return cache.get(c, SQL, new String[] {path}, () -> Optional.of(entry(path, reads.incrementAndGet())));
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** An entry at {@code path} whose id tells which read produced it. */
    static Entry entry(String path, long read) {
        FsPath p = new FsPath(path);
        return new Entry(read, "uuid-" + read, Optional.of("parent"), 1, p.name(), p, false, false, false,
                Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(0L), 0, 0, Optional.empty(), Optional.empty());
    }

    private static Entry withThumbnail(Entry e, String thumbnail) {
        return new Entry(e.id(), e.uuid(), e.parentUid(), e.userId(), e.name(), e.path(), e.isDir(), e.immutable(),
                e.isShortcut(), e.shortcutTo(), e.isSymlink(), e.symlinkPath(), e.isPublic(), e.publicToken(),
                e.fileRequestToken(), e.associatedAppId(), e.metadata(), e.layout(), e.sortBy(), e.sortOrder(),
                Optional.of(thumbnail), e.size(), e.created(), e.modified(), e.accessed(), e.blobKey());
    }
}
