package dev.hearth.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BinaryNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Socket.IO v5 packet, carried in one Engine.IO message: {@code <type>[<attachments>-][<nsp>,][<id>][<json>]}.
 * The namespace is written only when it is not {@code /}. Binary events and acks carry placeholders
 * {@code {"_placeholder":true,"num":n}} in their JSON, and their attachments follow as binary messages.
 *
 * @param id the acknowledgement id, or {@code -1}
 * @param data the JSON payload, or {@code null}
 * @param attachments the number of binary attachments that follow (binary types only)
 */
record SocketIoPacket(int type, String namespace, long id, JsonNode data, int attachments) {

    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int CONNECT_ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;

    /** More attachments than this in one packet is an abuse. */
    static final int MAX_ATTACHMENTS = 64;

    /** Event names a client must not receive from a server emit (socket.io-client handles them itself). */
    static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    /** An encoded packet: the text message, then the binary messages of its attachments. */
    record Encoded(String text, List<byte[]> attachments) {}

    static SocketIoPacket event(String namespace, long id, ArrayNode args) {
        return new SocketIoPacket(EVENT, namespace, id, args, 0);
    }

    static SocketIoPacket ack(String namespace, long id, ArrayNode args) {
        return new SocketIoPacket(ACK, namespace, id, args, 0);
    }

    static SocketIoPacket connect(String namespace, String socketId) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("sid", socketId);
        return new SocketIoPacket(CONNECT, namespace, -1, data, 0);
    }

    static SocketIoPacket connectError(String namespace, String message) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("message", message);
        return new SocketIoPacket(CONNECT_ERROR, namespace, -1, data, 0);
    }

    static SocketIoPacket disconnect(String namespace) {
        return new SocketIoPacket(DISCONNECT, namespace, -1, null, 0);
    }

    /**
     * Encodes this packet. An EVENT or ACK whose data holds binary nodes becomes a BINARY_EVENT or BINARY_ACK with
     * placeholders.
     */
    Encoded encode() {
        int t = type;
        JsonNode d = data;
        List<byte[]> buffers = new ArrayList<>();
        if ((t == EVENT || t == ACK) && d != null && hasBinary(d)) {
            d = deconstruct(d, buffers);
            t = t == EVENT ? BINARY_EVENT : BINARY_ACK;
        }
        StringBuilder out = new StringBuilder().append(t);
        if (t == BINARY_EVENT || t == BINARY_ACK) {
            out.append(buffers.size()).append('-');
        }
        if (!namespace.equals("/")) {
            out.append(namespace).append(',');
        }
        if (id >= 0) {
            out.append(id);
        }
        if (d != null) {
            out.append(Json.mapper().writeValueAsString(d));
        }
        return new Encoded(out.toString(), List.copyOf(buffers));
    }

    /** Decodes a text message; binary packets still await their {@link #attachments()}. */
    static SocketIoPacket decode(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty packet");
        }
        int i = 0;
        int type = text.charAt(i++) - '0';
        if (type < CONNECT || type > BINARY_ACK) {
            throw new IllegalArgumentException("unknown packet type");
        }
        int attachments = 0;
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 3 || !digits(text, i, dash)) {
                throw new IllegalArgumentException("illegal attachments");
            }
            attachments = Integer.parseInt(text.substring(i, dash));
            if (attachments > MAX_ATTACHMENTS) {
                throw new IllegalArgumentException("too many attachments");
            }
            i = dash + 1;
        }
        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        long id = -1;
        int start = i;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && i - start < 16) {
            i++;
        }
        if (i > start) {
            id = Long.parseLong(text.substring(start, i));
        }
        JsonNode data = null;
        if (i < text.length()) {
            try {
                data = Json.mapper().readTree(text.substring(i));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid payload");
            }
        }
        SocketIoPacket packet = new SocketIoPacket(type, namespace, id, data, attachments);
        if (!packet.payloadValid()) {
            throw new IllegalArgumentException("invalid payload");
        }
        return packet;
    }

    private boolean payloadValid() {
        return switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case CONNECT_ERROR -> data != null && (data.isObject() || data.isString());
            case EVENT, BINARY_EVENT -> data != null && data.isArray() && !data.isEmpty()
                    && (data.get(0).isNumber() || data.get(0).isString() && !RESERVED.contains(data.get(0).asString()));
            case ACK, BINARY_ACK -> data != null && data.isArray() && id >= 0;
            default -> false;
        };
    }

    /** This binary packet with its placeholders replaced by {@code buffers}, as its non-binary type. */
    SocketIoPacket reconstruct(List<byte[]> buffers) {
        JsonNode d = reconstruct(data, buffers);
        return new SocketIoPacket(type == BINARY_EVENT ? EVENT : type == BINARY_ACK ? ACK : type, namespace, id, d, 0);
    }

    private static JsonNode reconstruct(JsonNode node, List<byte[]> buffers) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            JsonNode placeholder = node.get("_placeholder");
            if (placeholder != null && placeholder.isBoolean() && placeholder.booleanValue()) {
                JsonNode num = node.get("num");
                if (num == null || !num.isIntegralNumber() || num.intValue() < 0 || num.intValue() >= buffers.size()) {
                    throw new IllegalArgumentException("illegal attachments");
                }
                return BinaryNode.valueOf(buffers.get(num.intValue()));
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (var field : node.properties()) {
                copy.set(field.getKey(), reconstruct(field.getValue(), buffers));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : node) {
                copy.add(reconstruct(item, buffers));
            }
            return copy;
        }
        return node;
    }

    private static boolean hasBinary(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        if (node.isContainer()) {
            for (JsonNode child : node.values()) {
                if (hasBinary(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode deconstruct(JsonNode node, List<byte[]> buffers) {
        if (node.isBinary()) {
            ObjectNode placeholder = JsonNodeFactory.instance.objectNode().put("_placeholder", true)
                    .put("num", buffers.size());
            buffers.add(node.binaryValue());
            return placeholder;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (var field : node.properties()) {
                copy.set(field.getKey(), deconstruct(field.getValue(), buffers));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : node) {
                copy.add(deconstruct(item, buffers));
            }
            return copy;
        }
        return node;
    }

    private static boolean digits(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!Character.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }
}
