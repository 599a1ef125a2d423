package dev.hearth.core.spi;

import java.util.Optional;

/**
 * What core needs to know about hosted sites ({@code subdomains} rows), which live in the hosting module. Without a
 * service implementing this, {@code actor-site} tokens are not supported.
 */
public interface SiteDirectory {

    /** A site as core sees it. */
    record Site(String uid, String subdomain, Optional<String> rootDirUid, Optional<Long> ownerUserId) {}

    Optional<Site> siteByUid(String siteUid);
}
