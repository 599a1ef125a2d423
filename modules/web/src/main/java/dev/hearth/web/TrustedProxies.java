package dev.hearth.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.hearth.kernel.ConfigException;

/**
 * The reverse proxies whose {@code X-Forwarded-*} headers are believed: IP addresses and CIDR blocks, IPv4 or
 * IPv6. Nobody else may say who the client is, or every IP-keyed limit could be dodged by rotating a header.
 */
final class TrustedProxies {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    static TrustedProxies parse(List<String> entries, String key) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.trim();
            int slash = text.indexOf('/');
            String ip = slash < 0 ? text : text.substring(0, slash);
            byte[] address = literal(ip).orElseThrow(() -> ConfigException.invalid(key, entry,
                    "IP addresses or CIDR blocks such as 10.0.0.0/8 or fd00::/8 (no host names)"));
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw ConfigException.invalid(key, entry, "a CIDR prefix length from 0 to " + address.length * 8);
                }
            }
            blocks.add(new Block(address, prefix));
        }
        return new TrustedProxies(blocks);
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    boolean trusts(String ip) {
        if (blocks.isEmpty()) {
            return false;
        }
        Optional<byte[]> address = literal(ip);
        return address.isPresent() && blocks.stream().anyMatch(b -> b.contains(address.get()));
    }

    /**
     * The client address for a request from {@code peer} carrying {@code forwardedFor} (every
     * {@code X-Forwarded-For} value, in order): walking the chain from the right, the first address that is not a
     * trusted proxy. A peer that is not trusted is the client itself.
     */
    String clientAddress(String peer, List<String> forwardedFor) {
        if (!trusts(peer)) {
            return peer;
        }
        List<String> chain = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String part : header.split(",")) {
                String hop = stripPort(part.trim());
                if (!hop.isEmpty()) {
                    chain.add(hop);
                }
            }
        }
        String client = peer;
        for (String hop : chain.reversed()) {
            if (literal(hop).isEmpty()) {
                break; // garbage (or "unknown"): stop at what we can still vouch for
            }
            client = hop;
            if (!trusts(hop)) {
                break;
            }
        }
        return client;
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    /** The bytes of an IP literal; never resolves names. */
    static Optional<byte[]> literal(String ip) {
        String s = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        if (s.isEmpty()) {
            return Optional.empty();
        }
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        if (v4) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            byte[] bytes = InetAddress.getByName(s).getAddress();
            // An IPv4-mapped IPv6 peer (::ffff:10.0.0.1) is the IPv4 address.
            return Optional.of(bytes);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
