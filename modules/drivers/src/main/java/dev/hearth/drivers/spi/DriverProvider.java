package dev.hearth.drivers.spi;

import java.util.List;

import dev.hearth.drivers.Driver;
import dev.hearth.drivers.InterfaceSpec;

/**
 * A service that contributes driver interfaces and implementations. The {@code drivers} registry collects every
 * provider's contributions during consolidation, in registration order; an interface may be declared by one module
 * and implemented by others. Both lists are read once.
 */
public interface DriverProvider {

    default List<InterfaceSpec> driverInterfaces() {
        return List.of();
    }

    default List<Driver> drivers() {
        return List.of();
    }
}
