package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine.IO v4 at {@code /socket.io/}: the handshake, long-polling {@code GET}/{@code POST}, WebSocket (direct and
 * by upgrade) through Jetty's WebSocket container, and the protocol's JSON errors. The web {@link Pipeline} hands
 * requests here after the Host check and the CORS and security headers.
 */
final class EngineIoEndpoint {

    private static final Logger log = LoggerFactory.getLogger(EngineIoEndpoint.class);

    static final String PATH = "/socket.io/";
    private static final String TEXT = "text/plain; charset=UTF-8";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Engine.IO's error codes and messages. */
    enum Failure {
        UNKNOWN_TRANSPORT(0, "Transport unknown", 400),
        UNKNOWN_SID(1, "Session ID unknown", 400),
        BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
        BAD_REQUEST(3, "Bad request", 400),
        FORBIDDEN(4, "Forbidden", 403),
        UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400);

        final int code;
        final String message;
        final int status;

        Failure(int code, String message, int status) {
            this.code = code;
            this.message = message;
            this.status = status;
        }
    }

    private final SocketSettings settings;
    private final Function<EngineSession, EngineSession.Listener> upper;
    private final ConcurrentMap<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private volatile ServerWebSocketContainer container;

    /** @param upper makes the layer above (Socket.IO) for each new session */
    EngineIoEndpoint(SocketSettings settings, Function<EngineSession, EngineSession.Listener> upper) {
        this.settings = settings;
        this.upper = upper;
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("engine-io-timers")
                .factory());
    }

    static boolean matches(String path) {
        return path.equals("/socket.io") || path.startsWith(PATH);
    }

    /** Adds Jetty's WebSocket container to {@code server}; before the server starts. */
    void attach(Server server) {
        ServerWebSocketContainer c = ServerWebSocketContainer.ensure(server);
        c.setMaxTextMessageSize(settings.maxPayload());
        c.setMaxBinaryMessageSize(settings.maxPayload());
        // Engine.IO's heartbeat closes dead connections; Jetty's idle timeout is only a backstop behind it.
        c.setIdleTimeout(Duration.ofMillis(2 * (settings.pingIntervalMillis() + settings.pingTimeoutMillis())));
        container = c;
    }

    /** Closes every session (at drain or shutdown): waiting polls return at once. */
    void closeAll() {
        for (EngineSession s : List.copyOf(sessions.values())) {
            s.close("server shutting down");
        }
    }

    void stop() {
        closeAll();
        timers.shutdownNow();
    }

    int sessionCount() {
        return sessions.size();
    }

    /**
     * Serves one request. Returns true when the WebSocket upgrade took over {@code callback}; otherwise the
     * response has been written and the caller completes the callback.
     */
    boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
            Callback callback) throws IOException {
        // Engine.IO's CORS: the origin reflected with credentials, on every host it answers on.
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !origin.isBlank()) {
            response.getHeaders().put("Access-Control-Allow-Origin", origin.split(",", 2)[0].trim());
            response.getHeaders().put("Access-Control-Allow-Credentials", "true");
        }
        response.getHeaders().put("Cache-Control", "no-store");
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            write(response, 204, TEXT, new byte[0]);
            return false;
        }
        Fields query = org.eclipse.jetty.server.Request.extractQueryParameters(request);
        if (!"4".equals(query.getValue("EIO"))) {
            return error(response, Failure.UNSUPPORTED_PROTOCOL_VERSION);
        }
        String transport = query.getValue("transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            return error(response, Failure.UNKNOWN_TRANSPORT);
        }
        String sid = query.getValue("sid");
        boolean webSocket = transport.equals("websocket");
        if (sid == null) {
            if (webSocket) {
                return upgrade(request, response, callback, null);
            }
            if (!method.equals("GET")) {
                return error(response, Failure.BAD_HANDSHAKE_METHOD);
            }
            EngineSession session = newSession(EngineSession.Transport.POLLING, null);
            write(response, 200, TEXT, EnginePacket.utf8(EnginePacket.OPEN + session.handshake()));
            session.start();
            return false;
        }
        EngineSession session = sessions.get(sid);
        if (session == null) {
            return error(response, Failure.UNKNOWN_SID);
        }
        if (webSocket) {
            if (session.transport() != EngineSession.Transport.POLLING || !method.equals("GET")) {
                return error(response, Failure.BAD_REQUEST);
            }
            return upgrade(request, response, callback, session);
        }
        if (session.transport() != EngineSession.Transport.POLLING) {
            return error(response, Failure.BAD_REQUEST);
        }
        try {
            switch (method) {
                case "GET" -> {
                    List<EnginePacket> packets = session.poll();
                    write(response, 200, TEXT, EnginePacket.utf8(EnginePacket.encodePayload(packets)));
                }
                case "POST" -> {
                    byte[] body = readBody(request, response, session);
                    if (body == null) {
                        return false;
                    }
                    List<EnginePacket> packets;
                    try {
                        packets = EnginePacket.decodePayload(new String(body, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        session.close("parse error");
                        return error(response, Failure.BAD_REQUEST);
                    }
                    session.receivePolling(packets);
                    write(response, 200, "text/html", "ok".getBytes(StandardCharsets.US_ASCII));
                }
                default -> {
                    return error(response, Failure.BAD_REQUEST);
                }
            }
        } catch (EngineSession.Misuse e) {
            log.debug("engine.io {}: {}", sid, e.getMessage());
            return error(response, Failure.BAD_REQUEST);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while polling", e);
        }
        return false;
    }

    /** The body of a polling POST, at most {@code maxPayload} bytes; null after answering 413 and closing. */
    private byte[] readBody(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
            EngineSession session) throws IOException {
        long declared = request.getLength();
        int limit = settings.maxPayload();
        if (declared > limit) {
            session.close("transport error");
            write(response, 413, TEXT, new byte[0]);
            return null;
        }
        try (InputStream in = org.eclipse.jetty.server.Request.asInputStream(request)) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                session.close("transport error");
                write(response, 413, TEXT, new byte[0]);
                return null;
            }
            return body;
        }
    }

    private boolean upgrade(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
            Callback callback, EngineSession upgrading) throws IOException {
        ServerWebSocketContainer c = container;
        if (c != null && request.getMethod().equals("GET")
                && c.upgrade((upgradeRequest, upgradeResponse, cb) -> {
                    // No permessage-deflate, as engine.io's default: each compressed connection holds a native zlib
                    // deflater and inflater, about 100 KiB of memory outside the heap (measured: bench/socket).
                    upgradeResponse.setExtensions(List.of());
                    return new EngineWebSocket.Listener(this, upgrading);
                }, request, response, callback)) {
            return true;
        }
        return error(response, Failure.BAD_REQUEST);
    }

    /** A WebSocket-only session, opened when its WebSocket opens; sends the open packet. */
    EngineSession openWebSocketSession(EngineWebSocket.Listener ws) {
        EngineSession session = newSession(EngineSession.Transport.WEBSOCKET, ws);
        session.send(EnginePacket.of(EnginePacket.OPEN, session.handshake()));
        session.start();
        return session;
    }

    private EngineSession newSession(EngineSession.Transport transport, EngineSession.Link ws) {
        String sid = randomId();
        EngineSession session = new EngineSession(sid, transport, ws, settings, timers, s -> sessions.remove(s.sid, s));
        sessions.put(sid, session);
        session.listener(upper.apply(session));
        return session;
    }

    /** 15 random bytes as 20 URL-safe characters, like Engine.IO's ids; unguessable. */
    static String randomId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean error(org.eclipse.jetty.server.Response response, Failure failure) throws IOException {
        String body = "{\"code\":" + failure.code + ",\"message\":\"" + failure.message + "\"}";
        write(response, failure.status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static void write(org.eclipse.jetty.server.Response response, int status, String contentType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(body), done);
            done.block();
        }
    }

    /** Whether session {@code sid} has a long-polling GET waiting. */
    boolean pollWaiting(String sid) {
        EngineSession s = sessions.get(sid);
        return s != null && s.pollWaiting();
    }
}
