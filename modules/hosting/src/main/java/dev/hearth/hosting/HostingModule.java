package dev.hearth.hosting;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The hosting module: subdomains ({@code puter-subdomains}, the {@code es:subdomain} driver, the {@code subdomains}
 * table) and serving websites from users' folders ({@code puter-site}). Install it after the filesystem and drivers
 * modules.
 */
public final class HostingModule implements Module {

    @Override
    public String name() {
        return "hosting";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("puter-subdomains", Subdomains::new);
        installer.register("puter-site", SiteServer::new);
    }
}
