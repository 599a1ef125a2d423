package dev.hearth.web;

/**
 * Which hosts a route answers on. In subdomain mode these are Puter's hosts ({@code api.<domain>}, the main
 * {@code <domain>}, {@code <name>.site.<domain>} ...). In single-origin mode (Puter's
 * {@code experimental_no_subdomain}, Hearth's default) {@link #API}, {@link #GUI} and {@link #PLATFORM} all
 * match the one origin; sites stay on their own hosts.
 */
public enum HostScope {
    /** The API host, {@code api.<domain>}. */
    API,
    /** The main domain, where the GUI, the login cookie and the sign-up pages live. */
    GUI,
    /** The API host and the main domain: the routes Puter marks "any host" (but never hosting domains). */
    PLATFORM,
    /** The hosting domains: public sites ({@code *.site.<domain>}) and private apps ({@code *.app.<domain>}). */
    SITES,
    /** Every accepted host, including sites and other subdomains of the domain (such as {@code dav.}). */
    ANY
}
