package dev.hearth.web.spi;

import java.util.Objects;

import dev.hearth.kernel.Actor;

/**
 * Who a socket belongs to.
 *
 * @param actor the actor bound in the {@link dev.hearth.kernel.Context} while the socket's messages are handled
 * @param userId the numeric user id (the database {@code user.id}, not the UUID), which names the socket's room
 */
public record SocketIdentity(Actor actor, long userId) {

    public SocketIdentity {
        Objects.requireNonNull(actor, "actor");
    }
}
