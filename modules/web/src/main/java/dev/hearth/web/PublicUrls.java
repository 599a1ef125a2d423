package dev.hearth.web;

import java.util.Objects;
import java.util.Optional;

/**
 * The public URLs of this instance, computed in one place with Puter's rules from {@code protocol},
 * {@code domain}, {@code pub_port} (the actual port when unset; left out of URLs when it is 80 or 443) and
 * {@code experimental_no_subdomain}; each can be overridden by its own config key of the same name.
 *
 * @param protocol {@code http} or {@code https}
 * @param domain the main domain, e.g. {@code puter.localhost} or {@code 127.0.0.1}
 * @param publicPort the port clients use
 * @param singleOrigin whether API and GUI share one origin ({@code experimental_no_subdomain})
 * @param origin the GUI origin, e.g. {@code http://127.0.0.1:4100}
 * @param apiBaseUrl the API origin: {@code origin} in single-origin mode, else {@code http://api.<domain>:port}
 * @param staticHostingDomain public sites' domain, with the port: {@code site.<domain>:port}
 * @param staticHostingDomainAlt the same without the port
 * @param privateAppHostingDomain private apps' domain, with the port: {@code app.<domain>:port}
 * @param privateAppHostingDomainAlt the same without the port
 * @param sitesOrigin the origin of the sites port (single-origin mode), where {@code /<name>/...} is the site
 *                    {@code <name>}: e.g. {@code http://127.0.0.1:4101}; empty when sites only have their own hosts
 */
public record PublicUrls(String protocol, String domain, int publicPort, boolean singleOrigin, String origin,
        String apiBaseUrl, String staticHostingDomain, String staticHostingDomainAlt, String privateAppHostingDomain,
        String privateAppHostingDomainAlt, Optional<String> sitesOrigin) {

    public PublicUrls {
        Objects.requireNonNull(sitesOrigin);
    }

    /**
     * The address of the hosted site {@code subdomain}: {@code <sitesOrigin>/<subdomain>/} when there is a sites port,
     * else {@code <protocol>://<subdomain>.<staticHostingDomain>}.
     */
    public String siteUrl(String subdomain) {
        return sitesOrigin.map(o -> o + "/" + subdomain + "/")
                .orElse(protocol + "://" + subdomain + "." + staticHostingDomain);
    }

    /** {@code ":<port>"}, or nothing for the ports 80 and 443 (Puter's rule, whatever the protocol). */
    static String portSuffix(int port) {
        return port == 80 || port == 443 ? "" : ":" + port;
    }
}
