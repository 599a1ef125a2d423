package dev.hearth.web;

/** The {@code web-server} service: the HTTP server every {@link HttpService} contributes routes to. */
public interface WebServer {

    /** The port the server listens on; known from the activation phase on. */
    int port();

    /** The sites port of single-origin mode ({@link PublicUrls#sitesOrigin()}), if one is open; from activation on. */
    java.util.OptionalInt sitesPort();

    /** The public URLs of this instance (computed from the configuration and the actual port); from activation on. */
    PublicUrls urls();
}
