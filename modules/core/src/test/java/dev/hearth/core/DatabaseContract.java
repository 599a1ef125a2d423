package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.BootException;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.Phase;

/**
 * One specification of the database service, run against every engine by the subclasses. Each test boots real
 * kernels with the core module (and test contributors) in a temporary data directory.
 */
abstract class DatabaseContract {

    @TempDir
    Path dataDir;

    private final List<Kernel> kernels = new ArrayList<>();

    /** The configuration that selects this engine, for a data directory. */
    abstract Config config(Path dataDir);

    abstract Dialect expectedDialect();

    @AfterEach
    void shutDownKernels() {
        kernels.forEach(Kernel::shutdown);
    }

    Kernel boot(Module... extra) {
        return boot(config(dataDir), Phase.READY, extra);
    }

    Kernel boot(Config config, Phase last, Module... extra) {
        Kernel kernel = Kernel.builder(config).externalModules(false).module(new CoreModule()).modules(List.of(extra))
                .build();
        kernels.add(kernel);
        kernel.boot(last);
        return kernel;
    }

    static Database database(Kernel kernel) {
        return kernel.services().get(Database.class);
    }

    record HistoryRow(int rank, String version, String script, Integer checksum, String installedOn, boolean success) {}

    static List<HistoryRow> history(Database db, String contributor) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT installed_rank, version, script, checksum,"
                        + " CAST(installed_on AS VARCHAR(40)) AS installed_on, success FROM flyway_history_" + contributor
                        + " ORDER BY installed_rank")
                .map((r, ctx) -> new HistoryRow(r.getInt(1), r.getString(2), r.getString(3),
                        r.getObject(4) == null ? null : r.getInt(4), r.getString(5), r.getBoolean(6)))
                .list());
    }

    static List<String> strings(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).map((r, ctx) -> r.getString(1)).list());
    }

    @Test
    void theDialectFollowsTheEngine() {
        assertThat(database(boot()).dialect()).isEqualTo(expectedDialect());
    }

    @Test
    void coreMigrationsApplyDuringConsolidation() {
        // What `hearth migrate` does: no activation, no HTTP.
        Kernel kernel = boot(config(dataDir), Phase.CONSOLIDATION);
        Database db = database(kernel);

        assertThat(history(db, "core")).extracting(HistoryRow::version, HistoryRow::success)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", true), org.assertj.core.groups.Tuple.tuple("2", true),
                        org.assertj.core.groups.Tuple.tuple("3", true), org.assertj.core.groups.Tuple.tuple("4", true),
                        org.assertj.core.groups.Tuple.tuple("5", true), org.assertj.core.groups.Tuple.tuple("6", true));
        db.jdbi().useHandle(h -> h.execute("INSERT INTO hearth_instance (key, value) VALUES ('created_by', 'test')"));
        assertThat(strings(db, "SELECT value FROM hearth_instance WHERE key = 'created_by'")).containsExactly("test");
    }

    @Test
    void aSecondBootIsANoOpThatKeepsTheHistory() {
        Kernel first = boot(new ContributorModule("greetings"));
        List<HistoryRow> core = history(database(first), "core");
        List<HistoryRow> greetings = history(database(first), "greetings");
        database(first).jdbi().useHandle(h -> h.execute("INSERT INTO hearth_instance (key, value) VALUES ('k', 'v')"));
        first.shutdown();

        Kernel second = boot(new ContributorModule("greetings"));

        assertThat(history(database(second), "core")).isEqualTo(core);
        assertThat(history(database(second), "greetings")).isEqualTo(greetings);
        assertThat(strings(database(second), "SELECT value FROM hearth_instance")).containsExactly("v");
    }

    @Test
    void aContributorsMigrationsRunWithItsDialectFolderBeforeItsOwnConsolidation() {
        Kernel kernel = boot(new ContributorModule("greetings",
                Optional.of("INSERT INTO greeting (text, dialect) VALUES ('from consolidation', 'any')")));
        Database db = database(kernel);

        assertThat(strings(db, "SELECT text || '/' || dialect FROM greeting ORDER BY id"))
                .containsExactly("created/" + expectedDialect().folder(), "hello ${name}/common", "from consolidation/any");
        // The core tables existed first, so the contributor's history starts with a baseline below its V1.
        assertThat(history(db, "greetings")).extracting(HistoryRow::version).containsExactly("0", "1", "2");
        assertThat(history(db, "greetings")).allMatch(HistoryRow::success);
    }

    @Test
    void aBrokenMigrationFailsTheBootNamingTheContributorAndTheVersion() {
        assertThatThrownBy(() -> boot(new ContributorModule("broken", Optional.of("SELECT 1"))))
                .isInstanceOf(BootException.class)
                .hasMessageContaining("service 'database' failed during consolidation")
                .hasMessageContaining("migration of 'broken' failed at version 2 (V2__broken.sql)")
                .satisfies(e -> assertThat(((BootException) e).service()).isEqualTo("database"));
        assertThat(kernels.getLast().phase()).isEqualTo(Phase.STOPPED);

        // What ran before the broken one stays; the broken one left nothing behind and will run again.
        Kernel kernel = boot(config(dataDir), Phase.INIT);
        Database db = database(kernel);
        assertThat(history(db, "broken")).extracting(HistoryRow::version).containsExactly("0", "1");
    }

    @Test
    void aMigrationThatChangedAfterItRanFailsTheBoot() {
        Kernel first = boot(new ContributorModule("greetings"));
        // As if V1's file had been edited since it ran.
        database(first).jdbi().useHandle(h -> h.execute("UPDATE flyway_history_greetings SET checksum = 42 WHERE version = '1'"));
        first.shutdown();

        assertThatThrownBy(() -> boot(new ContributorModule("greetings")))
                .isInstanceOf(BootException.class)
                .hasMessageContaining("migrations of 'greetings' could not run")
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void aContributorWithoutMigrationsFailsTheBoot() {
        assertThatThrownBy(() -> boot(new ContributorModule("nothing_here")))
                .isInstanceOf(BootException.class)
                .hasMessageContaining("found no migrations for 'nothing_here' in classpath:db/nothing_here/common or "
                        + "classpath:db/nothing_here/" + expectedDialect().folder());
    }

    record Greeting(long id, String text, String dialect) {}

    @Test
    void jdbiAndPlainJdbcRoundTrip() throws Exception {
        Database db = database(boot(new ContributorModule("greetings")));

        long id = db.jdbi().inTransaction(h -> h.createUpdate("INSERT INTO greeting (text, dialect) VALUES (:text, :dialect)")
                .bind("text", "round trip").bind("dialect", "jdbi")
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        Greeting read = db.jdbi().withHandle(h -> h.createQuery("SELECT id, text, dialect FROM greeting WHERE id = :id")
                .bind("id", id)
                .map((r, ctx) -> new Greeting(r.getLong("id"), r.getString("text"), r.getString("dialect")))
                .one());
        assertThat(read).isEqualTo(new Greeting(id, "round trip", "jdbi"));

        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT text FROM greeting WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("round trip");
            }
        }
    }

    @Test
    void handlesNestOnOneThread() {
        // With SQLite's single connection, a nested handle that took a second connection would wait for ever.
        Database db = database(boot());
        String value = db.jdbi().inTransaction(outer -> {
            outer.execute("INSERT INTO hearth_instance (key, value) VALUES ('nested', 'yes')");
            return db.jdbi().withHandle(inner -> inner.createQuery("SELECT value FROM hearth_instance WHERE key = 'nested'")
                    .mapTo(String.class).one());
        });
        assertThat(value).isEqualTo("yes");
    }

    @Test
    void concurrentWritesFromManyVirtualThreadsAllLand() throws Exception {
        assertConcurrentWritesLand(database(boot()), 8, 200);
    }

    /** {@code threads} virtual threads each insert {@code each} rows, half of them in read-then-write transactions. */
    static void assertConcurrentWritesLand(Database db, int threads, int each) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String key = "w-" + thread + "-" + i;
                        if (i % 2 == 0) {
                            db.jdbi().useHandle(h -> h.execute("INSERT INTO hearth_instance (key, value) VALUES (?, ?)",
                                    key, "plain"));
                        } else {
                            // A read, then a write, in one transaction: the case where a deferred SQLite
                            // transaction would fail with SQLITE_BUSY instead of waiting.
                            db.jdbi().useTransaction(h -> {
                                int before = h.createQuery("SELECT COUNT(*) FROM hearth_instance").mapTo(Integer.class).one();
                                h.execute("INSERT INTO hearth_instance (key, value) VALUES (?, ?)", key, "after " + before);
                            });
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : done) {
            f.get(); // rethrows the first failure, SQLITE_BUSY included
        }
        assertThat(strings(db, "SELECT COUNT(*) FROM hearth_instance WHERE key LIKE 'w-%'"))
                .containsExactly(String.valueOf(threads * each));
    }

    @Test
    void theHealthCheckPassesWhileOpenAndFailsOnceThePoolIsClosed() {
        Kernel kernel = boot();
        Database db = database(kernel);
        assertThat(db.healthName()).isEqualTo("database");
        assertThatCode(db::checkHealth).doesNotThrowAnyException();

        kernel.shutdown();

        assertThatThrownBy(db::checkHealth).hasMessageContaining("closed");
    }

    @Test
    void theHealthCheckIsFoundAsAKernelHealthCheck() {
        Kernel kernel = boot();
        assertThat(kernel.services().all(dev.hearth.kernel.HealthCheck.class)).contains(database(kernel));
    }
}
