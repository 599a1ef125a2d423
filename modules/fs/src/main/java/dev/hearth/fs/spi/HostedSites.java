package dev.hearth.fs.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The websites hosted from directories, as the filesystem shows them ({@code /readdir-subdomains}, and the
 * {@code subdomains} / {@code has_website} fields of {@code /stat}). The hosting module, which sits above the
 * filesystem, registers a service implementing this; without one no directory hosts a site.
 */
public interface HostedSites {

    /**
     * A site served from a directory.
     *
     * @param uid the site's uid ({@code sd-...})
     * @param subdomain its name
     * @param address the URL it is served at
     */
    record Website(String uid, String subdomain, String address) {}

    /**
     * The sites of the user {@code ownerUserId} hosted from each directory of {@code directoryUids}, by directory uid;
     * directories without such a site are absent.
     */
    Map<String, List<Website>> sitesOf(long ownerUserId, Collection<String> directoryUids);
}
