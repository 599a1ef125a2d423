/**
 * Hearth's drivers: the registry of driver interfaces ({@link dev.hearth.drivers.InterfaceSpec}) and their
 * implementations ({@link dev.hearth.drivers.Driver}), contributed by any module's services through
 * {@link dev.hearth.drivers.spi.DriverProvider}; the call pipeline ({@link dev.hearth.drivers.Drivers}) with Puter's
 * argument types, permission {@code service:<impl>:ii:<iface>} and rate-limit policies; {@code POST /drivers/call}
 * with its envelopes; the rate-limit and metering hooks ({@link dev.hearth.drivers.RateLimits},
 * {@link dev.hearth.drivers.Metering}) and the one monthly allowance of every paid service
 * ({@link dev.hearth.drivers.Allowance}, {@code GET /metering/usage}).
 */
package dev.hearth.drivers;
