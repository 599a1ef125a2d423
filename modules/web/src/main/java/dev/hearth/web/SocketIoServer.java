package dev.hearth.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.EventBus;
import dev.hearth.kernel.EventMeta;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.kernel.Services;
import dev.hearth.kernel.Subscription;
import dev.hearth.web.spi.SocketAuthenticator;
import dev.hearth.web.spi.SocketFanout;
import dev.hearth.web.spi.SocketIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The {@code socketio} service: the Socket.IO v5 server over {@link EngineIoEndpoint}, its one namespace
 * {@code /}, authentication of {@code auth.auth_token} through the {@link SocketAuthenticator}, one room per
 * user (by numeric user id), the client messages of the contract and the {@code outer.gui.*} delivery.
 */
final class SocketIoServer implements Service, Sockets {

    private static final Logger log = LoggerFactory.getLogger(SocketIoServer.class);

    static final String AUTH_MISSING = "socket auth token missing";
    static final String AUTH_FAILED = "socket auth failed";
    static final String INVALID_NAMESPACE = "Invalid namespace";
    private static final String GUI_PREFIX = "outer.gui.";

    private final ServiceContext context;
    private final SocketSettings settings;
    private final EngineIoEndpoint endpoint;
    private final ConcurrentMap<String, ClientSocket> sockets = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, Set<ClientSocket>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<ClientEventHandler>> handlers = new ConcurrentHashMap<>();
    private volatile Optional<SocketFanout> fanout = Optional.empty();

    SocketIoServer(ServiceContext context) {
        this.context = context;
        this.settings = SocketSettings.from(context.config());
        this.endpoint = new EngineIoEndpoint(settings, session -> new SocketIoConnection(session, this, settings));
    }

    EngineIoEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void init() {
        EventBus events = context.events();
        events.on("outer.gui.*", this::deliverGuiEvent);
        onClientEvent("puter_is_actually_open", e -> events.emit("web.socket.user-connected",
                new UserSocket(e.socketId(), e.identity().userId(), e.identity().actor())));
        onClientEvent("trash.is_empty", this::relayTrashState);
        fanout = context.services().find(SocketFanout.class);
        fanout.ifPresent(f -> f.subscribe(this::deliverFromReplica));
    }

    @Override
    public void shutdown() {
        endpoint.stop();
    }

    // ---- Sockets

    @Override
    public void sendToUser(long userId, String event, Object payload) {
        JsonNode tree = tree(payload);
        deliverToUser(userId, event, tree);
        fanout.ifPresent(f -> f.publish(new SocketFanout.Delivery(SocketFanout.Target.USER, Long.toString(userId), event,
                Json.mapper().writeValueAsString(tree))));
    }

    @Override
    public void sendToSocket(String socketId, String event, Object payload) {
        JsonNode tree = tree(payload);
        ClientSocket s = sockets.get(socketId);
        if (s != null) {
            s.send(eventPacket(event, tree));
        } else {
            fanout.ifPresent(f -> f.publish(new SocketFanout.Delivery(SocketFanout.Target.SOCKET, socketId, event,
                    Json.mapper().writeValueAsString(tree))));
        }
    }

    @Override
    public CompletableFuture<List<JsonNode>> ask(String socketId, String event, Object payload, Duration timeout) {
        ClientSocket s = sockets.get(socketId);
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no socket " + socketId + " here"));
        }
        return s.ask(args(event, tree(payload))).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean hasUser(long userId) {
        Set<ClientSocket> room = rooms.get(userId);
        return room != null && !room.isEmpty();
    }

    @Override
    public boolean hasSocket(String socketId) {
        return sockets.containsKey(socketId);
    }

    @Override
    public int disconnectUser(long userId) {
        Set<ClientSocket> room = rooms.get(userId);
        return room == null ? 0 : disconnect(List.copyOf(room));
    }

    @Override
    public int disconnectWhere(Predicate<SocketIdentity> which) {
        return disconnect(sockets.values().stream().filter(s -> which.test(s.identity)).toList());
    }

    private int disconnect(List<ClientSocket> chosen) {
        int n = 0;
        for (ClientSocket s : chosen) {
            if (!sockets.containsKey(s.id)) {
                continue;
            }
            // DISCONNECT first, so that socket.io-client knows the server ended it ("io server disconnect") and
            // does not reconnect; then the socket leaves its room and the connection closes once that is written.
            s.send(SocketIoPacket.disconnect("/").encode());
            s.connection.disconnected(s);
            onDisconnect(s, "server namespace disconnect");
            s.connection.engine.closeAfterFlush("forced server close");
            n++;
        }
        return n;
    }

