package dev.hearth.storage.s3;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The S3 storage module: file content in any S3-compatible object store instead of the local disk. It registers
 * the {@code s3} service only when {@code services.s3.bucket} is set; without it the module is inert and the
 * filesystem keeps the local disk. Install it with the filesystem module (before or after: the filesystem looks
 * for a {@code BlobStore} in its {@code init}, after every service has been constructed).
 */
public final class S3StorageModule implements Module {

    @Override
    public String name() {
        return "storage-s3";
    }

    @Override
    public void install(ModuleInstaller installer) {
        if (installer.config().string("services.s3.bucket").filter(b -> !b.isBlank()).isPresent()) {
            installer.register("s3", S3BlobStore::new);
        }
    }
}
