package dev.hearth.kernel;

/** A listener's registration on the {@link EventBus}; {@link #detach()} removes it. */
public interface Subscription extends AutoCloseable {

    void detach();

    @Override
    default void close() {
        detach();
    }
}
