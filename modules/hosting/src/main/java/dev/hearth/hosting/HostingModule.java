package dev.hearth.hosting;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The hosting module: subdomains ({@code puter-subdomains}) and serving websites from users' folders.
 */
public final class HostingModule implements Module {

    @Override
    public String name() {
        return "hosting";
    }

    @Override
    public void install(ModuleInstaller installer) {
        // services are registered here as they land
    }
}
