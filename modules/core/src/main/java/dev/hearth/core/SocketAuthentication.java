package dev.hearth.core;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.spi.SocketAuthenticator;
import dev.hearth.web.spi.SocketIdentity;

/**
 * Authenticates socket.io connections with the same tokens as HTTP (spec: real-time 5.2): session, GUI,
 * app-under-user and access tokens. The socket joins the room of the user it acts for, named by the numeric
 * user id. Legacy tokens (no {@code type}) are refused, as upstream does; so are site tokens, which act for no
 * user and so have no room to receive events in.
 */
final class SocketAuthentication implements Service, SocketAuthenticator {

    private final ServiceContext context;
    private Authenticator authenticator;

    SocketAuthentication(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        authenticator = context.services().get(Authenticator.class);
    }

    @Override
    public SocketIdentity authenticate(String token) {
        Actor actor = authenticator.authenticate(token);
        User user = actor.actingUser().orElseThrow(ApiError::tokenAuthFailed);
        return new SocketIdentity(actor, user.id());
    }
}
