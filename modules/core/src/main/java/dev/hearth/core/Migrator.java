package dev.hearth.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.spi.Migrations;

/** Runs the migrations of every contributor with Flyway, one history table per contributor. */
final class Migrator {

    private static final Logger log = LoggerFactory.getLogger(Migrator.class);

    /** The name becomes part of a table name, so it is held to what every engine accepts unquoted. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");

    private final DataSource dataSource;
    private final Dialect dialect;

    /**
     * @param dataSource where to migrate; unpooled, so that migrations do not compete with the pool, and Flyway may
     *                   open the second connection it wants on PostgreSQL even when the pool has a single one
     */
    Migrator(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * Migrates every contributor in order; the first failure stops the boot.
     *
     * @return one line per contributor that had migrations to apply, saying from which version to which
     */
    List<String> migrate(List<Migrations> contributors) {
        List<String> applied = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Migrations contributor : contributors) {
            String name = contributor.migrationsName();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalStateException("the migrations contributor " + contributor.getClass().getName()
                        + " has the name \"" + name + "\"; a name is lower case letters, digits and underscores");
            }
            if (!names.add(name)) {
                throw new IllegalStateException("two migrations contributors are named '" + name + "'; names are unique");
            }
            migrate(name, contributor).ifPresent(applied::add);
        }
        return List.copyOf(applied);
    }

    private Optional<String> migrate(String name, Migrations contributor) {
        String location = contributor.migrationsLocation();
        if (location == null || !LOCATION.matcher(location).matches()) {
            throw new IllegalStateException("the migrations of '" + name + "' have the location \"" + location
                    + "\"; a location is a resource folder such as db/" + name);
        }
        String common = "classpath:" + location + "/common";
        String dialectOnly = "classpath:" + location + "/" + dialect.folder();
        FailedMigration failed = new FailedMigration();
        // The contributor's class loader, not ours: an external module's migrations are in its own jar, which
        // only its loader (a child of the kernel's) can read. Flyway's plugins still come through the parent.
        Flyway flyway = Flyway.configure(contributor.getClass().getClassLoader())
                .dataSource(dataSource)
                .table("flyway_history_" + name)
                .locations(common, dialectOnly)
                // A dialect folder that a contributor does not need may be absent.
                .failOnMissingLocations(false)
                // Contributors share one schema, so the second one finds it non-empty. Baseline below version 1
                // so that its own V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("history of " + name + " starts")
                // SQL is taken literally: no ${...} substitution surprises in string literals.
                .placeholderReplacement(false)
                .validateMigrationNaming(true)
                .callbacks(failed)
                .load();
        try {
            if (flyway.info().all().length == 0) {
                throw new IllegalStateException("found no migrations for '" + name + "' in " + common + " or "
                        + dialectOnly + " (with the class loader of " + contributor.getClass().getName() + ")");
            }
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted == 0) {
                return Optional.empty();
            }
            String line = "migrated '" + name + "' from version "
                    + (result.initialSchemaVersion == null ? "nothing" : result.initialSchemaVersion)
                    + " to " + result.targetSchemaVersion + " (" + result.migrationsExecuted + " migrations)";
            log.info(line);
            return Optional.of(line);
        } catch (FlywayException e) {
            MigrationInfo at = failed.migration.get();
            String where = at == null
                    ? "migrations of '" + name + "' could not run"
                    : "migration of '" + name + "' failed at version " + at.getVersion() + " (" + at.getScript() + ")";
            throw new IllegalStateException(where + ": " + e.getMessage().strip(), e);
        }
    }

    /** Remembers which migration failed: Flyway's public exception does not say. */
    private static final class FailedMigration implements Callback {
        final AtomicReference<MigrationInfo> migration = new AtomicReference<>();

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_EACH_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            migration.set(context.getMigrationInfo());
        }

        @Override
        public String getCallbackName() {
            return "hearth-failed-migration";
        }
    }
}
