package dev.hearth.core.spi;

/**
 * A service that contributes database migrations. The database service finds every service that implements
 * this and migrates them during its consolidation, in registration order, right after core's own migrations;
 * so from consolidation on, a service may rely on its tables, provided its module registers it after the
 * database (every module above core does).
 *
 * <p>Migrations are Flyway SQL files named {@code V<version>__<description>.sql}, versions starting at 1, read
 * with the class loader of the contributing service (an external module's files live in its own jar):
 *
 * <pre>
 * &lt;location&gt;/common/    SQL that runs on every engine
 * &lt;location&gt;/sqlite/    SQL only SQLite runs (identity columns, upserts that differ...)
 * &lt;location&gt;/postgres/  SQL only PostgreSQL runs
 * </pre>
 *
 * A version is defined once: either in {@code common} or in <em>both</em> dialect folders. Each contributor has
 * its own history table, {@code flyway_history_<name>}, so modules version their schemas independently.
 * A migration that has run must never change: the boot fails on a changed checksum.
 */
public interface Migrations {

    /**
     * A name unique among contributors, in lower case letters, digits and underscores (it names the history
     * table); usually the module's name.
     */
    String migrationsName();

    /** The resource folder of the migrations, such as {@code db/kv}; conventionally {@code db/<name>}. */
    String migrationsLocation();
}
