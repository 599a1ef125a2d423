package dev.hearth.hosting;

import java.util.Objects;
import java.util.Optional;

/**
 * A row of {@code subdomains}: a website named {@code subdomain}, owned by a user, served from a directory.
 *
 * @param uid {@code sd-<uuid>}
 * @param rootDirUid the filesystem uuid of the directory it is served from; empty when it points nowhere
 * @param associatedAppUid the app it belongs to, if any
 * @param appOwnerUid the app that created it, when an app did
 * @param domain a custom domain as recorded ({@code in-progress:<domain>} until verified; Hearth never serves one)
 * @param created epoch seconds
 */
record Subdomain(long id, String uid, String subdomain, long userId, Optional<String> rootDirUid,
        Optional<String> associatedAppUid, Optional<String> appOwnerUid, boolean isProtected, Optional<String> domain,
        long created) {

    Subdomain {
        Objects.requireNonNull(uid);
        Objects.requireNonNull(subdomain);
        Objects.requireNonNull(rootDirUid);
        Objects.requireNonNull(associatedAppUid);
        Objects.requireNonNull(appOwnerUid);
        Objects.requireNonNull(domain);
    }
}
