package dev.hearth.kernel;

/**
 * A service that can tell whether it is healthy. {@code GET /healthcheck} asks every service that implements
 * this and lists the names of those that fail.
 */
public interface HealthCheck {

    /** The name that appears in the health report's {@code failed} list. */
    String healthName();

    /** Returns normally when healthy; throws, with a reason, when not. Must answer within a few seconds. */
    void checkHealth() throws Exception;
}
