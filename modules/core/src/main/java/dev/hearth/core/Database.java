package dev.hearth.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.hearth.core.spi.Migrations;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.HealthCheck;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code database} service: one pooled connection to the configured database, SQLite in the data directory
 * by default or PostgreSQL by URL ({@code services.database}), with every module's migrations applied.
 *
 * <ul>
 *   <li>init: the pool opens, so a database that cannot be reached fails the boot here;</li>
 *   <li>consolidation: core's migrations run, then those of every {@link Migrations} service in registration
 *       order; because this service is the first one registered, the tables exist for every other service's
 *       consolidation;</li>
 *   <li>shutdown: the pool closes.</li>
 * </ul>
 *
 * Use {@link #jdbi()} for ordinary data access and {@link #dataSource()} where plain JDBC pays off. With SQLite,
 * hold a connection only as long as needed: there is a single one (see {@link #dataSource()}).
 *
 * <p>Configuration, {@code services.database}:
 * <table>
 *   <tr><th>key</th><th>default</th><th></th></tr>
 *   <tr><td>{@code engine}</td><td>{@code sqlite}</td><td>{@code sqlite} or {@code postgres}</td></tr>
 *   <tr><td>{@code path}</td><td>{@code hearth.sqlite}</td><td>SQLite file, relative to the data directory</td></tr>
 *   <tr><td>{@code url}</td><td></td><td>{@code jdbc:postgresql://host:port/database}; required for postgres</td></tr>
 *   <tr><td>{@code user}, {@code password}</td><td></td><td>PostgreSQL credentials, when not in the URL</td></tr>
 *   <tr><td>{@code pool_size}</td><td>10 (PostgreSQL)</td><td>connections in the pool; always 1 with SQLite</td></tr>
 * </table>
 *
 * <p>SQLite and concurrency: SQLite lets one connection write at a time, so the pool holds a single connection and
 * every caller waits for it in the pool, in Java, where a waiting virtual thread frees its carrier thread. Several
 * connections would leave the waiting to SQLite's busy handler, in native code, where each waiter pins a carrier;
 * on a small machine the writer holding the lock then finds no carrier to commit on, and the others fail with
 * {@code SQLITE_BUSY} (measured: 4 connections, 8 writing threads, 2 cores). The file is in WAL mode (readers in
 * other processes do not block), with {@code synchronous=NORMAL}, {@code foreign_keys=ON}, a busy timeout for
 * other processes (a CLI, a backup) and transactions that begin {@code IMMEDIATE}, so that one that reads and
 * then writes waits for another process's lock rather than failing.
 */
public final class Database implements Service, HealthCheck {

    /** How long the health check waits for {@code SELECT 1}; the spec's database-liveness threshold. */
    static final Duration HEALTH_TIMEOUT = Duration.ofMillis(1500);

    /** How long SQLite waits for another process's write lock (a CLI, a backup tool) before it gives up. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

    /** Core's own migrations run before any contributor's. */
    private static final Migrations CORE = new CoreMigrations();

    /** What init opens: the pool, JDBI over it, and the unpooled source behind it, which migrations use. */
    private record Opened(HikariDataSource pool, Jdbi jdbi, DataSource unpooled) {}

    private final ServiceContext context;
    private final DatabaseSettings settings;
    private volatile Opened opened;
    private volatile List<String> appliedMigrations = List.of();

    Database(ServiceContext context) {
        this.context = context;
        this.settings = context.settings(DatabaseSettings.class);
    }

    @Override
    public void init() throws Exception {
        DataSource unpooled = switch (settings.dialect()) {
            case SQLITE -> sqlite(sqliteFile());
            case POSTGRES -> postgres();
        };
        HikariConfig config = new HikariConfig();
        config.setPoolName("hearth-database");
        config.setDataSource(unpooled);
        config.setMaximumPoolSize(settings.connections());
        config.setMinimumIdle(settings.connections());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the " + describe() + ": " + reason(e), e);
        }
        opened = new Opened(pool, Jdbi.create(pool), unpooled);
    }

    @Override
    public void consolidate() {
        List<Migrations> contributors = new ArrayList<>();
        contributors.add(CORE);
        contributors.addAll(context.services().all(Migrations.class));
        appliedMigrations = new Migrator(open().unpooled(), settings.dialect()).migrate(contributors);
    }

    /**
     * What this boot's consolidation applied: one line per contributor that had migrations to run (which
     * versions), empty when the database was up to date.
     */
    public List<String> appliedMigrations() {
        return appliedMigrations;
    }

    @Override
    public void shutdown() {
        Opened o = opened;
        if (o != null) {
            o.pool().close();
        }
    }

    /** JDBI over the pool: handles, transactions, mapping. Handles nest on one thread (JDBI reuses the open one). */
    public Jdbi jdbi() {
        return open().jdbi();
    }

    /**
     * The pooled data source, for hot paths in plain JDBC. Close every connection promptly (try-with-resources),
     * and do not take a second connection while holding one: with SQLite's single connection that waits for the
     * pool's 30 s timeout and fails. (JDBI handles nest safely on one thread.)
     */
    public DataSource dataSource() {
        return open().pool();
    }

    /** The engine's SQL dialect. */
    public Dialect dialect() {
        return settings.dialect();
    }

    @Override
    public String healthName() {
        return "database";
    }

    /** {@code SELECT 1} through the pool, within {@link #HEALTH_TIMEOUT}. */
    @Override
    public void checkHealth() throws Exception {
        HikariDataSource p = open().pool();
        if (p.isClosed()) {
            throw new IllegalStateException("the database pool is closed");
        }
        // The probe runs apart so that a pool that cannot hand out a connection (it would wait 30 s) or a server
        // that does not answer cannot hold up the health report; on time-out it is interrupted, which makes the
        // pool give up waiting.
        CompletableFuture<Void> answer = new CompletableFuture<>();
        Thread probe = Thread.ofVirtual().name("database-health").start(() -> {
            try (Connection c = p.getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT 1")) {
                if (!r.next() || r.getInt(1) != 1) {
                    throw new IllegalStateException("SELECT 1 did not answer 1");
                }
                answer.complete(null);
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            answer.get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            probe.interrupt();
            throw new IllegalStateException("the " + describe() + " did not answer SELECT 1 within "
                    + HEALTH_TIMEOUT.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the " + describe() + " failed SELECT 1: " + reason(e.getCause()),
                    e.getCause());
        }
    }

    private Opened open() {
        Opened o = opened;
        if (o == null) {
            throw new IllegalStateException("the database opens during init; it is not open yet");
        }
        return o;
    }

    private Path sqliteFile() throws IOException {
        Path file = context.dataDir().resolve(settings.path()).toAbsolutePath().normalize();
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            // Owner-only, like the data directory: the file will hold password hashes and tokens. SQLite gives
            // its -wal and -shm files the permissions of the database file.
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        }
        return file;
    }

    private static DataSource sqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        // WAL: readers do not block the writer nor the writer the readers, and commits are cheap.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL is durable against application crashes in WAL mode; only a power loss can lose the last commits.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        // A transaction takes the write lock when it begins. A deferred one that reads and then writes fails at
        // once with SQLITE_BUSY_SNAPSHOT when another connection wrote meanwhile (the busy timeout cannot help
        // it); an immediate one waits its turn instead. Matters for other processes on the same file.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    private DataSource postgres() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(settings.url());
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("services.database.url", DatabaseSettings.redact(settings.url()),
                    "a PostgreSQL JDBC URL such as jdbc:postgresql://127.0.0.1:5432/hearth (" + e.getMessage() + ")");
        }
        settings.pgUser().ifPresent(ds::setUser);
        settings.pgPassword().ifPresent(ds::setPassword);
        ds.setApplicationName("hearth");
        return ds;
    }

    private String describe() {
        return switch (settings.dialect()) {
            case SQLITE -> "SQLite database " + context.dataDir().resolve(settings.path()).normalize();
            case POSTGRES -> "PostgreSQL database " + DatabaseSettings.redact(settings.url());
        };
    }

    /** The driver's own words: Hikari's wrapper adds little, and the root cause alone often too little. */
    private static String reason(Throwable t) {
        Throwable shown = t.getCause() != null && t.getCause().getMessage() != null ? t.getCause() : t;
        String m = shown.getMessage();
        return m == null || m.isBlank() ? shown.getClass().getSimpleName() : m;
    }

    /** Core's own tables: {@code db/core}. */
    private record CoreMigrations() implements Migrations {
        @Override
        public String migrationsName() {
            return "core";
        }

        @Override
        public String migrationsLocation() {
            return "db/core";
        }
    }
}
