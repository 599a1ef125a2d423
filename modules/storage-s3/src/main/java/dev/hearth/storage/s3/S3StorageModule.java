package dev.hearth.storage.s3;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The S3 storage module: file content in any S3-compatible object store instead of the local disk.
 */
public final class S3StorageModule implements Module {

    @Override
    public String name() {
        return "storage-s3";
    }

    @Override
    public void install(ModuleInstaller installer) {
        // services are registered here as they land
    }
}
