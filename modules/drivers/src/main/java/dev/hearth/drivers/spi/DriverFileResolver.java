package dev.hearth.drivers.spi;

import java.util.Optional;

import dev.hearth.core.Actor;
import dev.hearth.drivers.DriverFile;

/**
 * Resolves a {@code file} argument given as a reference (an absolute or dot-relative path, {@code ~/...}, a file uid,
 * or a web URL) into a readable file, with the actor's permissions. The filesystem module is the natural provider;
 * without one, such arguments are {@code field_invalid}.
 */
public interface DriverFileResolver {

    /** The file, or empty if this resolver does not handle the reference; errors as {@code ApiError}. */
    Optional<DriverFile> resolve(Actor actor, String reference);
}
