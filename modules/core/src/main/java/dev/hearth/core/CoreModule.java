package dev.hearth.core;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/** The core module: the database first; accounts, sessions and permissions follow. (Being built.) */
public final class CoreModule implements Module {

    @Override
    public String name() {
        return "core";
    }

    @Override
    public void install(ModuleInstaller installer) {
        // services arrive with the core module's implementation
    }
}
