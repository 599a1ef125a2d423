package dev.hearth.kernel;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The request context: who acts, which request this is and which client socket caused it. It travels in a
 * {@link ScopedValue}, bound per request, per socket message and per background job. Work handed to another
 * thread carries it explicitly with {@link #carry(Runnable)} or {@link #carry(Callable)}.
 */
public final class Context {

    private static final ScopedValue<Context> CURRENT = ScopedValue.newInstance();

    private final String requestId;
    private final Actor actor;
    private final String socketId;

    private Context(String requestId, Actor actor, String socketId) {
        this.requestId = Objects.requireNonNull(requestId);
        this.actor = actor;
        this.socketId = socketId;
    }

    /** A fresh context with a new random request id, no actor and no socket. */
    public static Context create() {
        return new Context(UUID.randomUUID().toString(), null, null);
    }

    /** A fresh context with the given request id. */
    public static Context create(String requestId) {
        return new Context(requestId, null, null);
    }

    /** The context bound to this thread, if any. */
    public static Optional<Context> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    public String requestId() {
        return requestId;
    }

    public Optional<Actor> actor() {
        return Optional.ofNullable(actor);
    }

    /** The id of the client socket that caused this request, so that it can ignore the echo of its own change. */
    public Optional<String> socketId() {
        return Optional.ofNullable(socketId);
    }

    public Context withActor(Actor actor) {
        return new Context(requestId, Objects.requireNonNull(actor), socketId);
    }

    public Context withSocketId(String socketId) {
        return new Context(requestId, actor, socketId);
    }

    /** Runs {@code op} with this context bound. */
    public void run(Runnable op) {
        ScopedValue.where(CURRENT, this).run(op);
    }

    /** Calls {@code op} with this context bound. */
    public <T, X extends Throwable> T call(ScopedValue.CallableOp<T, X> op) throws X {
        return ScopedValue.where(CURRENT, this).call(op);
    }

    /** Wraps {@code op} so that it runs with the caller's current context (if any) on whatever thread runs it. */
    public static Runnable carry(Runnable op) {
        Optional<Context> captured = current();
        return captured.<Runnable>map(c -> () -> c.run(op)).orElse(op);
    }

    /** Wraps {@code op} so that it runs with the caller's current context (if any) on whatever thread calls it. */
    public static <T> Callable<T> carry(Callable<T> op) {
        Optional<Context> captured = current();
        return captured.<Callable<T>>map(c -> () -> c.call(op::call)).orElse(op);
    }

    @Override
    public String toString() {
        return "Context[request=" + requestId + (actor == null ? "" : ", actor=" + actor.uid())
                + (socketId == null ? "" : ", socket=" + socketId) + "]";
    }
}
