package dev.hearth.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies Host names against the configured domain (port-agnostic, as Puter compares host names), and
 * tells Hearth's own origins from foreign ones.
 */
final class Hosts {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    private final WebSettings settings;
    private final PublicUrls urls;
    private final List<String> siteDomains;

    Hosts(WebSettings settings, PublicUrls urls) {
        this.settings = settings;
        this.urls = urls;
        this.siteDomains = List.of(hostname(urls.staticHostingDomain()), hostname(urls.staticHostingDomainAlt()),
                hostname(urls.privateAppHostingDomain()), hostname(urls.privateAppHostingDomainAlt()));
    }

    /** Classifies a host name (lower case, no port, as {@link #hostname} gives it). */
    HostKind classify(String hostname) {
        if (hostname.isEmpty()) {
            return HostKind.MISSING;
        }
        for (String site : siteDomains) {
            if (hostname.equals(site) || hostname.endsWith("." + site)) {
                return HostKind.SITE;
            }
        }
        String domain = settings.domain();
        boolean alias = allowedAlias(hostname);
        if (settings.singleOrigin()) {
            // Puter's experimental_no_subdomain: every subdomain resolves to 'api'. Loopback names always work,
            // so that a default install answers on whatever the user typed.
            if (hostname.equals(domain) || hostname.endsWith("." + domain) || LOOPBACK.contains(hostname) || alias) {
                return HostKind.ORIGIN;
            }
        } else {
            if (hostname.equals(domain) || alias) {
                return HostKind.GUI;
            }
            if (hostname.equals("api." + domain)) {
                return HostKind.API;
            }
            if (hostname.endsWith("." + domain)) {
                return HostKind.OTHER;
            }
        }
        return settings.allowAllHosts() ? HostKind.OTHER : HostKind.INVALID;
    }

    private boolean allowedAlias(String hostname) {
        for (String allowed : settings.allowedHosts()) {
            if (allowed.startsWith("*.") ? hostname.endsWith(allowed.substring(1)) : hostname.equals(hostname(allowed))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code origin} (an {@code Origin} value, or a URL whose origin counts) is one of this instance's own
     * public origins: the configured origin or API base URL, or, in single-origin mode, any accepted origin host on
     * the public port.
     */
    boolean isOwnOrigin(String origin) {
        Optional<URI> uri = parse(origin);
        if (uri.isEmpty()) {
            return false;
        }
        String normalized = normalize(uri.get());
        if (normalized.equals(normalize(parse(urls.origin()).orElse(null)))
                || normalized.equals(normalize(parse(urls.apiBaseUrl()).orElse(null)))) {
            return true;
        }
        URI u = uri.get();
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        HostKind kind = classify(hostname(u.getHost() == null ? "" : u.getHost()));
        return scheme.equals(urls.protocol()) && port == urls.publicPort()
                && (kind == HostKind.ORIGIN || kind == HostKind.GUI || kind == HostKind.API);
    }

    private static Optional<URI> parse(String url) {
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(u);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String normalize(URI u) {
        if (u == null) {
            return "";
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + hostname(u.getHost()) + ":" + port;
    }

    /** The host name of a Host value or host[:port]: lower case, no port, no brackets, no trailing dot. */
    static String hostname(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end > 0 ? h.substring(1, end) : h.substring(1);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
                h = h.substring(0, colon);
            }
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
