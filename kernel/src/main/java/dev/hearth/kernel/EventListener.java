package dev.hearth.kernel;

/**
 * Receives application events. The data object may be mutable: hook events (for example a policy a listener
 * may change) are read back by the emitter after every listener has run.
 */
@FunctionalInterface
public interface EventListener {
    void onEvent(String key, Object data, EventMeta meta) throws Exception;
}
