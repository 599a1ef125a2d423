package dev.hearth.fs.spi;

import java.sql.Connection;
import java.sql.SQLException;

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
 *
 * <p>The filesystem asks inside its transactions. An implementation that reads the database (permissions,
 * shares) must use the {@code connection} it is given and must not take another one: SQLite has a single
 * pooled connection, which the caller holds.
 */
public interface FsAccess {

    /** Access modes; a higher one implies the lower ones. */
    enum Mode { SEE, LIST, READ, WRITE }

    /**
     * @param connection the filesystem's current connection (in its transaction), for database lookups
     */
    boolean allows(FsUser user, Entry entry, Mode mode, Connection connection) throws SQLException;

    /** Owners may do everything, others nothing. */
    static FsAccess ownerOnly() {
        return (user, entry, mode, connection) -> entry.userId() == user.id();
    }
}
