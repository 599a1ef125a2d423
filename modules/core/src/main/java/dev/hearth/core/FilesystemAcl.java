package dev.hearth.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code filesystem-acl} service: may this actor see, list, read, write or manage this entry? The filesystem
 * module asks it for every access, with the request's actor. Evaluated in the order of spec 3.11:
 *
 * <ol>
 *   <li>the system actor may do anything;</li>
 *   <li>the root {@code /} may be seen, listed and read by anyone, nothing more;</li>
 *   <li>a user may do anything in their home {@code /<username>/...};</li>
 *   <li>an app may do anything in {@code /<username>/AppData/<app uid>/...};</li>
 *   <li>with {@code enable_public_folders}, anyone may see, list and read {@code /<owner>/Public/...} when the owner's
 *       email is confirmed or the owner is {@code admin};</li>
 *   <li>an access token needs its authorizer to pass, then a permission stored for the token with exactly
 *       {@code fs:<uid>:<mode>} (or {@code manage:fs:<uid>}) on the entry or an ancestor;</li>
 *   <li>an app needs its user to pass, then may use the same app's AppData of other users;</li>
 *   <li>otherwise the entry and its ancestors are walked: owning one of them ({@code is-owner}) or holding
 *       {@code fs:<uid>:<mode>} on it (with the higher modes and {@code manage:fs:<uid>} implied) allows.</li>
 * </ol>
 */
public final class FilesystemAcl implements Service {

    private final ServiceContext context;
    private final boolean publicFolders;
    private volatile Permissions permissions;
    private volatile Users users;
    private volatile Database database;

    FilesystemAcl(ServiceContext context) {
        this.context = context;
        this.publicFolders = context.config().flag("enable_public_folders");
    }

    @Override
    public void init() {
        permissions = context.services().get(Permissions.class);
        users = context.services().get(Users.class);
        database = context.services().get(Database.class);
    }

    /** Whether {@code actor} may access {@code node} in {@code mode}. */
    public boolean check(Actor actor, AclNode node, AccessMode mode) {
        if (actor instanceof SystemActor) {
            return true;
        }
        if (node.isRoot()) {
            return mode == AccessMode.SEE || mode == AccessMode.LIST || mode == AccessMode.READ;
        }
        if (actor instanceof UserActor u && under(node.path(), "/" + u.user().username())) {
            return true;
        }
        if (actor instanceof AppUnderUserActor a
                && under(node.path(), "/" + a.user().username() + "/AppData/" + a.appUid())) {
            return true;
        }
        if (publicFolders && isPublic(node.path()) && mode.compareTo(AccessMode.READ) <= 0) {
            return true;
        }
        if (actor instanceof AccessTokenActor t) {
            if (!check(t.authorizer(), node, mode)) {
                return false;
            }
            List<String> candidates = new ArrayList<>();
            candidates.add(mode.permission(node.uid()));
            node.ancestors().forEach(anc -> candidates.add(mode.permission(anc.uid())));
            return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM access_token_permissions"
                    + " WHERE token_uid = :t AND permission IN (<p>)").bind("t", t.tokenUid()).bindList("p", candidates)
                    .mapTo(Long.class).one()) > 0;
        }
        if (actor instanceof AppUnderUserActor a) {
            if (!check(a.userActor(), node, mode)) {
                return false;
            }
            String[] parts = node.path().split("/");
            // /<other>/AppData/<same app uid>/...: apps share their data directories across users.
            if (parts.length >= 4 && parts[2].equals("AppData") && parts[3].equals(a.appUid())) {
                return true;
            }
        }
        Optional<User> user = actor instanceof UserActor u ? Optional.of(u.user()) : Optional.empty();
        if (user.isPresent() && node.ownerUserId() == user.get().id()) {
            return true;
        }
        if (permissions.check(actor, mode.permission(node.uid()))) {
            return true;
        }
        for (AclNode.Ancestor anc : node.ancestors()) {
            if (user.isPresent() && anc.ownerUserId() == user.get().id()) {
                return true;
            }
            if (permissions.check(actor, mode.permission(anc.uid()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Throws unless the access is allowed, without telling more than the actor may know: {@code 404
     * subject_does_not_exist} if it may not even see the entry, {@code 403 forbidden} otherwise.
     */
    public void require(Actor actor, AclNode node, AccessMode mode) {
        if (!check(actor, node, mode)) {
            throw check(actor, node, AccessMode.SEE) ? ApiError.forbidden() : AccountErrors.subjectDoesNotExist();
        }
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    private boolean isPublic(String path) {
        String[] parts = path.split("/");
        if (parts.length < 3 || !parts[2].equals("Public")) {
            return false;
        }
        return users.byUsername(parts[1])
                .map(owner -> owner.emailConfirmed() || owner.username().equals(User.ADMIN_USERNAME)).orElse(false);
    }
}
