package dev.hearth.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO layer of one Engine.IO session (socket.io's "client"): decodes packets, gathers binary
 * attachments, and hands complete packets to the {@link SocketIoServer} one at a time, in order, on a virtual
 * thread (so a slow handler never delays the heartbeat). Holds the socket of namespace {@code /} once connected.
 */
final class SocketIoConnection implements EngineSession.Listener {

    private static final Logger log = LoggerFactory.getLogger(SocketIoConnection.class);

    final EngineSession engine;
    private final SocketIoServer server;
    private final int maxQueued;
    private final ScheduledFuture<?> connectDeadline;

    // decoder state, guarded by itself
    private final Object decoder = new Object();
    private SocketIoPacket partial;
    private List<byte[]> buffers;
    private long bufferedBytes;
    private final long maxAttachmentBytes;

    // mailbox, guarded by itself
    private final ArrayDeque<SocketIoPacket> mailbox = new ArrayDeque<>();
    private boolean draining;

    private volatile ClientSocket socket;

    SocketIoConnection(EngineSession engine, SocketIoServer server, SocketSettings settings) {
        this.engine = engine;
        this.server = server;
        this.maxQueued = settings.maxQueuedMessages();
        // The attachments of one packet are held until the last arrives: bounded like the outgoing buffer.
        this.maxAttachmentBytes = settings.maxBufferedBytes();
        this.connectDeadline = engine.schedule(() -> {
            if (socket == null) {
                engine.close("connect timeout");
            }
        }, settings.connectTimeoutMillis());
    }

    ClientSocket socket() {
        return socket;
    }

    void connected(ClientSocket s) {
        socket = s;
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
    }

    void disconnected(ClientSocket s) {
        if (socket == s) {
            socket = null;
        }
    }

    @Override
    public void onMessage(EnginePacket packet) {
        SocketIoPacket complete = null;
        try {
            synchronized (decoder) {
                if (partial != null) {
                    if (!packet.isBinary()) {
                        throw new IllegalArgumentException("got text data while reconstructing a packet");
                    }
                    buffers.add(packet.binary());
                    bufferedBytes += packet.binary().length;
                    if (bufferedBytes > maxAttachmentBytes) {
                        throw new IllegalArgumentException("attachments larger than " + maxAttachmentBytes + " bytes");
                    }
                    if (buffers.size() == partial.attachments()) {
                        complete = partial.reconstruct(buffers);
                        partial = null;
                        buffers = null;
                    }
                } else if (packet.isBinary()) {
                    throw new IllegalArgumentException("got binary data when not reconstructing a packet");
                } else {
                    SocketIoPacket p = SocketIoPacket.decode(packet.text());
                    if (p.attachments() > 0) {
                        partial = p;
                        buffers = new ArrayList<>(p.attachments());
                        bufferedBytes = 0;
                    } else {
                        complete = p.type() == SocketIoPacket.BINARY_EVENT || p.type() == SocketIoPacket.BINARY_ACK
                                ? p.reconstruct(List.of()) : p;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            log.debug("socket.io {}: {}", engine.sid, e.getMessage());
            engine.close("parse error");
            return;
        }
        if (complete != null) {
            enqueue(complete);
        }
    }

    private void enqueue(SocketIoPacket packet) {
        synchronized (mailbox) {
            if (mailbox.size() >= maxQueued) {
                log.debug("socket.io {}: {} messages waiting for their handlers; disconnecting", engine.sid, maxQueued);
            } else {
                mailbox.add(packet);
                if (draining) {
                    return;
                }
                draining = true;
                Thread.ofVirtual().name("socket.io-" + engine.sid).start(this::drain);
                return;
            }
        }
        engine.close("transport error");
    }

    private void drain() {
        while (true) {
            SocketIoPacket next;
            synchronized (mailbox) {
                next = mailbox.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                server.onPacket(this, next);
            } catch (RuntimeException e) {
                log.error("socket.io {}: handling a packet failed", engine.sid, e);
            }
        }
    }

    /** Sends an encoded packet and its attachments as one unit. */
    boolean send(SocketIoPacket.Encoded encoded) {
        List<EnginePacket> packets = new ArrayList<>(1 + encoded.attachments().size());
        packets.add(EnginePacket.message(encoded.text()));
        for (byte[] a : encoded.attachments()) {
            packets.add(EnginePacket.binaryMessage(a));
        }
        return engine.send(packets);
    }

    boolean send(SocketIoPacket packet) {
        return send(packet.encode());
    }

    @Override
    public void onClose(String reason) {
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        synchronized (mailbox) {
            mailbox.clear();
        }
        ClientSocket s = socket;
        socket = null;
        if (s != null) {
            server.onDisconnect(s, reason);
        }
    }
}
