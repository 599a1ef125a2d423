package dev.hearth.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 connection, whatever carries it: long-polling, a WebSocket, or long-polling upgraded to a
 * WebSocket. It owns the outgoing buffer (bounded: a client that does not keep up is disconnected rather than
 * buffered for without end), the heartbeat (a ping every {@code pingInterval}; no pong within
 * {@code pingTimeout} closes the connection) and the upgrade ({@code 2probe} → {@code 3probe}, a no-op to
 * release the pending poll, then {@code 5}). Knows nothing of Jetty: a WebSocket is a {@link Link}.
 */
final class EngineSession {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);

    enum Transport { POLLING, WEBSOCKET }

    /** What the layer above (Socket.IO) is told. */
    interface Listener {
        /** A message packet, text or binary, in order. */
        void onMessage(EnginePacket packet);

        /** The connection is closed, for {@code reason}; called once. */
        void onClose(String reason);
    }

    /** A WebSocket, as far as this session is concerned. */
    interface Link {
        void sendText(String frame, Sent done);

        void sendBinary(byte[] data, Sent done);

        void close();

        @FunctionalInterface
        interface Sent {
            /** {@code failure} is null on success. */
            void done(Throwable failure);
        }
    }

    /** Thrown to a request that uses the session wrongly (the client gets Engine.IO's "Bad request"). */
    static final class Misuse extends Exception {
        Misuse(String message) {
            super(message, null, false, false);
        }
    }

    final String sid;
    private final SocketSettings settings;
    private final ScheduledExecutorService timers;
    private final Consumer<EngineSession> onClosed;
    private volatile Listener listener;

    private Transport transport;
    private Link webSocket;
    private Link probe;
    private boolean probed;
    private final ArrayDeque<EnginePacket> outbox = new ArrayDeque<>();
    private long outboxWeight;
    private boolean pollWaiting;
    private boolean writing;
    private boolean closed;
    private String closing; // set by closeAfterFlush: the reason to close with once the outbox is empty
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> pongDeadline;
    private ScheduledFuture<?> upgradeDeadline;

    EngineSession(String sid, Transport transport, Link webSocket, SocketSettings settings,
            ScheduledExecutorService timers, Consumer<EngineSession> onClosed) {
        this.sid = sid;
        this.transport = transport;
        this.webSocket = webSocket;
        this.settings = settings;
        this.timers = timers;
        this.onClosed = onClosed;
    }

    /** Sets the layer above; before {@link #start}. */
    void listener(Listener l) {
        this.listener = l;
    }

    /** The open packet's JSON. */
    String handshake() {
        return "{\"sid\":\"" + sid + "\",\"upgrades\":" + (transport == Transport.POLLING ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + settings.pingIntervalMillis() + ",\"pingTimeout\":"
                + settings.pingTimeoutMillis() + ",\"maxPayload\":" + settings.maxPayload() + "}";
    }

    /** Starts the heartbeat. */
    synchronized void start() {
        schedulePing();
    }

    synchronized Transport transport() {
        return transport;
    }

    /** Whether a long-polling GET is waiting for packets. */
    synchronized boolean pollWaiting() {
        return pollWaiting;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Runs {@code task} on a virtual thread after {@code millis}, unless the session closed by then. Returns null
     * once the server has stopped (nothing is scheduled then).
     */
    ScheduledFuture<?> schedule(Runnable task, long millis) {
        try {
            return timers.schedule(() -> Thread.ofVirtual().name("engine-io-timer").start(() -> {
                if (!isClosed()) {
                    task.run();
                }
            }), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    // ---- sending

    /** Queues packets as one unit (a Socket.IO packet and its attachments); false if the session is closed. */
    boolean send(List<EnginePacket> packets) {
        String overflow = null;
        synchronized (this) {
            if (closed) {
                return false;
            }
            long weight = 0;
            for (EnginePacket p : packets) {
                weight += p.weight();
            }
            if (outbox.size() + packets.size() > settings.maxBufferedPackets()
                    || outboxWeight + weight > settings.maxBufferedBytes()) {
                overflow = "the client does not keep up: " + outbox.size() + " packets, " + outboxWeight
                        + " bytes waiting";
            } else {
                outbox.addAll(packets);
                outboxWeight += weight;
                notifyAll();
            }
        }
        if (overflow != null) {
            log.debug("engine.io {}: {}", sid, overflow);
            close("transport error");
            return false;
        }
        flushWebSocket();
        return true;
    }

    boolean send(EnginePacket packet) {
        return send(List.of(packet));
    }

    /** Writes queued packets to the WebSocket, one frame at a time, when the WebSocket carries the session. */
    private void flushWebSocket() {
        EnginePacket next;
        Link link;
        synchronized (this) {
            if (closed || writing || transport != Transport.WEBSOCKET || outbox.isEmpty()) {
                return;
            }
            next = outbox.poll();
            outboxWeight -= next.weight();
            writing = true;
            link = webSocket;
        }
        Link.Sent done = failure -> {
            String closeNow;
            synchronized (this) {
                writing = false;
                closeNow = closing != null && outbox.isEmpty() ? closing : null;
            }
            if (failure != null) {
                log.debug("engine.io {}: write failed: {}", sid, failure.toString());
                close("transport error");
            } else if (closeNow != null) {
                close(closeNow);
            } else {
                flushWebSocket();
            }
        };
        if (next.isBinary()) {
            link.sendBinary(next.binary(), done);
        } else {
            link.sendText(next.frame(), done);
        }
    }

    // ---- long-polling

    /**
     * A long-polling GET: waits until packets are queued (or the session closes, or an upgrade wants the poll
     * released) and takes them all.
     */
    List<EnginePacket> poll() throws Misuse, InterruptedException {
        List<EnginePacket> taken;
        String closeNow;
        synchronized (this) {
            taken = waitAndTake();
            closeNow = taken != null && closing != null && outbox.isEmpty() ? closing : null;
        }
        if (closeNow != null) {
            // The packets taken are still answered to this poll: closing only ends the session afterwards.
            close(closeNow);
        }
        if (taken != null) {
            return taken;
        }
        // Two GETs at once: Engine.IO closes the session.
        close("transport error");
        throw new Misuse("overlapping polls");
    }

    /** The packets for a poll, or null when another poll is already waiting; called holding the lock. */
    private List<EnginePacket> waitAndTake() throws Misuse, InterruptedException {
        if (closed) {
            return List.of(EnginePacket.CLOSE_PACKET);
        }
        if (transport != Transport.POLLING) {
            throw new Misuse("the session has been upgraded");
        }
        if (pollWaiting) {
            return null;
        }
        pollWaiting = true;
        try {
            long deadline = System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(settings.pingIntervalMillis() + settings.pingTimeoutMillis());
            while (!closed && outbox.isEmpty() && !probed && transport == Transport.POLLING) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
        } finally {
            pollWaiting = false;
        }
        if (!outbox.isEmpty() && transport == Transport.POLLING) {
            List<EnginePacket> all = new ArrayList<>(outbox);
            outbox.clear();
            outboxWeight = 0;
            return all;
        }
        return List.of(closed ? EnginePacket.CLOSE_PACKET : EnginePacket.NOOP_PACKET);
    }

    /** A long-polling POST's packets. */
    void receivePolling(List<EnginePacket> packets) throws Misuse {
        synchronized (this) {
            if (!closed && transport != Transport.POLLING) {
                throw new Misuse("the session has been upgraded");
            }
        }
        for (EnginePacket p : packets) {
            receive(p);
        }
    }

    // ---- receiving

    /** A packet from the client, on whichever transport carries the session. */
    void receive(EnginePacket packet) {
        if (isClosed()) {
            return;
        }
        switch (packet.type()) {
            case EnginePacket.PONG -> {
                synchronized (this) {
                    if (pongDeadline != null) {
                        pongDeadline.cancel(false);
                        pongDeadline = null;
                        schedulePing();
                    }
                }
            }
            case EnginePacket.MESSAGE -> {
                Listener l = listener;
                if (l != null) {
                    l.onMessage(packet);
                }
            }
            case EnginePacket.CLOSE -> close("transport close");
            default -> log.debug("engine.io {}: ignoring {}", sid, packet);
        }
    }

    private void schedulePing() {
        // Called with the lock held.
        if (pingTask != null) {
            pingTask.cancel(false);
        }
        pingTask = schedule(() -> {
            synchronized (this) {
                if (pongDeadline != null) {
                    pongDeadline.cancel(false);
                }
                pongDeadline = schedule(() -> close("ping timeout"), settings.pingTimeoutMillis());
            }
            send(EnginePacket.PING_PACKET);
        }, settings.pingIntervalMillis());
    }

    // ---- upgrade

    /** A WebSocket asks to take over this polling session; false if it cannot. */
    synchronized boolean beginProbe(Link link) {
        if (closed || transport != Transport.POLLING || probe != null) {
            return false;
        }
        probe = link;
        upgradeDeadline = schedule(() -> abortProbe(link), settings.upgradeTimeoutMillis());
        return true;
    }

    /** The probe answered {@code 3probe}: release the waiting poll with a no-op so the client can upgrade. */
    synchronized void probed(Link link) {
        if (probe == link) {
            probed = true;
            notifyAll();
        }
    }

    /** The client sent {@code 5} on the probe: the WebSocket carries the session from now on. */
    boolean upgrade(Link link) {
        synchronized (this) {
            if (closed || probe != link || !probed) {
                return false;
            }
            transport = Transport.WEBSOCKET;
            webSocket = link;
            probe = null;
            probed = false;
            if (upgradeDeadline != null) {
                upgradeDeadline.cancel(false);
            }
            notifyAll();
        }
        flushWebSocket();
        return true;
    }

    /** The probing WebSocket closed before the upgrade. */
    synchronized void probeClosed(Link link) {
        if (probe == link) {
            probe = null;
            probed = false;
            if (upgradeDeadline != null) {
                upgradeDeadline.cancel(false);
            }
        }
    }

    private void abortProbe(Link link) {
        boolean abort;
        synchronized (this) {
            abort = probe == link;
        }
        if (abort) {
            probeClosed(link);
            link.close();
        }
    }

    /** A WebSocket closed or failed: if it carried the session, the session is over. */
    void transportClosed(Link link, String reason) {
        boolean carrier;
        synchronized (this) {
            carrier = webSocket == link && transport == Transport.WEBSOCKET;
        }
        if (carrier) {
            close(reason);
        } else {
            probeClosed(link);
        }
    }

    // ---- closing

    /**
     * Closes the session once what is queued has been written (a server-side disconnect: its DISCONNECT packet must
     * reach the client first), or after the ping timeout at the latest, for a client that stopped reading.
     */
    void closeAfterFlush(String reason) {
        boolean now;
        synchronized (this) {
            if (closed) {
                return;
            }
            closing = reason;
            now = outbox.isEmpty() && !writing;
        }
        if (now) {
            close(reason);
        } else {
            schedule(() -> close(reason), settings.pingTimeoutMillis());
        }
    }

    /** Closes the session: a waiting poll gets the close packet, WebSockets are closed. Idempotent. */
    void close(String reason) {
        Link ws;
        Link pr;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {pingTask, pongDeadline, upgradeDeadline}) {
                if (f != null) {
                    f.cancel(false);
                }
            }
            outbox.clear();
            outboxWeight = 0;
            ws = transport == Transport.WEBSOCKET ? webSocket : null;
            pr = probe;
            notifyAll();
        }
        log.debug("engine.io {}: closed ({})", sid, reason);
        if (ws != null) {
            ws.close();
        }
        if (pr != null) {
            pr.close();
        }
        onClosed.accept(this);
        Listener l = listener;
        if (l != null) {
            try {
                l.onClose(reason);
            } catch (RuntimeException e) {
                log.warn("engine.io {}: the close listener failed", sid, e);
            }
        }
    }
}
