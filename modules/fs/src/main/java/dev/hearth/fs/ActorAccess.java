package dev.hearth.fs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.AccessMode;
import dev.hearth.core.AclNode;
import dev.hearth.core.Actor;
import dev.hearth.core.FilesystemAcl;
import dev.hearth.fs.spi.FsAccess;
import dev.hearth.kernel.Context;

/**
 * The filesystem's access check when no module contributes another: the accounts' {@link FilesystemAcl}, asked with
 * the request's {@link Actor} (taken from the request {@link Context}: a user, an app under a user, an access token),
 * for the entry and its ancestors read on the filesystem's own connection.
 *
 * <p>One connection: inside a transaction the filesystem's {@link Tx} took the connection through the database's JDBI,
 * which binds the handle to the thread; the ACL and the permissions it consults use JDBI too, so their reads run on
 * that same connection (and see the transaction's own writes) rather than waiting for a second one. Outside a
 * transaction nothing is held: the ancestors are read, when a rule needs them, on a connection taken for that.
 *
 * <p>Without an actor (work the server does for itself, such as creating homes, and the domain's own tests) the owner
 * may do everything and nobody else anything.
 */
final class ActorAccess implements FsAccess {

    private final FilesystemAcl acl;

    ActorAccess(FilesystemAcl acl) {
        this.acl = acl;
    }

    @Override
    public boolean allows(FsUser user, Entry entry, Mode mode, Reads database) throws SQLException {
        Optional<Actor> actor = Context.current().flatMap(Context::actor).filter(Actor.class::isInstance)
                .map(Actor.class::cast);
        if (actor.isEmpty()) {
            return entry.userId() == user.id();
        }
        // Read only if a rule needs them: a user in their own home is allowed by the path alone.
        AclNode node = AclNode.lazy(entry.uuid(), entry.path().value(), entry.userId(), () -> {
            try {
                return database.run(c -> ancestors(c, entry));
            } catch (SQLException e) {
                throw new IllegalStateException("filesystem database error: " + e.getMessage(), e);
            }
        });
        return acl.check(actor.get(), node, AccessMode.valueOf(mode.name()));
    }

    /** The entry's ancestors, parent first, up to and excluding the root, in one query by their paths. */
    static List<AclNode.Ancestor> ancestors(Connection c, Entry entry) throws SQLException {
        List<String> paths = new ArrayList<>();
        for (FsPath p = entry.path().parent(); !p.isRoot(); p = p.parent()) {
            paths.add(p.value());
        }
        if (paths.isEmpty()) {
            return List.of();
        }
        Map<String, AclNode.Ancestor> found = new HashMap<>();
        String marks = String.join(", ", java.util.Collections.nCopies(paths.size(), "?"));
        try (PreparedStatement s = c.prepareStatement("SELECT path, uuid, user_id FROM fsentries WHERE path IN ("
                + marks + ")")) {
            for (int i = 0; i < paths.size(); i++) {
                s.setString(i + 1, paths.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.put(r.getString(1), new AclNode.Ancestor(r.getString(2), r.getLong(3)));
                }
            }
        }
        List<AclNode.Ancestor> chain = new ArrayList<>();
        for (String p : paths) {
            AclNode.Ancestor a = found.get(p);
            if (a != null) {
                chain.add(a);
            }
        }
        return chain;
    }
}
