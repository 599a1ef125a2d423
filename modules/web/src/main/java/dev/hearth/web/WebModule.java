package dev.hearth.web;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The web module: the HTTP server ({@code web-server}, a {@link WebServer}), the health check
 * ({@code server-health}), the version endpoint ({@code puter-version}) and socket.io at {@code /socket.io/}
 * ({@code socketio}, the {@link Sockets} service) and outbound fetches that never reach the server's own networks
 * ({@code public-fetcher}, the {@link PublicFetcher}). Other modules contribute routes by
 * implementing {@link HttpService}.
 */
public final class WebModule implements Module {

    @Override
    public String name() {
        return "web";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("web-server", JettyWebServer::new);
        installer.register("server-health", ServerHealth::new);
        installer.register("puter-version", PuterVersion::new);
        installer.register("socketio", SocketIoServer::new);
        installer.register("public-fetcher", PublicFetcher::new);
    }
}
