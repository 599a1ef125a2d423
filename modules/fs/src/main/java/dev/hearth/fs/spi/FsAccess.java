package dev.hearth.fs.spi;

import dev.hearth.fs.Entry;
import dev.hearth.fs.FsUser;

/**
 * Decides whether a user may do something with an entry: the seam where the accounts module's ACL
 * (accounts-permissions-apps-hosting.md 3.11: shares, app permissions, public folders) plugs in. A module
 * contributes one by registering a service that implements it; without one the filesystem lets owners do
 * everything and nobody else anything ({@link #ownerOnly()}).
 *
 * <p>The filesystem turns a refusal into {@code 404 subject_does_not_exist} when the user may not even
 * {@link Mode#SEE see} the entry (its existence stays hidden) and {@code 403 forbidden} otherwise. The virtual
 * root is never asked about: everyone may see, list and read it and nobody may write it.
 */
public interface FsAccess {

    /** Access modes; a higher one implies the lower ones. */
    enum Mode { SEE, LIST, READ, WRITE }

    boolean allows(FsUser user, Entry entry, Mode mode);

    /** Owners may do everything, others nothing. */
    static FsAccess ownerOnly() {
        return (user, entry, mode) -> entry.userId() == user.id();
    }
}
