package dev.hearth.kernel;

/** The kernel could not boot; the message names the service and the phase that failed. */
public final class BootException extends RuntimeException {

    private final String service;
    private final Phase phase;

    BootException(String service, Phase phase, Throwable cause) {
        super("service '" + service + "' failed during " + phase.label() + ": " + describe(cause), cause);
        this.service = service;
        this.phase = phase;
    }

    BootException(String message, Throwable cause) {
        super(message, cause);
        this.service = "";
        this.phase = Phase.INSTALL;
    }

    /** The name of the failing service; empty when no one service is at fault. */
    public String service() {
        return service;
    }

    public Phase phase() {
        return phase;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
