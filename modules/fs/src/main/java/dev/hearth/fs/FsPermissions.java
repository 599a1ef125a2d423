package dev.hearth.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.Actor;
import dev.hearth.core.Permission;
import dev.hearth.core.UserActor;
import dev.hearth.core.spi.PermissionImplicator;
import dev.hearth.core.spi.PermissionRewriter;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code fs-permissions} service: what the filesystem teaches the accounts' permissions (spec 3.4).
 *
 * <ul>
 *   <li>{@code is-owner}: a user holds every {@code fs:<uid>:...} and {@code manage:fs:<uid>...} permission of an entry
 *       they own, so that they can share it ({@code /auth/grant-user-user} requires {@code manage:}).</li>
 *   <li>the rewriter: {@code fs:/<path>:<mode>} becomes {@code fs:<uid>:<mode>}; a path that names nothing is
 *       {@code 404 subject_does_not_exist}.</li>
 * </ul>
 *
 * Both read the entry through {@link Filesystem#lookup}, whose connection is the caller's when the check runs inside
 * a filesystem transaction (see {@link Tx}).
 */
final class FsPermissions implements Service, PermissionImplicator, PermissionRewriter {

    private final ServiceContext context;
    private volatile Filesystem fs;

    FsPermissions(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        fs = context.services().get(Filesystem.class);
    }

    @Override
    public String implicatorId() {
        return "is-owner";
    }

    @Override
    public boolean shortcut() {
        return true;
    }

    /** The entry uid of {@code fs:<uid>...} or {@code manage:fs:<uid>...}. */
    private static Optional<String> uid(Permission p) {
        List<String> c = p.components();
        int at = !c.isEmpty() && c.getFirst().equals(Permission.MANAGE) ? 1 : 0;
        if (c.size() > at + 1 && c.get(at).equals("fs") && NodeRef.UUID.matcher(c.get(at + 1)).matches()) {
            return Optional.of(c.get(at + 1));
        }
        return Optional.empty();
    }

    @Override
    public boolean matches(Permission permission) {
        return uid(permission).isPresent();
    }

    @Override
    public Optional<Map<String, Object>> check(Actor actor, Permission permission) {
        if (!(actor instanceof UserActor u)) {
            return Optional.empty();
        }
        Optional<String> uid = uid(permission);
        if (uid.isEmpty()) {
            return Optional.empty();
        }
        return fs.lookup(NodeRef.uid(uid.get())).filter(e -> !e.isRoot() && e.userId() == u.user().id())
                .map(e -> Map.of());
    }

    @Override
    public boolean rewrites(Permission permission) {
        List<String> c = permission.components();
        int at = !c.isEmpty() && c.getFirst().equals(Permission.MANAGE) ? 1 : 0;
        return c.size() > at + 1 && c.get(at).equals("fs") && c.get(at + 1).startsWith("/");
    }

    @Override
    public Permission rewrite(Actor actor, Permission permission) {
        List<String> c = new ArrayList<>(permission.components());
        int at = c.getFirst().equals(Permission.MANAGE) ? 2 : 1;
        FsPath path;
        try {
            path = FsPath.of(c.get(at));
        } catch (IllegalArgumentException bad) {
            throw FsErrors.subjectDoesNotExist();
        }
        Entry e = fs.lookup(NodeRef.path(path)).orElseThrow(FsErrors::subjectDoesNotExist);
        c.set(at, e.uuid());
        return Permission.of(c);
    }
}
