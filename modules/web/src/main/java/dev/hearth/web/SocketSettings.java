package dev.hearth.web;

import java.util.Optional;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code services.socketio} section: Engine.IO timing and the per-connection memory bounds.
 *
 * @param pingIntervalMillis how often the server pings ({@code ping_interval_ms}, 25000)
 * @param pingTimeoutMillis how long a pong may take before the connection is closed ({@code ping_timeout_ms}, 20000)
 * @param maxPayload the largest message or HTTP body a client may send, in bytes ({@code max_payload}, 1000000)
 * @param upgradeTimeoutMillis how long a probed WebSocket may take to complete the upgrade ({@code upgrade_timeout_ms}, 10000)
 * @param connectTimeoutMillis how long a connection may stay without a namespace ({@code connect_timeout_ms}, 45000)
 * @param maxBufferedPackets packets waiting for a slow client before it is disconnected ({@code max_buffered_packets}, 1000)
 * @param maxBufferedBytes bytes waiting for a slow client before it is disconnected ({@code max_buffered_bytes}, 8000000)
 * @param maxQueuedMessages client messages waiting for their handlers before the client is disconnected
 *                          ({@code max_queued_messages}, 256)
 */
record SocketSettings(
        long pingIntervalMillis,
        long pingTimeoutMillis,
        int maxPayload,
        long upgradeTimeoutMillis,
        long connectTimeoutMillis,
        int maxBufferedPackets,
        long maxBufferedBytes,
        int maxQueuedMessages) {

    static final String SECTION = "services.socketio";

    static SocketSettings from(Config config) {
        return new SocketSettings(
                number(config, "ping_interval_ms", 25_000, 1, 3_600_000),
                number(config, "ping_timeout_ms", 20_000, 1, 3_600_000),
                (int) number(config, "max_payload", 1_000_000, 16, Integer.MAX_VALUE - 16),
                number(config, "upgrade_timeout_ms", 10_000, 1, 3_600_000),
                number(config, "connect_timeout_ms", 45_000, 1, 3_600_000),
                (int) number(config, "max_buffered_packets", 1000, 1, 1_000_000),
                number(config, "max_buffered_bytes", 8_000_000, 1024, Long.MAX_VALUE),
                (int) number(config, "max_queued_messages", 256, 1, 1_000_000));
    }

    private static long number(Config config, String name, long dflt, long min, long max) {
        String key = SECTION + "." + name;
        Optional<JsonNode> node = config.node(key);
        if (node.isEmpty() || node.get().isNull()) {
            return dflt;
        }
        JsonNode n = node.get();
        String expected = "a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max);
        long value;
        if (n.isIntegralNumber()) {
            value = n.longValue();
        } else if (n.isString() && n.asString().trim().matches("-?\\d{1,18}")) {
            value = Long.parseLong(n.asString().trim());
        } else {
            throw ConfigException.invalid(key, n.isString() ? n.asString() : n.toString(), expected);
        }
        if (value < min || value > max) {
            throw ConfigException.invalid(key, value, expected);
        }
        return value;
    }
}
