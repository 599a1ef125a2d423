package dev.hearth.core;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The core module. The {@code database} service comes first, so that its consolidation (where every module's
 * migrations run) precedes every other service's. Accounts, sessions and permissions follow.
 */
public final class CoreModule implements Module {

    @Override
    public String name() {
        return "core";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("database", Database::new);
    }
}
