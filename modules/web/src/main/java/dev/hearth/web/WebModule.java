package dev.hearth.web;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/** The web module: the HTTP server and everything every route shares. (Being built.) */
public final class WebModule implements Module {

    @Override
    public String name() {
        return "web";
    }

    @Override
    public void install(ModuleInstaller installer) {
        // services arrive with the web module's implementation
    }
}
