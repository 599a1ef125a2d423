package dev.hearth.web.spi;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Carries socket deliveries to the other replicas of one cluster (a Redis implementation, later). Without one,
 * deliveries stay on this instance. Every delivery is handed to {@link #publish} after local delivery; what
 * another replica publishes comes back through the consumer given to {@link #subscribe}, to be delivered to the
 * sockets connected here. An implementation drops its own messages.
 */
public interface SocketFanout {

    /** Where a delivery goes: a user's room (by numeric user id) or one socket (by socket id). */
    enum Target {
        USER, SOCKET
    }

    /**
     * One socket event for other replicas.
     *
     * @param target a room or a socket
     * @param address the user id (decimal) or the socket id
     * @param event the socket event name
     * @param payloadJson the event's payload, as JSON
     */
    record Delivery(Target target, String address, String event, String payloadJson) {
        public Delivery {
            Objects.requireNonNull(target);
            Objects.requireNonNull(address);
            Objects.requireNonNull(event);
            Objects.requireNonNull(payloadJson);
        }
    }

    void publish(Delivery delivery);

    /** Called once, during initialisation, with the local delivery of what other replicas publish. */
    void subscribe(Consumer<Delivery> deliverHere);
}
