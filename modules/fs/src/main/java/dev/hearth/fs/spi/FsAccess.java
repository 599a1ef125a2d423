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
 * <p>The filesystem asks inside its transactions and outside them. An implementation that reads the database
 * (permissions, shares) reads through the {@link Reads} it is given and must not take a connection of its own: inside
 * a transaction the reads run on the transaction's connection, which SQLite's single pooled connection makes the only
 * one. Outside one, a connection is taken only when a read is made, so a decision that needs no database (an owner in
 * their own home) costs none.
 */
public interface FsAccess {

    /** Access modes; a higher one implies the lower ones. */
    enum Mode { SEE, LIST, READ, WRITE }

    /** Runs reads on the filesystem's connection (see above). */
    interface Reads {
        <T> T run(Read<T> read) throws SQLException;
    }

    /** A read on a connection. */
    interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * @param database where database lookups run
     */
    boolean allows(FsUser user, Entry entry, Mode mode, Reads database) throws SQLException;

    /** Owners may do everything, others nothing. */
    static FsAccess ownerOnly() {
        return (user, entry, mode, database) -> entry.userId() == user.id();
    }
}
