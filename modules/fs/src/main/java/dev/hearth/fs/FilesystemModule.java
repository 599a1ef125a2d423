package dev.hearth.fs;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The filesystem module: the {@code filesystem} service, which also contributes the {@code fsentries} migrations,
 * {@code account-folders}, which keeps every account's home in step with the account, and
 * {@code filesystem-routes}, the HTTP API, and {@code sharing} with {@code share-routes}, {@code POST /share}, and {@code signed-writes} with
 * {@code signed-write-routes}, puter.js 2.6.3's signed uploads ({@code /fs/startBatchWrite} and the rest). Install it after the
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
        installer.register("signed-writes", SignedWrites::new);
        installer.register("signed-write-routes", SignedWriteRoutes::new);
        installer.register("fs-v2-routes", FsV2Routes::new);
    }
}
