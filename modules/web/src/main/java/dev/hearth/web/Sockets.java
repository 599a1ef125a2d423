package dev.hearth.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import dev.hearth.kernel.Subscription;
import dev.hearth.web.spi.SocketIdentity;
import tools.jackson.databind.JsonNode;

/**
 * The {@code socketio} service: real-time delivery to the socket.io clients connected at {@code /socket.io/}.
 * Every authenticated socket is in the room of its user, named by the numeric user id.
 *
 * <p>Application code does not usually call this: it emits {@code outer.gui.<event>} with
 * {@code {user_id_list, response}} on the event bus, and this service delivers socket event {@code <event>}
 * with {@code response} to each listed user's room (so that peers receive the change too).
 *
 * <p>Payloads are anything Hearth's JSON mapper writes; {@code byte[]} values travel as socket.io binary
 * attachments.
 */
public interface Sockets {

    /** Sends {@code event} to every socket of the user (here, and on other replicas through the fan-out). */
    void sendToUser(long userId, String event, Object payload);

    /** Sends {@code event} to one socket. */
    void sendToSocket(String socketId, String event, Object payload);

    /**
     * Sends {@code event} to one socket connected to this instance, asking for an acknowledgement: the future
     * completes with the arguments the client acknowledged with, or fails after {@code timeout} or when the
     * socket is not (or no longer) connected.
     */
    CompletableFuture<List<JsonNode>> ask(String socketId, String event, Object payload, Duration timeout);

    /** Whether a socket of this user is connected to this instance. */
    boolean hasUser(long userId);

    /** Whether the socket is connected to this instance. */
    boolean hasSocket(String socketId);

    /**
     * Disconnects the sockets of the user connected to this instance, as socket.io's server-side
     * {@code disconnect(true)} does: the client gets DISCONNECT (and does not reconnect by itself), then the
     * connection closes. Returns how many sockets were disconnected.
     *
     * <p>Only this instance's sockets: code that must reach every instance (a revoked session, a deleted user)
     * emits an {@code outer.} application event whose listener, on each instance, calls this.
     */
    int disconnectUser(long userId);

    /** Disconnects, as {@link #disconnectUser}, this instance's sockets whose identity matches. */
    int disconnectWhere(Predicate<SocketIdentity> which);

    /**
     * Handles the client event {@code event} from now on; several handlers of one event run in registration
     * order. Handlers run one message at a time per connection, with the socket's actor and id bound in the
     * {@link dev.hearth.kernel.Context}.
     */
    Subscription onClientEvent(String event, ClientEventHandler handler);

    /** Handles an event a client emitted. */
    @FunctionalInterface
    interface ClientEventHandler {
        void handle(ClientEvent event) throws Exception;
    }
}
