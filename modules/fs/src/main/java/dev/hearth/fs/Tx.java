package dev.hearth.fs;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;

/**
 * Runs filesystem work in database transactions, retrying what a concurrent transaction made fail: a unique
 * violation (another request took the name; the work runs again and sees the name taken, then dedupes, reuses
 * the directory or answers 409 as its options say), and PostgreSQL's deadlocks and serialization failures.
 * The work must therefore be repeatable: it re-reads what it depends on. It must not call the blob store nor
 * emit events: those happen before or after, outside the connection (SQLite has only one).
 *
 * <p>The connection is taken through the database's JDBI ({@link Jdbi#withHandle}), which binds it to the thread for
 * the duration of the work: whatever the work calls that uses JDBI on the same thread (the accounts' ACL and
 * permissions, asked by the access check) runs on this very connection, inside this transaction, instead of waiting
 * for a second one (with SQLite's single pooled connection that would wait 30 s and fail).
 */
final class Tx {

    /** Enough for a burst of concurrent dedupes of one name; each retry sees one more name taken. */
    static final int ATTEMPTS = 64;

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Jdbi jdbi;
    private final DataSource pool;

    /** {@code pool} is the pool behind {@code jdbi}. */
    Tx(Jdbi jdbi, DataSource pool) {
        this.jdbi = jdbi;
        this.pool = pool;
    }

    /** The connection of a JDBI handle, bound to this thread while {@code work} runs; the handle closes it. */
    private <T> T withConnection(Work<T> work) throws SQLException {
        return jdbi.withHandle(h -> work.run(h.getConnection()));
    }

    /** Runs {@code work} in a transaction and commits it. */
    <T> T write(Work<T> work) {
        SQLException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return withConnection(c -> {
                    if (!c.getAutoCommit()) {
                        // Called inside someone else's transaction on this thread (JDBI handed us its handle): join
                        // it; its owner commits or rolls back.
                        return work.run(c);
                    }
                    c.setAutoCommit(false);
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        rollback(c);
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                });
            } catch (SQLException e) {
                if (!retryable(e)) {
                    throw new IllegalStateException("filesystem database error: " + e.getMessage(), e);
                }
                last = e;
                backOff(attempt);
            }
        }
        throw new IllegalStateException("filesystem transaction kept conflicting after " + ATTEMPTS + " attempts", last);
    }

    /** Runs read-only {@code work} outside a transaction. */
    <T> T read(Work<T> work) {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            throw new IllegalStateException("filesystem database error: " + e.getMessage(), e);
        }
    }

    /**
     * Runs read-only {@code work} that uses plain JDBC only (no JDBI, nothing that takes a connection) on a pooled
     * connection, outside a transaction. On a thread that already holds a JDBI handle (inside {@link #write} or
     * {@link #read}) it runs on that handle's connection instead, as {@link #read} does: a second connection would
     * wait for the first with SQLite.
     */
    <T> T lookup(Work<T> work) {
        if (jdbi.getHandleScope().get() != null) {
            return read(work);
        }
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("filesystem database error: " + e.getMessage(), e);
        }
    }

    /** A short random pause that grows with the attempts, so that conflicting requests stop colliding. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 2 + Math.min(attempt, 10) * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a filesystem transaction", e);
        }
    }

    static boolean retryable(SQLException e) {
        return uniqueViolation(e) || "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    static boolean uniqueViolation(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return true;
        }
        String m = e.getMessage();
        return m != null && m.contains("UNIQUE constraint failed");
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool will replace it.
        }
    }

}