    @Override
    public Subscription onClientEvent(String event, ClientEventHandler handler) {
        List<ClientEventHandler> list = handlers.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>());
        list.add(handler);
        return () -> list.remove(handler);
    }

    // ---- delivery

    private void deliverGuiEvent(String key, Object data, EventMeta meta) {
        String event = key.substring(GUI_PREFIX.length());
        JsonNode tree = data instanceof JsonNode n ? n : Json.mapper().valueToTree(data);
        JsonNode users = tree == null ? null : tree.get("user_id_list");
        if (users == null || !users.isArray()) {
            log.warn("event {} has no user_id_list; not delivered", key);
            return;
        }
        JsonNode response = tree.get("response");
        for (JsonNode u : users) {
            Optional<Long> userId = userId(u);
            if (userId.isEmpty()) {
                log.warn("event {}: user id {} is not a number; skipped", key, u);
                continue;
            }
            sendToUser(userId.get(), event, response);
            context.events().emit("sent-to-user." + event, new SentToUser(userId.get(),
                    response == null ? JsonNodeFactory.instance.nullNode() : response, meta));
        }
    }

    private static Optional<Long> userId(JsonNode u) {
        if (u.isIntegralNumber()) {
            return Optional.of(u.longValue());
        }
        if (u.isString() && u.asString().matches("\\d{1,18}")) {
            return Optional.of(Long.parseLong(u.asString()));
        }
        return Optional.empty();
    }

    private void deliverFromReplica(SocketFanout.Delivery d) {
        JsonNode tree = Json.mapper().readTree(d.payloadJson());
        switch (d.target()) {
            case USER -> deliverToUser(Long.parseLong(d.address()), d.event(), tree);
            case SOCKET -> {
                ClientSocket s = sockets.get(d.address());
                if (s != null) {
                    s.send(eventPacket(d.event(), tree));
                }
            }
        }
    }

    private void deliverToUser(long userId, String event, JsonNode payload) {
        Set<ClientSocket> room = rooms.get(userId);
        if (room == null || room.isEmpty()) {
            return;
        }
        SocketIoPacket.Encoded encoded = eventPacket(event, payload);
        for (ClientSocket s : room) {
            s.send(encoded);
        }
    }

    private void relayTrashState(ClientEvent e) {
        Set<ClientSocket> room = rooms.get(e.identity().userId());
        if (room == null) {
            return;
        }
        ArrayNode args = JsonNodeFactory.instance.arrayNode().add("trash.is_empty");
        e.args().forEach(args::add);
        SocketIoPacket.Encoded encoded = SocketIoPacket.event("/", -1, args).encode();
        for (ClientSocket s : room) {
            if (!s.id.equals(e.socketId())) {
                s.send(encoded);
            }
        }
    }

    private static JsonNode tree(Object payload) {
        if (payload == null) {
            return null;
        }
        if (payload instanceof JsonNode n) {
            return n;
        }
        if (payload instanceof byte[] b) {
            return JsonNodeFactory.instance.binaryNode(b);
        }
        return Json.mapper().valueToTree(payload);
    }

    private static ArrayNode args(String event, JsonNode payload) {
        ArrayNode args = JsonNodeFactory.instance.arrayNode().add(event);
        if (payload != null && !payload.isMissingNode()) {
            args.add(payload);
        }
        return args;
    }

    private static SocketIoPacket.Encoded eventPacket(String event, JsonNode payload) {
        return SocketIoPacket.event("/", -1, args(event, payload)).encode();
    }

    // ---- the protocol, called by SocketIoConnection one packet at a time

    void onPacket(SocketIoConnection connection, SocketIoPacket packet) {
        ClientSocket socket = connection.socket();
        switch (packet.type()) {
            case SocketIoPacket.CONNECT -> connect(connection, packet);
            case SocketIoPacket.EVENT -> {
                if (socket != null && packet.namespace().equals("/")) {
                    onEvent(socket, packet);
                }
            }
            case SocketIoPacket.ACK -> {
                if (socket != null && packet.namespace().equals("/")) {
                    socket.onAck(packet);
                }
            }
            case SocketIoPacket.DISCONNECT -> {
                if (socket != null && packet.namespace().equals("/")) {
                    connection.disconnected(socket);
                    onDisconnect(socket, "client namespace disconnect");
                }
            }
            default -> connection.engine.close("parse error");
        }
    }

    private void connect(SocketIoConnection connection, SocketIoPacket packet) {
        if (!packet.namespace().equals("/")) {
            connection.send(SocketIoPacket.connectError(packet.namespace(), INVALID_NAMESPACE));
            return;
        }
        if (connection.socket() != null) {
            return; // already connected to "/"
        }
        Optional<String> token = token(packet.data());
        if (token.isEmpty()) {
            connection.send(SocketIoPacket.connectError("/", AUTH_MISSING));
            return;
        }
        Optional<SocketIdentity> identity = authenticate(token.get());
        if (identity.isEmpty()) {
            connection.send(SocketIoPacket.connectError("/", AUTH_FAILED));
            return;
        }
        ClientSocket socket = new ClientSocket(EngineIoEndpoint.randomId(), identity.get(), connection);
        sockets.put(socket.id, socket);
        connection.connected(socket);
        // The socket joins its room before CONNECT goes out, so that nothing sent after the client saw CONNECT is
        // missed; an event that overtakes CONNECT is buffered by socket.io-client until it connects.
        rooms.compute(socket.identity.userId(), (k, room) -> {
            Set<ClientSocket> r = room == null ? ConcurrentHashMap.newKeySet() : room;
            r.add(socket);
            return r;
        });
        connection.send(SocketIoPacket.connect("/", socket.id));
        if (connection.engine.isClosed()) {
            onDisconnect(socket, "transport close");
            return;
        }
        inContext(socket, () -> context.events().emit("web.socket.connected",
                new UserSocket(socket.id, socket.identity.userId(), socket.identity.actor())));
    }

    /** {@code auth.auth_token}, without a {@code Bearer } prefix; null, "null", "undefined" and "" are absent. */
    static Optional<String> token(JsonNode auth) {
        JsonNode t = auth == null ? null : auth.get("auth_token");
        if (t == null || !t.isString()) {
            return Optional.empty();
        }
        String token = t.asString().trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim();
        }
        if (token.isEmpty() || token.equals("null") || token.equals("undefined")) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    private Optional<SocketIdentity> authenticate(String token) {
        Services services = context.services();
        Optional<SocketAuthenticator> authenticator = services.find(SocketAuthenticator.class);
        if (authenticator.isEmpty()) {
            log.debug("socket.io: no socket authenticator is registered; refusing the connection");
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(authenticator.get().authenticate(token));
        } catch (ApiError e) {
            log.debug("socket.io: token refused: {}", e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            log.error("socket.io: the socket authenticator failed", e);
            return Optional.empty();
        }
    }

    void onDisconnect(ClientSocket socket, String reason) {
        boolean known = sockets.remove(socket.id, socket);
        // Always leave the room: a connection closing while it connects may get here before the socket joined.
        rooms.computeIfPresent(socket.identity.userId(), (k, room) -> {
            room.remove(socket);
            return room.isEmpty() ? null : room;
        });
        if (known) {
            socket.disconnected();
            log.debug("socket.io: socket {} of user {} disconnected ({})", socket.id, socket.identity.userId(), reason);
        }
    }

    private void onEvent(ClientSocket socket, SocketIoPacket packet) {
        JsonNode data = packet.data();
        String name = data.get(0).isString() ? data.get(0).asString() : data.get(0).asString("");
        List<JsonNode> args = new java.util.ArrayList<>();
        for (int i = 1; i < data.size(); i++) {
            args.add(data.get(i));
        }
        List<ClientEventHandler> list = handlers.get(name);
        Event event = new Event(socket, name, List.copyOf(args), packet.id());
        if (list == null || list.isEmpty()) {
            log.debug("socket.io: no handler for client event '{}'", name);
            return;
        }
        inContext(socket, () -> {
            for (ClientEventHandler h : list) {
                try {
                    h.handle(event);
                } catch (Exception e) {
                    log.error("socket.io: the handler of client event '{}' failed", name, e);
                }
            }
        });
    }

    private static void inContext(ClientSocket socket, Runnable op) {
        Context.create().withActor(socket.identity.actor()).withSocketId(socket.id).run(op);
    }

    /** A client event as handlers see it. */
    private static final class Event implements ClientEvent {
        private final ClientSocket socket;
        private final String name;
        private final List<JsonNode> args;
        private final long ackId;
        private final AtomicBoolean acked = new AtomicBoolean();

        Event(ClientSocket socket, String name, List<JsonNode> args, long ackId) {
            this.socket = socket;
            this.name = name;
            this.args = args;
            this.ackId = ackId;
        }

        @Override
        public String socketId() {
            return socket.id;
        }

        @Override
        public SocketIdentity identity() {
            return socket.identity;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<JsonNode> args() {
            return args;
        }

        @Override
        public boolean wantsAck() {
            return ackId >= 0;
        }

        @Override
        public void ack(Object... values) {
            if (ackId < 0 || !acked.compareAndSet(false, true)) {
                return;
            }
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (Object v : values) {
                JsonNode t = tree(v);
                array.add(t == null ? JsonNodeFactory.instance.nullNode() : t);
            }
            socket.connection.send(SocketIoPacket.ack("/", ackId, array));
        }
    }
}
