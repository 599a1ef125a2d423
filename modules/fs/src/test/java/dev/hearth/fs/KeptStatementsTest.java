package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements kept per physical connection: reused while it lives, prepared anew on the next one. */
class KeptStatementsTest {

    @Test
    void aStatementIsReusedOnItsConnectionAndPreparedAgainOnTheNext(@TempDir Path dir) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("kept.sqlite");
        KeptStatements kept = new KeptStatements();
        String sql = "SELECT ? + 1";
        try (Connection first = DriverManager.getConnection(url)) {
            PreparedStatement s = kept.get(first, sql);
            assertThat(kept.get(first, sql)).isSameAs(s);
            assertThat(plusOne(s, 1)).isEqualTo(2);
            assertThat(plusOne(kept.get(first, sql), 41)).as("the parameters of the last use do not linger")
                    .isEqualTo(42);
            first.close();
            try (Connection second = DriverManager.getConnection(url)) {
                PreparedStatement again = kept.get(second, sql);
                assertThat(again).isNotSameAs(s);
                assertThat(again.isClosed()).isFalse();
                assertThat(plusOne(again, 2)).isEqualTo(3);
                // Closing the statement by mistake (or its connection failing) costs a new preparation, not an error.
                again.close();
                assertThat(plusOne(kept.get(second, sql), 3)).isEqualTo(4);
            }
        }
    }

    private static int plusOne(PreparedStatement s, int n) throws Exception {
        s.setInt(1, n);
        try (ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }
}
