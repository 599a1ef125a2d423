package dev.hearth.kv;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The key-value module: the {@code puter-kvstore} service, which contributes its table's migrations, the
 * {@code puter-kvstore} driver, and deletes a user's items with the user. Install it after the drivers module.
 */
public final class KvModule implements Module {

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("puter-kvstore", KvStore::new);
    }
}
