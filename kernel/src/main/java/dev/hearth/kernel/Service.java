package dev.hearth.kernel;

/**
 * A unit of functionality with a lifecycle. The kernel takes every service through each phase, in
 * registration order, and finishes a phase for all of them before it starts the next:
 *
 * <ol>
 *   <li><b>construct</b>: the {@link ServiceFactory} runs; fields only.</li>
 *   <li>{@link #init()}: look up collaborators, subscribe to events, register contributions.</li>
 *   <li>{@link #consolidate()}: coordinated set-up (routes are collected, migrations run).</li>
 *   <li>{@link #activate()}: listeners open (HTTP starts accepting).</li>
 *   <li>{@link #ready()}: background work starts.</li>
 * </ol>
 *
 * When the kernel shuts down, {@link #drain()} runs first, in registration order, for every service that was
 * constructed; then {@link #shutdown()} runs in the reverse registration order. Draining first lets the web
 * server (registered early, so shut down late) finish the requests in flight while the services they use
 * (registered later, so shut down earlier) still work.
 * Contributions to other services are interfaces that a service implements (for example the web module's
 * {@code HttpService}), found through {@link Services#all(Class)}.
 */
public interface Service {

    default void init() throws Exception {}

    default void consolidate() throws Exception {}

    default void activate() throws Exception {}

    default void ready() throws Exception {}

    /** Stops taking new work and lets work in flight finish (bounded by the service's own timeout). */
    default void drain() throws Exception {}

    default void shutdown() throws Exception {}
}
