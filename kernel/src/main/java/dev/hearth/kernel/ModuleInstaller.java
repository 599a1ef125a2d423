package dev.hearth.kernel;

/** What a module sees while it installs: where to register its services, and the configuration. */
public interface ModuleInstaller {

    /**
     * Registers a service under a name. The factory runs in the construct phase, after every module has
     * installed; the service's configuration section is {@code services.<name>}. Names are unique.
     */
    <S extends Service> void register(String name, ServiceFactory<S> factory);

    /** The whole configuration, for modules that register services only when configured. */
    Config config();
}
