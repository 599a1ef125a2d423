package dev.hearth.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.hearth.web.spi.SocketIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** An authenticated Socket.IO socket in namespace {@code /}: its id, its user, and the acks it waits for. */
final class ClientSocket {

    final String id;
    final SocketIdentity identity;
    final SocketIoConnection connection;
    private final AtomicLong nextAckId = new AtomicLong();
    private final ConcurrentMap<Long, CompletableFuture<List<JsonNode>>> acks = new ConcurrentHashMap<>();

    ClientSocket(String id, SocketIdentity identity, SocketIoConnection connection) {
        this.id = id;
        this.identity = identity;
        this.connection = connection;
    }

    boolean send(SocketIoPacket.Encoded encoded) {
        return connection.send(encoded);
    }

    /** Emits an event asking for an ack; the future completes with the ack's arguments. */
    CompletableFuture<List<JsonNode>> ask(ArrayNode args) {
        long ackId = nextAckId.getAndIncrement();
        CompletableFuture<List<JsonNode>> reply = new CompletableFuture<>();
        acks.put(ackId, reply);
        reply.whenComplete((r, t) -> acks.remove(ackId));
        if (!connection.send(SocketIoPacket.event("/", ackId, args))) {
            reply.completeExceptionally(new IllegalStateException("socket " + id + " is disconnected"));
        }
        return reply;
    }

    void onAck(SocketIoPacket packet) {
        CompletableFuture<List<JsonNode>> reply = acks.remove(packet.id());
        if (reply != null) {
            List<JsonNode> args = new ArrayList<>();
            packet.data().forEach(args::add);
            reply.complete(List.copyOf(args));
        }
    }

    void disconnected() {
        for (CompletableFuture<List<JsonNode>> reply : acks.values()) {
            reply.completeExceptionally(new IllegalStateException("socket " + id + " disconnected"));
        }
        acks.clear();
    }
}
