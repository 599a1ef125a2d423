package dev.hearth.core;

import java.util.Optional;

import dev.hearth.core.spi.Migrations;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;

/**
 * A module with one service that contributes the migrations under {@code db/<name>} and, optionally, runs a
 * statement in its own consolidation: after the database's, so its tables must exist by then.
 */
record ContributorModule(String name, Optional<String> onConsolidate) implements Module {

    ContributorModule(String name) {
        this(name, Optional.empty());
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register(name, context -> new Contributor(name, onConsolidate,
                () -> context.services().get(Database.class)));
    }

    interface DatabaseLookup {
        Database get();
    }

    record Contributor(String name, Optional<String> onConsolidate, DatabaseLookup database)
            implements Service, Migrations {

        @Override
        public void consolidate() {
            onConsolidate.ifPresent(sql -> database.get().jdbi().useHandle(h -> h.execute(sql)));
        }

        @Override
        public String migrationsName() {
            return name;
        }

        @Override
        public String migrationsLocation() {
            return "db/" + name;
        }
    }
}
