package dev.hearth.web;

import dev.hearth.kernel.Context;

/**
 * A step around every routed request (see {@link Stage}). It either answers the request itself (and does not
 * call the chain) or calls {@link Chain#proceed()}; to change the request context, for example to add the
 * actor after authentication, it calls {@link Chain#proceed(Context)}, which binds the new context for the
 * rest of the chain.
 */
@FunctionalInterface
public interface Middleware {

    void handle(Request req, Response res, Chain chain) throws Exception;

    /** The rest of the pipeline: later middleware, then the route's handler. */
    interface Chain {

        void proceed() throws Exception;

        /** Runs the rest of the pipeline with {@code context} bound as the current request context. */
        void proceed(Context context) throws Exception;
    }
}
