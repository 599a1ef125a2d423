package dev.hearth.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.Context;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.Sockets;
import dev.hearth.web.spi.SocketIdentity;
import tools.jackson.databind.JsonNode;

/**
 * The {@code account-sockets} service: what accounts tell the user's sockets.
 *
 * <ul>
 *   <li>{@value UserEvents#EMAIL_CONFIRMED} → {@code outer.gui.user.email_confirmed}
 *       {@code {original_client_socket_id}} (the socket id of the request's {@link Context}, when there is one) or
 *       {@code {}}; {@value UserEvents#EMAIL_CHANGED} → {@code outer.gui.user.email_changed} {@code {}}.</li>
 *   <li>Sockets whose session or access token is revoked, or whose user is deleted or suspended, are disconnected.
 *       {@link Sessions}, {@link AccessTokens#revoke}, {@link Users#setSuspended} and this service's
 *       {@value UserEvents#DELETED} listener emit {@value #DISCONNECT} {@code {user_id, session_uuids}} or
 *       {@code {user_id, access_token_uids}} (neither: every socket of the user); being an {@code outer.} event, it
 *       reaches every instance, and each disconnects the matching sockets connected to it.</li>
 * </ul>
 */
final class AccountSockets implements Service {

    /** Disconnect sockets: {@code {user_id, session_uuids?}}. */
    static final String DISCONNECT = "outer.socket.disconnect";

    private final ServiceContext context;
    private volatile Optional<Sockets> sockets = Optional.empty();

    AccountSockets(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        sockets = context.services().find(Sockets.class);
        context.events().on(UserEvents.EMAIL_CONFIRMED, (key, data, meta) -> {
            UserEvents.EmailConfirmed e = (UserEvents.EmailConfirmed) data;
            Map<String, Object> response = new LinkedHashMap<>();
            Context.current().flatMap(Context::socketId).ifPresent(id -> response.put("original_client_socket_id", id));
            context.events().emit("outer.gui.user.email_confirmed", gui(e.userId(), response));
        });
        context.events().on(UserEvents.EMAIL_CHANGED, (key, data, meta) -> context.events().emit(
                "outer.gui.user.email_changed", gui(((UserEvents.EmailConfirmed) data).userId(), Map.of())));
        context.events().on(UserEvents.DELETED, (key, data, meta) ->
                context.events().emit(DISCONNECT, Map.of("user_id", ((UserEvents.Deleted) data).userId())));
        context.events().on(DISCONNECT, (key, data, meta) -> disconnect(Json.mapper().valueToTree(data)));
    }

    /** The event that disconnects the sockets of these sessions of the user. */
    static Map<String, Object> sessionsRevoked(long userId, List<String> sessionUuids) {
        return Map.of("user_id", userId, "session_uuids", List.copyOf(sessionUuids));
    }

    /** The event that disconnects the sockets opened with these access tokens of the user. */
    static Map<String, Object> accessTokensRevoked(long userId, List<String> tokenUids) {
        return Map.of("user_id", userId, "access_token_uids", List.copyOf(tokenUids));
    }

    private void disconnect(JsonNode event) {
        if (sockets.isEmpty() || event == null || !event.path("user_id").canConvertToLong()) {
            return;
        }
        long userId = event.get("user_id").asLong();
        JsonNode tokens = event.get("access_token_uids");
        if (tokens != null && tokens.isArray()) {
            List<String> revoked = new ArrayList<>();
            tokens.forEach(t -> revoked.add(t.asString()));
            sockets.get().disconnectWhere(identity -> identity.userId() == userId
                    && identity.actor() instanceof AccessTokenActor a && revoked.contains(a.tokenUid()));
            return;
        }
        JsonNode uuids = event.get("session_uuids");
        if (uuids == null || !uuids.isArray()) {
            sockets.get().disconnectUser(userId);
            return;
        }
        List<String> revoked = new ArrayList<>();
        uuids.forEach(u -> revoked.add(u.asString()));
        sockets.get().disconnectWhere(identity -> identity.userId() == userId
                && session(identity).map(revoked::contains).orElse(false));
    }

    /** The login session a socket was authenticated under, if any. */
    static Optional<String> session(SocketIdentity identity) {
        return switch (identity.actor()) {
            case UserActor u -> u.session();
            case AppUnderUserActor a -> a.session();
            default -> Optional.empty();
        };
    }

    private static Map<String, Object> gui(long userId, Object response) {
        return Map.of("user_id_list", List.of(userId), "response", response);
    }
}
