package dev.hearth.fs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept open on each database connection, for the few lookups every request makes (an entry by
 * path or uid). Preparing is not free: sqlite-jdbc compiles the SQL and reads every result column's name through JNI
 * each time, which was the largest share of a {@code /stat}'s database time. PostgreSQL's driver caches its server-side
 * statements by SQL anyway; keeping them here costs it nothing.
 *
 * <p>The statements are prepared on the physical connection behind the pool's proxy ({@link Connection#unwrap}), so
 * that returning the connection to the pool, which closes the statements prepared through the proxy, leaves them
 * open. A statement is only used by the thread that holds its connection, which the pool hands to one borrower at a
 * time, and within whatever transaction that borrower runs. When the pool retires a connection (its maximum
 * lifetime, a failure), its statements close with it and are dropped at the next preparation on a new connection.
 */
final class KeptStatements {

    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

    /**
     * The statement for {@code sql} on {@code c}'s physical connection. The caller sets every parameter and closes the
     * result sets it opens, but never closes the statement.
     */
    PreparedStatement get(Connection c, String sql) throws SQLException {
        Connection physical = c.unwrap(Connection.class);
        Map<String, PreparedStatement> kept = byConnection.get(physical);
        if (kept == null) {
            byConnection.keySet().removeIf(KeptStatements::closed);
            kept = byConnection.computeIfAbsent(physical, k -> new ConcurrentHashMap<>());
        }
        PreparedStatement s = kept.get(sql);
        if (s == null || s.isClosed()) {
            s = physical.prepareStatement(sql);
            kept.put(sql, s);
        }
        return s;
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
