package dev.hearth.web;

/**
 * Where a {@link Middleware} runs. Middleware runs only for requests that matched a route; the stages run in
 * this order, and middleware within a stage in registration order. Before every stage the web module has
 * already bound the request context, validated the Host, set the CORS and security headers and answered
 * {@code OPTIONS}.
 */
public enum Stage {
    /** Before authentication: request logging, IP checks, cookie synchronisation. */
    EARLY,
    /** Finds the actor (tokens, cookies) and binds it into the request {@link dev.hearth.kernel.Context}. */
    AUTH,
    /** Rate limits, which may key on the actor found by {@link #AUTH}. */
    RATE_LIMIT,
    /** Just before the handler. */
    LATE
}
