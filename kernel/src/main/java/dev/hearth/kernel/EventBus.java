package dev.hearth.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The application event bus: domain events with dotted keys ({@code fs.write.file}), listened to by exact key,
 * by prefix wildcard ({@code fs.*}, {@code fs.write.*}) or globally ({@code *}).
 *
 * <p>For the key {@code a.b.c} listeners run in this order: those on {@code a.*}, then {@code a.b.*}, then
 * {@code a.b.c}, then the global ones; within a selector, in subscription order. They run one after another
 * and {@link #emit} returns when all have finished, so an event object can serve as a hook that listeners
 * change. A listener that throws is reported and the others still run. A listener that does not finish within
 * the timeout is reported and left behind, so that no listener can block an emitter for ever.
 *
 * <p>Events under {@code outer.} cross instance boundaries: their data must be JSON-serialisable.
 */
public final class EventBus {

    private static final Pattern SELECTOR = Pattern.compile("\\*|[^.*\\s]+(\\.[^.*\\s]+)*(\\.\\*)?");

    private record Registration(String selector, EventListener listener) {}

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Duration listenerTimeout;
    private final BiConsumer<String, Throwable> onListenerFailure;

    /**
     * @param listenerTimeout how long one listener may take before the emitter stops waiting for it
     * @param onListenerFailure told the event key and the failure of a listener that threw or timed out
     */
    public EventBus(Duration listenerTimeout, BiConsumer<String, Throwable> onListenerFailure) {
        this.listenerTimeout = Objects.requireNonNull(listenerTimeout);
        this.onListenerFailure = Objects.requireNonNull(onListenerFailure);
    }

    /** Listens to {@code selector}: an exact key, a prefix ending in {@code .*}, or {@code *} for every event. */
    public Subscription on(String selector, EventListener listener) {
        if (!SELECTOR.matcher(selector).matches()) {
            throw new IllegalArgumentException("not an event selector: '" + selector
                    + "' (use a dotted key, a prefix ending in .*, or *)");
        }
        Registration r = new Registration(selector, Objects.requireNonNull(listener));
        registrations.add(r);
        return () -> registrations.remove(r);
    }

    /** Emits an event raised on this instance. */
    public void emit(String key, Object data) {
        emit(key, data, EventMeta.LOCAL);
    }

    /** Emits an event and returns once every matching listener has finished, failed or timed out. */
    public void emit(String key, Object data, EventMeta meta) {
        for (String selector : selectorsFor(key)) {
            for (Registration r : registrations) {
                if (r.selector().equals(selector)) {
                    deliver(r.listener(), key, data, meta);
                }
            }
        }
    }

    /** {@code a.b.c} → {@code a.*}, {@code a.b.*}, {@code a.b.c}, {@code *}. */
    static List<String> selectorsFor(String key) {
        List<String> selectors = new ArrayList<>();
        int dot = key.indexOf('.');
        while (dot >= 0) {
            selectors.add(key.substring(0, dot) + ".*");
            dot = key.indexOf('.', dot + 1);
        }
        selectors.add(key);
        selectors.add("*");
        return selectors;
    }

    private void deliver(EventListener listener, String key, Object data, EventMeta meta) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A virtual thread per delivery lets the emitter stop waiting for a stuck listener; the request
        // context is carried across explicitly, as everywhere work changes threads.
        Thread thread = Thread.ofVirtual().name("event:" + key).start(Context.carry(() -> {
            try {
                listener.onEvent(key, data, meta);
            } catch (Throwable t) {
                failure.set(t);
            }
        }));
        try {
            if (!thread.join(listenerTimeout)) {
                onListenerFailure.accept(key, new IllegalStateException(
                        "listener did not finish within " + listenerTimeout.toMillis() + " ms; no longer waiting for it"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (failure.get() != null) {
            onListenerFailure.accept(key, failure.get());
        }
    }
}
