package dev.hearth.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * The web module's configuration: Puter's top-level keys, plus the {@code services.web-server} section. Read
 * and validated once, at construction, so that a bad value fails the boot with a message naming its key.
 *
 * @param port {@code -1} for {@code "auto"} (the first free port of 4100–4119), {@code 0} for any free port,
 *             else the port
 */
record WebSettings(
        String bindHost,
        int port,
        OptionalInt pubPort,
        String protocol,
        String domain,
        boolean singleOrigin,
        Optional<String> origin,
        Optional<String> apiBaseUrl,
        Optional<String> staticHostingDomain,
        Optional<String> staticHostingDomainAlt,
        Optional<String> privateAppHostingDomain,
        Optional<String> privateAppHostingDomainAlt,
        boolean allowAllHosts,
        boolean allowNoHostHeader,
        List<String> allowedHosts,
        TrustedProxies trustedProxies,
        long drainMillis,
        long maxJsonBytes,
        long maxBodyBytes,
        long idleTimeoutMillis,
        int sitesPort,
        Optional<String> sitesOrigin) {

    static final int AUTO = -1;
    /** {@code services.web-server.sites_port: "off"}: no sites port. */
    static final int OFF = -2;
    /** How many ports above the API's "auto" looks at for the sites port. */
    static final int SITES_AUTO_SPAN = 20;
    static final int AUTO_FIRST = 4100;
    static final int AUTO_LAST = 4119;

    static WebSettings from(Config config) {
        String section = "services.web-server";
        long maxFileSize = longValue(config, "max_file_size", 100_000_000_000L, 0);
        return new WebSettings(
                config.string("host").filter(s -> !s.isBlank()).orElse("127.0.0.1"),
                port(config),
                config.node("pub_port").isPresent() ? OptionalInt.of((int) longValue(config, "pub_port", 0, 1, 65535))
                        : OptionalInt.empty(),
                protocol(config),
                config.string("domain").map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty())
                        .orElse("127.0.0.1"),
                // Single origin unless switched off: Hearth's default, so that an install needs no DNS set-up.
                config.node("experimental_no_subdomain").isEmpty() || config.flag("experimental_no_subdomain"),
                text(config, "origin"),
                text(config, "api_base_url"),
                text(config, "static_hosting_domain"),
                text(config, "static_hosting_domain_alt"),
                text(config, "private_app_hosting_domain"),
                text(config, "private_app_hosting_domain_alt"),
                config.flag("allow_all_host_values"),
                config.flag("allow_no_host_header"),
                strings(config, "allowed_hosts").stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(),
                TrustedProxies.parse(strings(config, "trusted_proxies"), "trusted_proxies"),
                longValue(config, "shutdown.drain_seconds", 15, 0, 3600) * 1000,
                longValue(config, section + ".max_json_bytes", 50L * 1024 * 1024, 1),
                longValue(config, section + ".max_body_bytes", maxFileSize, 1),
                // Long enough for a slow AI stream between chunks; Puter keeps connections 5 min + 15 s.
                longValue(config, section + ".idle_timeout_seconds", 315, 1) * 1000,
                sitesPort(config, section + ".sites_port"),
                text(config, section + ".sites_origin").map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o));
    }

    /**
     * The port hosted sites are served on in single-origin mode, so that their scripts never share the API's origin:
     * {@code "auto"} (the default: the first free port above the API's; any free port when the API's is 0), a port,
     * 0 (any free port), or {@code "off"} / {@code false} (sites only on their own host names). In subdomain mode
     * sites have their own hosts and the default is off.
     */
    private static int sitesPort(Config config, String key) {
        Optional<JsonNode> node = config.node(key);
        boolean single = config.node("experimental_no_subdomain").isEmpty() || config.flag("experimental_no_subdomain");
        if (node.isEmpty() || node.get().isString() && node.get().asString().equalsIgnoreCase("auto")) {
            return single ? AUTO : OFF;
        }
        JsonNode n = node.get();
        if (n.isBoolean() && !n.asBoolean() || n.isString() && (n.asString().equalsIgnoreCase("off")
                || n.asString().equalsIgnoreCase("false"))) {
            return OFF;
        }
        if (n.isBoolean()) {
            return single ? AUTO : OFF;
        }
        return (int) longValue(config, key, AUTO, 0, 65535);
    }

    private static int port(Config config) {
        Optional<JsonNode> node = config.node("http_port");
        if (node.isEmpty() || node.get().isString() && node.get().asString().equalsIgnoreCase("auto")) {
            return AUTO;
        }
        return (int) longValue(config, "http_port", AUTO, 0, 65535);
    }

    private static String protocol(Config config) {
        String protocol = config.string("protocol").orElse("http").toLowerCase(Locale.ROOT);
        if (!protocol.equals("http") && !protocol.equals("https")) {
            throw ConfigException.invalid("protocol", protocol, "\"http\" or \"https\"");
        }
        return protocol;
    }

    private static Optional<String> text(Config config, String key) {
        return config.string(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static List<String> strings(Config config, String key) {
        Optional<JsonNode> node = config.node(key);
        if (node.isEmpty()) {
            return List.of();
        }
        JsonNode n = node.get();
        List<String> out = new ArrayList<>();
        if (n.isString()) {
            // A comma-separated string, as an environment variable gives it.
            for (String part : n.asString().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        if (!n.isArray()) {
            throw ConfigException.invalid(key, n.toString(), "a list of strings");
        }
        for (JsonNode item : n) {
            if (!item.isString() || item.asString().isBlank()) {
                throw ConfigException.invalid(key, n.toString(), "a list of non-empty strings");
            }
            out.add(item.asString().trim());
        }
        return out;
    }

    private static long longValue(Config config, String key, long dflt, long min) {
        return longValue(config, key, dflt, min, Long.MAX_VALUE);
    }

    private static long longValue(Config config, String key, long dflt, long min, long max) {
        Optional<JsonNode> node = config.node(key);
        if (node.isEmpty()) {
            return dflt;
        }
        JsonNode n = node.get();
        long value;
        if (n.isIntegralNumber()) {
            value = n.longValue();
        } else if (n.isString() && n.asString().trim().matches("-?\\d+")) {
            value = Long.parseLong(n.asString().trim());
        } else {
            throw ConfigException.invalid(key, n.isString() ? n.asString() : n.toString(),
                    "a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
        }
        if (value < min || value > max) {
            throw ConfigException.invalid(key, value,
                    "a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
        }
        return value;
    }

    /** The public URLs once the actual port is known. */
    PublicUrls urls(int actualPort) {
        return urls(actualPort, -1);
    }

    /** The public URLs once the actual ports are known; {@code actualSitesPort} negative when there is none. */
    PublicUrls urls(int actualPort, int actualSitesPort) {
        int pub = pubPort.orElse(actualPort);
        String suffix = PublicUrls.portSuffix(pub);
        String originUrl = origin.orElse(protocol + "://" + domain + suffix);
        String api = apiBaseUrl.orElse(singleOrigin ? originUrl : protocol + "://api." + domain + suffix);
        Optional<String> sites = sitesOrigin.or(() -> actualSitesPort < 0 ? Optional.empty()
                : Optional.of(protocol + "://" + domain + PublicUrls.portSuffix(actualSitesPort)));
        return new PublicUrls(protocol, domain, pub, singleOrigin, originUrl, api,
                staticHostingDomain.orElse("site." + domain + suffix),
                staticHostingDomainAlt.orElse("site." + domain),
                privateAppHostingDomain.orElse("app." + domain + suffix),
                privateAppHostingDomainAlt.orElse("app." + domain), sites);
    }
}
