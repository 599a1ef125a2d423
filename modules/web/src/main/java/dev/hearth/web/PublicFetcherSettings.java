package dev.hearth.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code services.public-fetcher} section.
 *
 * @param maxBytes the largest body fetched ({@code max_bytes}, 104857600: 100 MiB)
 * @param timeoutSeconds how long a fetch may wait for the server, for its headers and between reads
 *                       ({@code timeout_seconds}, 30)
 * @param maxRedirects redirects followed, each checked like the first URL ({@code max_redirects}, 5)
 * @param allow networks the operator opens to fetches although they are not public, in CIDR notation
 *              ({@code allow}, none), for example a file server on the private network
 */
record PublicFetcherSettings(long maxBytes, int timeoutSeconds, int maxRedirects, List<Network> allow) {

    static final String SECTION = "services.public-fetcher";

    static PublicFetcherSettings defaults() {
        return new PublicFetcherSettings(104_857_600L, 30, 5, List.of());
    }

    static PublicFetcherSettings from(Config config) {
        PublicFetcherSettings d = defaults();
        List<Network> allow = new ArrayList<>();
        Optional<JsonNode> list = config.node(SECTION + ".allow");
        if (list.isPresent() && !list.get().isNull()) {
            if (!list.get().isArray()) {
                throw ConfigException.invalid(SECTION + ".allow", list.get().toString(), "a list of networks such as [\"10.1.2.0/24\"]");
            }
            for (JsonNode n : list.get()) {
                allow.add(Network.parse(SECTION + ".allow", n.asString()));
            }
        }
        return new PublicFetcherSettings(
                number(config, "max_bytes", d.maxBytes(), 1),
                (int) Math.min(number(config, "timeout_seconds", d.timeoutSeconds(), 1), 3600),
                (int) Math.min(number(config, "max_redirects", d.maxRedirects(), 0), 20),
                List.copyOf(allow));
    }

    boolean allowed(InetAddress address) {
        return allow.stream().anyMatch(n -> n.contains(address));
    }

    private static long number(Config config, String name, long dflt, long min) {
        String key = SECTION + "." + name;
        Optional<JsonNode> node = config.node(key);
        if (node.isEmpty() || node.get().isNull()) {
            return dflt;
        }
        if (!node.get().isIntegralNumber() || node.get().longValue() < min) {
            throw ConfigException.invalid(key, node.get().toString(), "a whole number of at least " + min);
        }
        return node.get().longValue();
    }

    /** An address block: {@code 10.1.2.0/24}, {@code fd00::/8}, or a single address. */
    record Network(byte[] prefix, int bits) {

        static Network parse(String key, String text) {
            String[] parts = text.split("/", 2);
            try {
                if (!PublicAddresses.isLiteral(parts[0])) {
                    throw new UnknownHostException(parts[0]);
                }
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (bits < 0 || bits > address.length * 8) {
                    throw new NumberFormatException();
                }
                return new Network(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw ConfigException.invalid(key, text, "a network in CIDR notation, such as 10.1.2.0/24");
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
