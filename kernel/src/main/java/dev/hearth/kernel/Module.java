package dev.hearth.kernel;

/**
 * A bundle of services. A module only registers services at install time; everything else happens in the
 * services' boot phases, so that the order of work is the kernel's to decide, not the module's.
 *
 * <p>External modules are found with {@link java.util.ServiceLoader} in the jars of the data directory's
 * {@code mods/} folder: such a jar lists its implementation in
 * {@code META-INF/services/dev.hearth.kernel.Module}.
 *
 * <p>Import this type by name ({@code import dev.hearth.kernel.Module;}): with a wildcard import the name
 * clashes with {@code java.lang.Module}.
 */
public interface Module {

    /** The module's name, as operators see it (logs, {@code /lsmod}). */
    String name();

    /** Registers this module's services, in the order they should boot. */
    void install(ModuleInstaller installer);
}
