package dev.hearth.drivers;

import java.time.Clock;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The drivers module: the rate-limit counters and the metering hook (in-process unless another module provides
 * them: {@code services.rate-limit.backend} / {@code services.metering.backend} other than {@code memory}), the
 * monthly {@link Allowance} (read from the metering service, configured in {@code extensions.metering}), the
 * {@code drivers} registry and call pipeline, and its HTTP routes. Install it after core; modules that contribute
 * drivers ({@link spi.DriverProvider}) come after it.
 */
public final class DriversModule implements Module {

    @Override
    public String name() {
        return "drivers";
    }

    @Override
    public void install(ModuleInstaller installer) {
        if (installer.config().string("services.rate-limit.backend").orElse("memory").equals("memory")) {
            installer.register("rate-limit", context -> new InProcessRateLimits(Clock.systemUTC()));
        }
        if (installer.config().string("services.metering.backend").orElse("memory").equals("memory")) {
            installer.register("metering", context -> new InProcessMetering(Clock.systemUTC()));
        }
        installer.register("allowance", Allowance::new);
        installer.register("driver-files-fs", FilesystemFileResolver::new);
        installer.register("driver-files-web", WebFileResolver::new);
        installer.register("drivers", Drivers::new);
        installer.register("drivers-http", DriverRoutes::new);
    }
}
