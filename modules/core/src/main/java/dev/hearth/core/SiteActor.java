package dev.hearth.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A hosted site reading through an {@code actor-site} token (protected sites, spec 5.6).
 *
 * @param siteUid the {@code subdomains} row's uuid
 * @param subdomain the site's subdomain
 * @param rootDirUid the uid of the site's root directory, if it has one ({@code in-site} implicator)
 * @param issuedAt when its token was issued
 */
public record SiteActor(String siteUid, String subdomain, Optional<String> rootDirUid, Optional<Instant> issuedAt)
        implements Actor {

    public SiteActor {
        Objects.requireNonNull(siteUid);
        Objects.requireNonNull(subdomain);
        Objects.requireNonNull(rootDirUid);
        Objects.requireNonNull(issuedAt);
    }

    @Override
    public Optional<User> actingUser() {
        return Optional.empty();
    }

    /** {@code site:<subdomain>} (upstream's {@code site:undefined} is a bug, spec 2.5). */
    @Override
    public String uid() {
        return "site:" + subdomain;
    }
}
