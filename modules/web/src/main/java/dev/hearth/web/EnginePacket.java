package dev.hearth.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An Engine.IO v4 packet: a type and either text or (for messages only) binary data. On WebSocket a text packet
 * is a text frame {@code <type><data>} and a binary message a binary frame of its bytes; on long-polling the
 * packets of one HTTP body are separated by the record separator {@code \x1e}, and a binary message is
 * {@code b<base64>}.
 */
record EnginePacket(char type, String text, byte[] binary) {

    static final char OPEN = '0';
    static final char CLOSE = '1';
    static final char PING = '2';
    static final char PONG = '3';
    static final char MESSAGE = '4';
    static final char UPGRADE = '5';
    static final char NOOP = '6';

    static final char SEPARATOR = '\u001e';

    static final EnginePacket NOOP_PACKET = new EnginePacket(NOOP, "", null);
    static final EnginePacket CLOSE_PACKET = new EnginePacket(CLOSE, "", null);
    static final EnginePacket PING_PACKET = new EnginePacket(PING, "", null);

    static EnginePacket of(char type, String text) {
        return new EnginePacket(type, text, null);
    }

    static EnginePacket message(String text) {
        return new EnginePacket(MESSAGE, text, null);
    }

    static EnginePacket binaryMessage(byte[] data) {
        return new EnginePacket(MESSAGE, null, data);
    }

    boolean isBinary() {
        return binary != null;
    }

    /** The memory it holds, roughly, for the outgoing buffer bounds. */
    long weight() {
        return 16 + (binary != null ? binary.length : 2L * text.length());
    }

    /** The WebSocket text frame of a text packet. */
    String frame() {
        return type + text;
    }

    /** As one packet of a long-polling body. */
    String encodeForPolling() {
        return binary != null ? "b" + Base64.getEncoder().encodeToString(binary) : frame();
    }

    /** A long-polling body of {@code packets}. */
    static String encodePayload(List<EnginePacket> packets) {
        StringBuilder out = new StringBuilder();
        for (EnginePacket p : packets) {
            if (!out.isEmpty()) {
                out.append(SEPARATOR);
            }
            out.append(p.encodeForPolling());
        }
        return out.toString();
    }

    /** The packets of a long-polling body. */
    static List<EnginePacket> decodePayload(String payload) {
        List<EnginePacket> packets = new ArrayList<>();
        int start = 0;
        while (start <= payload.length()) {
            int end = payload.indexOf(SEPARATOR, start);
            if (end < 0) {
                end = payload.length();
            }
            packets.add(decodePolling(payload.substring(start, end)));
            start = end + 1;
        }
        return packets;
    }

    private static EnginePacket decodePolling(String encoded) {
        if (encoded.startsWith("b")) {
            try {
                return binaryMessage(Base64.getDecoder().decode(encoded.substring(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad base64 in a binary packet");
            }
        }
        return decodeText(encoded);
    }

    /** A packet from a WebSocket text frame (or one polling packet). */
    static EnginePacket decodeText(String encoded) {
        if (encoded.isEmpty()) {
            throw new IllegalArgumentException("empty packet");
        }
        char type = encoded.charAt(0);
        if (type < OPEN || type > NOOP) {
            throw new IllegalArgumentException("unknown packet type '" + type + "'");
        }
        return of(type, encoded.substring(1));
    }

    @Override
    public String toString() {
        return binary != null ? "EnginePacket[binary " + binary.length + " bytes]"
                : "EnginePacket[" + type + abbreviate(text) + "]";
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
