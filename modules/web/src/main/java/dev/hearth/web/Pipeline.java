package dev.hearth.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;

/**
 * The request pipeline, in Puter's order (accounts spec 0.3, with the corrections): request id and
 * context → security and CORS headers → Host validation → {@code OPTIONS} → routing (JSON 404) → middleware
 * by stage → handler; any failure becomes an {@link ApiError} body, or a JSON 500 naming the request id.
 */
final class Pipeline extends org.eclipse.jetty.server.Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    static final String ALLOW_METHODS =
            "GET, POST, OPTIONS, PUT, PATCH, DELETE, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK";
    // Upstream's list plus Cache-Control and Pragma (2.6.3's fs.read sends both) and x-api-key.
    static final String ALLOW_HEADERS = "Origin, X-Requested-With, Content-Type, Accept, Authorization, "
            + "Cache-Control, Pragma, x-api-key, sentry-trace, baggage, Depth, Destination, Overwrite, If, "
            + "Lock-Token, DAV, stripe-signature";

    private final WebSettings settings;
    private final Routes routes;
    private final Supplier<Hosts> hosts;
    private volatile List<Middleware> chain = List.of();
    private volatile Optional<EngineIoEndpoint> socketIo = Optional.empty();
    /** The connector of the sites port, whose requests all go to hosted sites; null without one. */
    private volatile org.eclipse.jetty.server.Connector sitesConnector;

    Pipeline(WebSettings settings, Routes routes, Supplier<Hosts> hosts) {
        super(InvocationType.BLOCKING);
        this.settings = settings;
        this.routes = routes;
        this.hosts = hosts;
    }

    /** Takes the middleware once routes are complete, and socket.io's endpoint if there is one. */
    void seal(Optional<EngineIoEndpoint> socketIo) {
        routes.freeze();
        chain = routes.chain();
        this.socketIo = socketIo;
    }

    /** Marks the connector whose requests are for hosted sites, named by their first path segment. */
    void sitesConnector(org.eclipse.jetty.server.Connector connector) {
        this.sitesConnector = connector;
    }

    @Override
    public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
            Callback callback) {
        String requestId = UUID.randomUUID().toString();
        Context context = Context.create(requestId);
        long start = System.nanoTime();
        try {
            boolean taken = context.call(() -> serve(request, response, callback, requestId, context));
            if (!taken) {
                callback.succeeded();
            }
        } catch (Throwable t) {
            callback.failed(t);
        }
        if (log.isDebugEnabled()) {
            log.debug("request {} {} {} -> {} in {} ms", requestId, request.getMethod(), request.getHttpURI().getPath(),
                    response.getStatus(), (System.nanoTime() - start) / 1_000_000);
        }
        return true;
    }

    /** Returns true when a WebSocket upgrade took over the callback. */
    private boolean serve(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
            Callback callback, String requestId, Context context) throws Throwable {
        Hosts h = hosts.get();
        HttpFields headers = request.getHeaders();
        String peer = org.eclipse.jetty.server.Request.getRemoteAddr(request);
        boolean trusted = settings.trustedProxies().trusts(peer);
        String client = settings.trustedProxies().clientAddress(peer, headers.getValuesList("X-Forwarded-For"));
        String scheme = Optional.ofNullable(trusted ? headers.get("X-Forwarded-Proto") : null)
                .map(v -> v.split(",")[0].trim().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty())
                .orElse(request.isSecure() ? "https" : "http");
        String hostValue = Optional.ofNullable(trusted ? headers.get("X-Forwarded-Host") : null)
                .map(v -> v.split(",")[0].trim())
                // The Host header only: for a request without one Jetty makes up an authority from the local address.
                .or(() -> Optional.ofNullable(headers.get("Host")))
                .orElse("");
        String hostname = Hosts.hostname(hostValue);
        HostKind actual = h.classify(hostname);
        org.eclipse.jetty.server.Connector sites = sitesConnector;
        boolean siteInPath = sites != null && request.getConnectionMetaData().getConnector() == sites;
        if (siteInPath && actual != HostKind.INVALID && actual != HostKind.MISSING) {
            // Whatever accepted name it was reached by, the sites port serves sites only: never the API or the GUI.
            actual = HostKind.SITE;
        }
        String path = Optional.ofNullable(request.getHttpURI().getPath()).filter(p -> !p.isEmpty()).orElse("/");

        JettyResponse res = new JettyResponse(request, response);
        standardHeaders(request, response, actual, requestId);

        HostKind effective = actual;
        boolean exempt = routes.exemptFromHostCheck(path);
        if (actual == HostKind.MISSING) {
            if (!settings.allowNoHostHeader() && !exempt) {
                res.status(400).text("Missing Host header.");
                return false;
            }
            effective = siteInPath ? HostKind.SITE : settings.singleOrigin() ? HostKind.ORIGIN : HostKind.GUI;
        } else if (actual == HostKind.INVALID) {
            if (!exempt || siteInPath) {
                res.status(400).text("Invalid Host header.");
                return false;
            }
            effective = HostKind.ORIGIN;
        }

        if (socketIo.isPresent() && effective.in(HostScope.PLATFORM) && EngineIoEndpoint.matches(path)) {
            // socket.io speaks its own protocol (and its own errors), past routing and middleware.
            return socketIo.get().handle(request, response, callback);
        }
        JettyRequest req = new JettyRequest(request, settings, h, requestId, context, hostname, effective, scheme, client,
                siteInPath);
        try {
            dispatch(req, res, effective, path);
            res.finish();
        } catch (Throwable t) {
            fail(req, res, request, response, actual, t);
        }
        return false;
    }

    private void dispatch(JettyRequest req, JettyResponse res, HostKind host, String path) throws Exception {
        String method = req.method();
        if (method.equals("OPTIONS")) {
            // Preflights are answered before any authentication, on every path.
            res.status(200).text("");
            return;
        }
        Optional<Routes.Match> match = routes.find(host, method, path);
        if (match.isEmpty()) {
            res.error(ApiError.notFound());
            return;
        }
        req.matched(match.get());
        if (host == HostKind.SITE) {
            // Hosted sites are foreign content: the platform's middleware (authentication by cookie or token, and
            // what builds on it) never runs for them, so no API credential ever acts on a site's behalf.
            match.get().route().handler().handle(req, res);
            return;
        }
        proceed(0, req, res, match.get().route().handler());
    }

    private void proceed(int index, Request req, Response res, Handler handler) throws Exception {
        List<Middleware> all = chain;
        if (index == all.size()) {
            handler.handle(req, res);
            return;
        }
        all.get(index).handle(req, res, new Middleware.Chain() {
            @Override
            public void proceed() throws Exception {
                Pipeline.this.proceed(index + 1, req, res, handler);
            }

            @Override
            public void proceed(Context context) throws Exception {
                context.call(() -> {
                    Pipeline.this.proceed(index + 1, req, res, handler);
                    return null;
                });
            }
        });
    }

    private void fail(JettyRequest req, JettyResponse res, org.eclipse.jetty.server.Request request,
            org.eclipse.jetty.server.Response response, HostKind actual, Throwable t) throws Throwable {
        Optional<ApiError> api = apiError(t);
        if (api.isEmpty() && isClientGone(t)) {
            log.debug("request {} {} {}: the client went away", req.requestId(), req.method(), req.path());
            throw t;
        }
        if (api.isEmpty()) {
            log.error("request {} {} {} failed", req.requestId(), req.method(), req.path(), t);
        }
        if (!res.resetForError()) {
            // Too late for an error body: the status line is out. Failing the callback aborts the response.
            log.warn("request {}: failed after the response was committed; aborting it", req.requestId());
            throw t;
        }
        standardHeaders(request, response, actual, req.requestId());
        res.error(api.orElseGet(() -> ApiError.internal(req.requestId())));
    }

    private static Optional<ApiError> apiError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ApiError e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static boolean isClientGone(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EofException || c instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** The headers every response carries (examples.md 6.1), and CORS by host kind (accounts spec 6.5). */
    static void standardHeaders(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
            HostKind host, String requestId) {
        HttpFields.Mutable out = response.getHeaders();
        out.put("X-Content-Type-Options", "nosniff");
        out.put("Strict-Transport-Security", "max-age=15552000; includeSubDomains");
        out.put("X-Download-Options", "noopen");
        out.put("X-Permitted-Cross-Domain-Policies", "none");
        out.put("X-XSS-Protection", "0");
        out.put("X-Request-Id", requestId);

        Optional<String> origin = Optional.ofNullable(request.getHeaders().get("Origin"))
                .map(o -> o.split(",", 2)[0].trim()).filter(o -> !o.isEmpty());
        switch (host) {
            // Hosted sites are public content: anyone may read them, never with credentials.
            case SITE -> out.put("Access-Control-Allow-Origin", "*");
            // The main domain authenticates by cookie, so it never allows credentialed cross-origin reads.
            case GUI -> out.put("Access-Control-Allow-Origin", origin.orElse("*"));
            // The API reflects any origin with credentials: third-party pages using puter.js depend on it.
            default -> {
                if (origin.isPresent()) {
                    out.put("Access-Control-Allow-Origin", origin.get());
                    out.put("Access-Control-Allow-Credentials", "true");
                } else {
                    out.put("Access-Control-Allow-Origin", "*");
                }
            }
        }
        out.put("Vary", "Origin");
        out.put("Access-Control-Allow-Methods", ALLOW_METHODS);
        String requested = request.getHeaders().get("Access-Control-Request-Headers");
        out.put("Access-Control-Allow-Headers", requested == null || requested.isBlank() ? ALLOW_HEADERS
                : ALLOW_HEADERS + ", " + requested.trim());
        if ("OPTIONS".equalsIgnoreCase(request.getMethod())) {
            out.put("Access-Control-Allow-Private-Network", "true");
            out.put("Access-Control-Max-Age", "600");
        }
        out.put("Cross-Origin-Resource-Policy", "cross-origin");
        if (host != HostKind.SITE && host != HostKind.API && host != HostKind.OTHER) {
            out.put("X-Frame-Options", "SAMEORIGIN");
        }
    }

    /** Used for errors Jetty itself produces (malformed requests, shutdown rejections). */
    static final class JsonErrors extends org.eclipse.jetty.server.handler.ErrorHandler {

        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                Callback callback) {
            int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
            if (status < 400) {
                status = 500;
            }
            response.setStatus(status);
            // Browsers only show the body to the page if CORS allows it; no credentials outside the pipeline.
            String origin = request.getHeaders().get("Origin");
            response.getHeaders().put("Access-Control-Allow-Origin",
                    origin == null || origin.isBlank() ? "*" : origin.split(",", 2)[0].trim());
            response.getHeaders().put("Vary", "Origin");
            response.getHeaders().put("Content-Type", JettyResponse.JSON);
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            byte[] body = body(status);
            response.getHeaders().put("Content-Length", Long.toString(body.length));
            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
            return true;
        }

        private static byte[] body(int status) {
            ApiError error = switch (status) {
                case 404 -> ApiError.notFound();
                case 413 -> ApiError.of(413, "payload_too_large", "The request is too large.");
                case 431 -> ApiError.of(431, "request_header_fields_too_large", "The request headers are too large.");
                case 503 -> ApiError.unavailable("The server is shutting down.");
                default -> status >= 500 ? ApiError.of(status, "internal_error", "An internal error occurred.")
                        : ApiError.badRequest("Bad Request");
            };
            return dev.hearth.kernel.Json.mapper().writeValueAsBytes(error.body());
        }
    }
}
