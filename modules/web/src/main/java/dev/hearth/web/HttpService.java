package dev.hearth.web;

/**
 * A contribution to the web server: every service that implements this gets {@link #routes(Router)} called
 * once, during the consolidation phase, in registration order. The router knows nothing of its contributors.
 */
public interface HttpService {

    void routes(Router router);
}
