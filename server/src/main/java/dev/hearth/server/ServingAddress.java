package dev.hearth.server;

import dev.hearth.kernel.Kernel;
import dev.hearth.web.WebServer;

/** Where a booted kernel serves. */
final class ServingAddress {

    private ServingAddress() {}

    /** The origin people open: the configured domain with the actual port (e.g. {@code http://127.0.0.1:4100}). */
    static String of(Kernel kernel) {
        return kernel.services().get(WebServer.class).urls().origin();
    }

    /** An address on the loopback interface that reaches the server from this machine, whatever the domain. */
    static String loopback(Kernel kernel) {
        return "http://127.0.0.1:" + kernel.services().get(WebServer.class).port();
    }
}
