package dev.hearth.core;

import dev.hearth.core.testing.TestPostgres;
import java.nio.file.Path;
import java.util.List;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;

/** An engine the accounts contracts run on: SQLite in a temporary directory, or a fresh PostgreSQL database. */
interface TestBackend extends AutoCloseable {

    /** The configuration of a kernel on this backend. */
    Config config(Path dataDir);

    @Override
    void close();

    static TestBackend sqlite() {
        return new TestBackend() {
            @Override
            public Config config(Path dataDir) {
                return TestSecrets.config(dataDir);
            }

            @Override
            public void close() {}
        };
    }

    static TestBackend postgres() {
        TestPostgres server = new TestPostgres();
        TestPostgres.TestDatabase db = server.create();
        return new TestBackend() {
            @Override
            public Config config(Path dataDir) {
                return TestSecrets.config(dataDir).with("services.database.engine", "postgres")
                        .with("services.database.url", db.url());
            }

            @Override
            public void close() {
                server.drop(db);
            }
        };
    }

    /** Boots core (and {@code extra}) on this backend. */
    default Kernel boot(Path dataDir, List<Module> extra) {
        return boot(dataDir, extra, java.util.function.UnaryOperator.identity());
    }

    /** Boots core (and {@code extra}) on this backend, with the configuration adjusted. */
    default Kernel boot(Path dataDir, List<Module> extra, java.util.function.UnaryOperator<Config> adjust) {
        Kernel kernel = Kernel.builder(adjust.apply(config(dataDir))).externalModules(false).module(new CoreModule())
                .modules(extra).build();
        kernel.boot();
        return kernel;
    }
}
