package dev.hearth.core.spi;

import dev.hearth.core.Actor;
import dev.hearth.core.Permission;

/**
 * Turns a permission as clients write it into its canonical form before anything is checked or stored (spec 3.4):
 * the filesystem rewrites {@code fs:/<path>:...} to {@code fs:<uid>:...}, the apps module {@code app:<name>:...} to
 * {@code app:uid#<uid>:...}, hosting {@code site:<name>:...} to {@code site:uid#<uuid>:...}. Rewriters run in
 * registration order, each on the output of the one before.
 */
public interface PermissionRewriter {

    /** Whether this rewriter handles the permission. (Not {@code matches}: a service may also be an implicator.) */
    boolean rewrites(Permission permission);

    /**
     * The canonical form. May throw an {@link dev.hearth.kernel.ApiError} for a subject that does not exist
     * ({@code 404 subject_does_not_exist}, {@code 422 entity_not_found}).
     */
    Permission rewrite(Actor actor, Permission permission);
}
