package dev.hearth.server;

import java.util.List;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.Module;
import dev.hearth.web.WebModule;

/**
 * The modules a Hearth server boots, in install order. The kernel shuts down in the reverse order, so the
 * web module comes last: it stops accepting and drains in-flight requests first, while the database those
 * requests still need is open.
 */
public final class DefaultModules {

    private DefaultModules() {}

    /** New instances of the default modules, in install order. */
    public static List<Module> create() {
        return List.of(new CoreModule(), new WebModule());
    }
}
