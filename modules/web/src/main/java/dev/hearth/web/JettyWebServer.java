package dev.hearth.web;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.HealthCheck;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code web-server} service: Jetty on virtual threads, one connector, the {@link Pipeline} behind a
 * {@link GracefulHandler}. Routes are collected in consolidation; the port opens in activation; {@link #drain()}
 * marks the server draining, stops accepting connections and waits for requests in flight.
 */
final class JettyWebServer implements Service, WebServer, HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(JettyWebServer.class);

    private final ServiceContext context;
    private final WebSettings settings;
    private final Routes routes = new Routes();
    private final Pipeline pipeline;
    private volatile Server server;
    private volatile ServerConnector connector;
    private volatile ServerConnector sitesConnector;
    private volatile GracefulHandler graceful;
    private volatile int port = -1;
    private volatile PublicUrls urls;
    private volatile Hosts hosts;
    private volatile boolean draining;
    private volatile Optional<EngineIoEndpoint> socketIo = Optional.empty();

    JettyWebServer(ServiceContext context) {
        this.context = context;
        this.settings = WebSettings.from(context.config());
        this.pipeline = new Pipeline(settings, routes, () -> hosts);
    }

    @Override
    public void consolidate() {
        Router router = routes.router();
        for (HttpService contributor : context.services().all(HttpService.class)) {
            contributor.routes(router);
        }
        socketIo = context.services().find(SocketIoServer.class).map(SocketIoServer::endpoint);
        pipeline.seal(socketIo);
    }

    @Override
    public void activate() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("hearth-http");
        // Jetty's own threads select and accept; every request runs on a virtual thread, where blocking is cheap.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server s = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(16 * 1024); // session cookies and JWTs add up
        ServerConnector c = open(s, http);
        s.addConnector(c);
        ServerConnector sites = null;
        if (settings.sitesPort() != WebSettings.OFF) {
            try {
                sites = openSites(s, http, c.getLocalPort());
            } catch (IOException e) {
                c.close();
                throw e;
            }
            s.addConnector(sites);
            pipeline.sitesConnector(sites);
        }
        GracefulHandler g = new GracefulHandler(pipeline);
        s.setHandler(g);
        socketIo.ifPresent(e -> e.attach(s));
        s.setErrorHandler(new Pipeline.JsonErrors());
        s.setStopTimeout(settings.drainMillis()); // used if the kernel shuts down without draining first
        s.setStopAtShutdown(false); // the server module turns SIGTERM into kernel.shutdown()
        urls = settings.urls(c.getLocalPort(), sites == null ? -1 : sites.getLocalPort());
        hosts = new Hosts(settings, urls);
        try {
            s.start();
        } catch (Exception e) {
            c.close();
            if (sites != null) {
                sites.close();
            }
            s.stop();
            throw e;
        }
        server = s;
        connector = c;
        sitesConnector = sites;
        graceful = g;
        port = c.getLocalPort();
        log.info("listening on {}:{}; origin {}, API {}", settings.bindHost(), c.getLocalPort(), urls.origin(),
                urls.apiBaseUrl());
        if (sites != null) {
            log.info("hosted sites on {}:{} ({}/<name>/)", settings.bindHost(), sites.getLocalPort(),
                    urls.sitesOrigin().orElse(""));
        }
    }

    /**
     * Binds the sites port: the configured one, or for {@code "auto"} the first free port above the API's (any free
     * port when the API's was chosen freely, as in tests).
     */
    private ServerConnector openSites(Server s, HttpConfiguration http, int apiPort) throws IOException {
        boolean auto = settings.sitesPort() == WebSettings.AUTO;
        int first = auto ? (settings.port() == 0 ? 0 : apiPort + 1) : settings.sitesPort();
        int last = auto && first != 0 ? Math.min(65535, first + WebSettings.SITES_AUTO_SPAN - 1) : first;
        IOException failure = null;
        for (int candidate = first; candidate <= last; candidate++) {
            ServerConnector c = new ServerConnector(s, new HttpConnectionFactory(http));
            c.setHost(settings.bindHost());
            c.setPort(candidate);
            c.setIdleTimeout(settings.idleTimeoutMillis());
            c.setName("sites");
            try {
                c.open();
                return c;
            } catch (IOException e) {
                failure = e;
                c.close();
            }
        }
        throw new IOException("cannot open the sites port (services.web-server.sites_port) on " + settings.bindHost()
                + ":" + first + (last > first ? "-" + last : "") + ": " + (failure == null ? "" : failure.getMessage()),
                failure);
    }

    /** Binds the configured port; for {@code "auto"}, the first free one of 4100–4119. */
    private ServerConnector open(Server s, HttpConfiguration http) throws IOException {
        int first = settings.port() == WebSettings.AUTO ? WebSettings.AUTO_FIRST : settings.port();
        int last = settings.port() == WebSettings.AUTO ? WebSettings.AUTO_LAST : settings.port();
        IOException failure = null;
        for (int candidate = first; candidate <= last; candidate++) {
            ServerConnector c = new ServerConnector(s, new HttpConnectionFactory(http));
            c.setHost(settings.bindHost());
            c.setPort(candidate);
            c.setIdleTimeout(settings.idleTimeoutMillis());
            try {
                c.open();
                return c;
            } catch (IOException e) {
                failure = e;
                c.close();
            }
        }
        throw new IOException(settings.port() == WebSettings.AUTO
                ? "no free port in " + WebSettings.AUTO_FIRST + "-" + WebSettings.AUTO_LAST + " on " + settings.bindHost()
                : "cannot listen on " + settings.bindHost() + ":" + settings.port() + ": "
                        + (failure == null ? "" : failure.getMessage()), failure);
    }

    @Override
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("the web server has no port before the activation phase");
        }
        return port;
    }

    @Override
    public java.util.OptionalInt sitesPort() {
        ServerConnector c = sitesConnector;
        return c == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(c.getLocalPort());
    }

    @Override
    public PublicUrls urls() {
        PublicUrls u = urls;
        if (u == null) {
            throw new IllegalStateException("the public URLs are known from the activation phase on");
        }
        return u;
    }

    boolean draining() {
        return draining;
    }

    /** For tests and the drain: from now on the health check answers 503. */
    void markDraining() {
        draining = true;
    }

    @Override
    public void drain() throws Exception {
        markDraining();
        Server s = server;
        if (s == null || !s.isRunning()) {
            return;
        }
        log.info("draining: no new connections, waiting up to {} ms for requests in flight", settings.drainMillis());
        // Close the listening socket first, so that new connections are refused at once (Jetty's own graceful
        // stop only stops accepting, which leaves new clients hanging in the backlog).
        connector.close();
        if (sitesConnector != null) {
            sitesConnector.close();
        }
        // socket.io sessions end now: their long polls would otherwise hold the drain for a ping interval.
        socketIo.ifPresent(EngineIoEndpoint::closeAll);
        try {
            graceful.shutdown().get(settings.drainMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("draining: {} requests still in flight after {} ms; aborting them",
                    graceful.getCurrentRequestCount(), settings.drainMillis());
        }
        s.setStopTimeout(0); // already drained: stop now
        s.stop();
    }

    @Override
    public void shutdown() throws Exception {
        markDraining();
        Server s = server;
        if (s != null && !s.isStopped()) {
            s.setStopTimeout(0);
            s.stop();
        }
    }

    @Override
    public String healthName() {
        return "web-server-listening";
    }

    @Override
    public void checkHealth() {
        ServerConnector c = connector;
        if (c == null || !c.isOpen()) {
            throw new IllegalStateException("the HTTP connector is not open");
        }
    }
}
