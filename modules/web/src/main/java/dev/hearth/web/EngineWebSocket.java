package dev.hearth.web;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Holder of {@link Listener}; not API. */
final class EngineWebSocket {

    private static final Logger log = LoggerFactory.getLogger(EngineWebSocket.class);

    private EngineWebSocket() {}

/**
 * The WebSocket transport of Engine.IO over Jetty: either a session of its own (opened without {@code sid}) or a
 * probe that takes over a polling session ({@code 2probe}, {@code 3probe}, {@code 5}). Public only because
 * Jetty looks its methods up with a public lookup; the package-private holder keeps it out of the API.
 */
public static final class Listener implements Session.Listener.AutoDemanding, EngineSession.Link {

    private final EngineIoEndpoint endpoint;
    private final EngineSession upgrading;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Session socket;
    private volatile EngineSession session;

    /** @param upgrading the polling session to take over, or null for a WebSocket-only session */
    Listener(EngineIoEndpoint endpoint, EngineSession upgrading) {
        this.endpoint = endpoint;
        this.upgrading = upgrading;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        socket = s;
        if (upgrading == null) {
            session = endpoint.openWebSocketSession(this);
        } else if (!upgrading.beginProbe(this)) {
            close();
        }
    }

    @Override
    public void onWebSocketText(String text) {
        EnginePacket packet;
        try {
            packet = EnginePacket.decodeText(text);
        } catch (IllegalArgumentException e) {
            log.debug("engine.io: bad WebSocket frame: {}", e.getMessage());
            fail("parse error");
            return;
        }
        EngineSession s = session;
        if (s == null && upgrading != null) {
            if (packet.type() == EnginePacket.PING && packet.text().equals("probe")) {
                sendText("3probe", failure -> {
                    if (failure == null) {
                        upgrading.probed(this);
                    }
                });
            } else if (packet.type() == EnginePacket.UPGRADE && upgrading.upgrade(this)) {
                session = upgrading;
            } else {
                close(); // anything else on a probe is a protocol error
            }
            return;
        }
        if (s != null) {
            s.receive(packet);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        callback.succeed();
        EngineSession s = session;
        if (s != null) {
            s.receive(EnginePacket.binaryMessage(data));
        } else {
            close();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        ended(statusCode == StatusCode.MESSAGE_TOO_LARGE ? "transport error" : "transport close");
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("engine.io: WebSocket error: {}", cause.toString());
        ended("transport error");
    }

    private void ended(String reason) {
        EngineSession s = session;
        if (s != null) {
            s.transportClosed(this, reason);
        } else if (upgrading != null) {
            upgrading.probeClosed(this);
        }
    }

    private void fail(String reason) {
        EngineSession s = session;
        if (s != null) {
            s.close(reason);
        } else {
            close();
        }
    }

    @Override
    public void sendText(String frame, Sent done) {
        Session s = socket;
        if (s == null || !s.isOpen()) {
            done.done(new java.nio.channels.ClosedChannelException());
            return;
        }
        s.sendText(frame, Callback.from(() -> done.done(null), done::done));
    }

    @Override
    public void sendBinary(byte[] data, Sent done) {
        Session s = socket;
        if (s == null || !s.isOpen()) {
            done.done(new java.nio.channels.ClosedChannelException());
            return;
        }
        s.sendBinary(ByteBuffer.wrap(data), Callback.from(() -> done.done(null), done::done));
    }

    @Override
    public void close() {
        Session s = socket;
        if (s != null && closing.compareAndSet(false, true)) {
            s.close(StatusCode.NORMAL, null, Callback.NOOP);
        }
    }
}
}
