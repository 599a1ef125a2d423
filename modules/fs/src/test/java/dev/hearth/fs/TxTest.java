package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** {@link Tx#lookup}: a pooled connection of its own, except inside a transaction, whose connection it uses. */
class TxTest {

    @Test
    void aLookupInsideATransactionRunsOnItsConnection(@TempDir Path dir) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("tx.sqlite"));
        config.setMaximumPoolSize(1); // as Hearth runs SQLite: a second connection would wait for the first
        config.setConnectionTimeout(1_000);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Tx tx = new Tx(Jdbi.create(pool), pool);
            tx.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (x INTEGER)");
                }
                return null;
            });

            int seen = tx.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO t VALUES (1)");
                }
                Connection physical = c.unwrap(Connection.class);
                return tx.lookup(inner -> {
                    assertThat(inner.unwrap(Connection.class)).isSameAs(physical);
                    return count(inner);
                });
            });
            assertThat(seen).as("the transaction's own insert, before its commit").isEqualTo(1);

            assertThat(tx.lookup(TxTest::count)).as("outside: a connection of its own").isEqualTo(1);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("and given back").isZero();
        }
    }

    private static int count(Connection c) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM t"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }
}
