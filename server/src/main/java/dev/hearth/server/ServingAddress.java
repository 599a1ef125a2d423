package dev.hearth.server;

import dev.hearth.kernel.Kernel;

/** The URL a booted kernel serves at. (Interim: until the web module lands, from the configuration.) */
final class ServingAddress {

    private ServingAddress() {}

    static String of(Kernel kernel) {
        return "http://" + kernel.config().string("host").orElse("127.0.0.1") + ":"
                + kernel.config().string("http_port").orElse("?");
    }
}
