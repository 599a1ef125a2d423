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
 * {@link #shutdown()} runs in the reverse registration order, for every service that was constructed.
 * Contributions to other services are interfaces that a service implements (for example the web module's
 * {@code HttpService}), found through {@link Services#all(Class)}.
 */
public interface Service {

    default void init() throws Exception {}

    default void consolidate() throws Exception {}

    default void activate() throws Exception {}

    default void ready() throws Exception {}

    default void shutdown() throws Exception {}
}
