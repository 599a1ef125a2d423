package dev.hearth.web;

import java.util.List;

import dev.hearth.web.spi.SocketIdentity;
import tools.jackson.databind.JsonNode;

/** An event a socket.io client emitted, as {@link Sockets.ClientEventHandler}s see it. */
public interface ClientEvent {

    /** The id of the socket that emitted it. */
    String socketId();

    /** Who the socket belongs to. */
    SocketIdentity identity();

    /** The event name. */
    String name();

    /** The arguments after the name; binary attachments are binary nodes. */
    List<JsonNode> args();

    /** Whether the client asked for an acknowledgement. */
    boolean wantsAck();

    /** Acknowledges with {@code args} (once; later calls, and calls when no ack was asked for, do nothing). */
    void ack(Object... args);
}
