package dev.hearth.apps;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The apps module: the app registry ({@code puter-apps}), app icons, file associations and app launches.
 */
public final class AppsModule implements Module {

    @Override
    public String name() {
        return "apps";
    }

    @Override
    public void install(ModuleInstaller installer) {
        // services are registered here as they land
    }
}
