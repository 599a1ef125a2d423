package dev.hearth.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.hearth.kernel.ApiError;

/**
 * App identity from a web origin (spec 2.7): the origin of a URL, its canonical form for hosted sites, and the
 * bootstrap app uid {@code "app-" + uuidv5(origin, 33de3768-...)}. Looking up an existing app that claims the origin is
 * the apps module's part.
 */
public final class AppOrigins {

    private AppOrigins() {}

    /**
     * {@code protocol://host[:port]} of a URL: scheme and host lower-cased, default ports dropped. Unparseable →
     * {@code 400 no_origin_for_app}.
     */
    public static String origin(String url) {
        try {
            URI uri = new URI(url == null ? "" : url.strip());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || host.isEmpty()) {
                throw noOrigin();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            throw noOrigin();
        }
    }

    /**
     * The canonical origin: {@code <sub>.<hosting domain>} becomes {@code <sub>.<first hosting domain>}, so that one
     * site's origins under several hosting domains are one app; origins under the main {@code domain} are kept.
     *
     * @param hostingDomains {@code static_hosting_domain(_alt)}, {@code private_app_hosting_domain(_alt)}, in that order,
     *                       without ports
     */
    public static String canonical(String origin, List<String> hostingDomains, String domain) {
        URI uri = URI.create(origin);
        String host = uri.getHost();
        if (host == null || hostingDomains.isEmpty() || host.equals(domain)
                || (host.endsWith("." + domain) && hostingDomains.stream().noneMatch(d -> host.endsWith("." + d)))) {
            return origin;
        }
        for (String d : hostingDomains) {
            String hosting = stripPort(d);
            if (host.endsWith("." + hosting)) {
                String sub = host.substring(0, host.length() - hosting.length() - 1);
                return uri.getScheme() + "://" + sub + "." + stripPort(hostingDomains.getFirst());
            }
        }
        return origin;
    }

    /** The uid of the bootstrap app of an origin. */
    public static String appUid(String canonicalOrigin) {
        return Uuids.appUidFromOrigin(canonicalOrigin);
    }

    /** The subdomain of a hosted origin, if it is one. */
    public static Optional<String> hostedSubdomain(String origin, List<String> hostingDomains) {
        String host = URI.create(origin).getHost();
        if (host == null) {
            return Optional.empty();
        }
        return hostingDomains.stream().map(AppOrigins::stripPort).filter(d -> host.endsWith("." + d))
                .map(d -> host.substring(0, host.length() - d.length() - 1)).findFirst();
    }

    private static String stripPort(String domain) {
        int colon = domain.indexOf(':');
        return colon < 0 ? domain : domain.substring(0, colon);
    }

    private static ApiError noOrigin() {
        return ApiError.of(400, "no_origin_for_app", "Puter apps must have a valid URL.");
    }
}
