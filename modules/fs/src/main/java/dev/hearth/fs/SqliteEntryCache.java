package dev.hearth.fs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.sqlite.SQLiteConnection;

/**
 * The answers of single-entry lookups, kept while SQLite says that the database has not changed since they were read;
 * the first change of any kind forgets them all. Reading an entry was a fifth of a {@code /stat}'s CPU.
 *
 * <p>What counts as a change:
 * <ul>
 *   <li>any row this server inserts, updates or deletes, in any table, committed or not, at once: {@code total_changes()}
 *       of the connection counts them, and with SQLite the pool has one connection, which every request of this server
 *       uses; so read-your-writes holds for every later request (filesystem.md 6.2);
 *   <li>a commit by another process on the same file (the {@code hearth} CLI, {@code sqlite3}, a restore) within
 *       {@link #RECHECK_MILLIS}: {@code PRAGMA data_version} says so, and asking it takes SQLite's file locks, which cost
 *       as much as the lookup itself, so it is asked at most that often. (One server per SQLite file: a fleet shares
 *       PostgreSQL, where nothing is kept.)
 * </ul>
 * Both counts are per physical connection, so a generation belongs to one: a connection the pool replaced starts a new
 * one. Lookups inside a transaction always read the database, and what they read is not kept: a transaction decides on
 * what is there now, and what it later rolls back is never kept.
 *
 * <p>A lookup is keyed by its statement and arguments; large entries (a thumbnail, metadata) are not kept, and the
 * number of answers is bounded.
 */
final class SqliteEntryCache {

    /** Enough for the entries a busy desktop touches between two writes; an answer is about a kilobyte. */
    static final int MAX_ANSWERS = 10_000;
    /** An entry carrying more text than this (a thumbnail's data URL) is read from the database each time. */
    static final int MAX_KEPT_CHARS = 8 * 1024;
    /** How soon another process's commit is noticed. */
    static final long RECHECK_MILLIS = 100;

    private static final String DATA_VERSION = "PRAGMA data_version";

    interface Lookup {
        Optional<Entry> read() throws SQLException;
    }

    /** The answers read since the connection last changed anything. */
    private static final class Generation {
        final Connection connection;
        final long changes;
        final long dataVersion;
        /** When {@code dataVersion} was last confirmed, in {@link System#nanoTime()}'s terms. */
        volatile long confirmedAt;
        final Map<Key, Optional<Entry>> answers = new ConcurrentHashMap<>();

        Generation(Connection connection, long changes, long dataVersion, long confirmedAt) {
            this.connection = connection;
            this.changes = changes;
            this.dataVersion = dataVersion;
            this.confirmedAt = confirmedAt;
        }
    }

    private record Key(String sql, String first, String second) {}

    private final KeptStatements kept;
    private final LongSupplier nanoTime;
    private volatile Generation current;

    SqliteEntryCache(KeptStatements kept) {
        this(kept, System::nanoTime);
    }

    SqliteEntryCache(KeptStatements kept, LongSupplier nanoTime) {
        this.kept = kept;
        this.nanoTime = nanoTime;
    }

    /** The kept answer for this lookup while nothing changed, else {@code lookup}'s, kept when it may be. */
    Optional<Entry> get(Connection c, String sql, String[] args, Lookup lookup) throws SQLException {
        if (!c.getAutoCommit()) {
            return lookup.read();
        }
        Connection physical = c.unwrap(Connection.class);
        long changes = physical.unwrap(SQLiteConnection.class).getDatabase().total_changes();
        Key key = new Key(sql, args[0], args.length > 1 ? args[1] : null);
        Generation g = current;
        if (g != null && (g.connection != physical || g.changes != changes || !confirmed(c, g))) {
            g = null;
        }
        if (g != null) {
            Optional<Entry> answer = g.answers.get(key);
            if (answer != null) {
                return answer;
            }
        }
        long version = g == null ? dataVersion(c) : g.dataVersion;
        long readAt = nanoTime.getAsLong();
        Optional<Entry> read = lookup.read();
        if (keepable(read)) {
            if (g == null) {
                g = new Generation(physical, changes, version, readAt);
                current = g;
            }
            if (g.answers.size() < MAX_ANSWERS) {
                g.answers.put(key, read);
            }
        }
        return read;
    }

    /** Whether no other process committed: known for {@link #RECHECK_MILLIS} after SQLite last said so. */
    private boolean confirmed(Connection c, Generation g) throws SQLException {
        long now = nanoTime.getAsLong();
        if (now - g.confirmedAt < TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS)) {
            return true;
        }
        if (dataVersion(c) != g.dataVersion) {
            return false;
        }
        g.confirmedAt = now;
        return true;
    }

    private long dataVersion(Connection c) throws SQLException {
        PreparedStatement s = kept.get(c, DATA_VERSION);
        try (ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean keepable(Optional<Entry> read) {
        if (read.isEmpty()) {
            return true;
        }
        Entry e = read.get();
        return e.thumbnail().map(String::length).orElse(0) + e.metadata().map(String::length).orElse(0)
                + e.layout().map(String::length).orElse(0) <= MAX_KEPT_CHARS;
    }
}
