package dev.hearth.core.testing;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests run against, from {@code HEARTH_TEST_POSTGRES_URL} (default: the local server as
 * user postgres). Each test gets a fresh database, dropped afterwards. An unreachable server fails the tests,
 * with instructions, unless the variable is {@code skip}.
 */
public final class TestPostgres {

    static final String ENV = "HEARTH_TEST_POSTGRES_URL";
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?");

    /** A database created for one test. */
    public record TestDatabase(String name, String url) {}

    private final String adminUrl;

    public TestPostgres() {
        String configured = System.getenv(ENV);
        if ("skip".equals(configured)) {
            Assumptions.abort(ENV + "=skip: the PostgreSQL tests are skipped");
        }
        adminUrl = configured == null || configured.isBlank() ? DEFAULT_URL : configured;
        if (!URL.matcher(adminUrl).matches()) {
            fail(ENV + " must look like " + DEFAULT_URL + ", not " + adminUrl);
        }
    }

    public TestDatabase create() {
        String name = "hearth_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE DATABASE " + name);
        Matcher m = URL.matcher(adminUrl);
        m.matches();
        return new TestDatabase(name, m.group(1) + name + (m.group(3) == null ? "" : m.group(3)));
    }

    public void drop(TestDatabase db) {
        execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
    }

    private void execute(String sql) {
        Connection c;
        try {
            c = DriverManager.getConnection(adminUrl);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + adminUrl + " (" + e.getMessage() + "). "
                    + "Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
                    + " -- or point " + ENV + " at another server, or set " + ENV + "=skip to skip these tests.", e);
        }
        try (c; Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("cannot run `" + sql + "` on " + adminUrl + ": " + e.getMessage(), e);
        }
    }
}
