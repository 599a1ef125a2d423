package dev.hearth.web.spi;

import dev.hearth.kernel.ApiError;

/**
 * Authenticates the token a socket.io client sends in its CONNECT packet ({@code auth.auth_token}, with any
 * {@code Bearer } prefix already stripped). The accounts module provides it; without one, every socket.io
 * connection is refused.
 */
@FunctionalInterface
public interface SocketAuthenticator {

    /**
     * The identity the token stands for.
     *
     * @throws ApiError when the token is not accepted (the client gets CONNECT_ERROR {@code socket auth failed})
     */
    SocketIdentity authenticate(String token) throws ApiError;
}
