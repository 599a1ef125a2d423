package dev.hearth.kernel;

import java.nio.file.Path;

/**
 * What a service is given when it is constructed.
 *
 * @param name the service's registration name; its configuration section is {@code services.<name>}
 * @param module the name of the module that registered it
 * @param config the whole configuration
 * @param services the registry, to be used from {@link Service#init()} on
 * @param events the application event bus, to be used from {@link Service#init()} on
 */
public record ServiceContext(String name, String module, Config config, Services services, EventBus events) {

    /** The data directory, where the service keeps its files. */
    public Path dataDir() {
        return config.dataDir();
    }

    /** Binds this service's section ({@code services.<name>}) to a settings record; see {@link Config#bind}. */
    public <T> T settings(Class<T> type) {
        return config.bind("services." + name, type);
    }
}
