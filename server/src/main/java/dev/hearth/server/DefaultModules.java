package dev.hearth.server;

import java.util.List;

import dev.hearth.ai.AiModule;
import dev.hearth.apps.AppsModule;
import dev.hearth.core.CoreModule;
import dev.hearth.drivers.DriversModule;
import dev.hearth.fs.FilesystemModule;
import dev.hearth.kernel.Module;
import dev.hearth.hosting.HostingModule;
import dev.hearth.kv.KvModule;
import dev.hearth.storage.s3.S3StorageModule;
import dev.hearth.web.WebModule;

/**
 * The modules a Hearth server boots, in install order: lower layers first. (At shutdown every service drains
 * in this order before any shuts down in the reverse one, so in-flight requests finish while the services
 * they use are still open, whatever the order.)
 */
public final class DefaultModules {

    private DefaultModules() {}

    /** New instances of the default modules, in install order. */
    public static List<Module> create() {
        return List.of(new CoreModule(), new FilesystemModule(), new S3StorageModule(), new DriversModule(),
                new KvModule(), new AppsModule(), new HostingModule(), new AiModule(), new WebModule());
    }
}
