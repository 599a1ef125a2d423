package dev.hearth.apps;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The apps module: the {@code apps} service (the registry, its migrations, the {@code es:app} driver), the
 * {@code app-lookup} service (what core and the filesystem ask about apps) and the {@code app-routes} service. Install it after the filesystem and drivers modules.
 */
public final class AppsModule implements Module {

    @Override
    public String name() {
        return "apps";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("apps", AppRegistry::new);
        installer.register("app-lookup", AppLookup::new);
        installer.register("app-routes", AppRoutes::new);
    }
}
