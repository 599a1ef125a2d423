package dev.hearth.fs;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The filesystem module: the {@code filesystem} service, which also contributes the {@code fsentries} migrations,
 * {@code account-folders}, which keeps every account's home in step with the account, and
 * {@code filesystem-routes}, the HTTP API, and {@code sharing} with {@code share-routes}, {@code POST /share}. Install it after the
 * core module.
 */
public final class FilesystemModule implements Module {

    @Override
    public String name() {
        return "fs";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("filesystem", Filesystem::new);
        installer.register("account-folders", AccountFolders::new);
        installer.register("fs-permissions", FsPermissions::new);
        installer.register("filesystem-routes", FilesystemRoutes::new);
        installer.register("sharing", Sharing::new);
        installer.register("share-routes", ShareRoutes::new);
    }
}
