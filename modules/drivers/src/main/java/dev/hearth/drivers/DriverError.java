package dev.hearth.drivers;

/**
 * A driver failure that clients see as a bare string in the error envelope,
 * {@code {"success":false,"error":"key is too large. Max size is 1024."}} (spec 1.6): upstream's errors that are not
 * APIErrors, whose exact texts clients and tests match. Errors with a code are {@link dev.hearth.kernel.ApiError}s.
 */
public final class DriverError extends RuntimeException {

    public DriverError(String message) {
        super(message, null, false, false);
    }
}
