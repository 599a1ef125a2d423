package dev.hearth.web;

import java.util.EnumSet;
import java.util.Set;

/** What a request's Host is, which decides the routes, the CORS treatment and the frame policy. */
enum HostKind {
    /** The one origin of single-origin mode: API and GUI at once. */
    ORIGIN,
    /** {@code api.<domain>} in subdomain mode. */
    API,
    /** The main domain in subdomain mode. */
    GUI,
    /** A site or private-app hosting domain. */
    SITE,
    /** Another accepted host: another subdomain of the domain, or any host under {@code allow_all_host_values}. */
    OTHER,
    /** A host that is not accepted. */
    INVALID,
    /** No Host at all. */
    MISSING;

    private static final Set<HostKind> API_KINDS = EnumSet.of(ORIGIN, API);
    private static final Set<HostKind> GUI_KINDS = EnumSet.of(ORIGIN, GUI);
    private static final Set<HostKind> PLATFORM_KINDS = EnumSet.of(ORIGIN, API, GUI);
    private static final Set<HostKind> ANY_KINDS = EnumSet.of(ORIGIN, API, GUI, SITE, OTHER);

    boolean in(HostScope scope) {
        return switch (scope) {
            case API -> API_KINDS.contains(this);
            case GUI -> GUI_KINDS.contains(this);
            case PLATFORM -> PLATFORM_KINDS.contains(this);
            case SITES -> this == SITE;
            case ANY -> ANY_KINDS.contains(this);
        };
    }
}
