package dev.hearth.core.spi;

import java.util.Map;
import java.util.Optional;

import dev.hearth.core.Actor;
import dev.hearth.core.Permission;

/**
 * A rule that implies a permission from facts rather than grants (spec 3.4): the filesystem's {@code is-owner}, the
 * apps module's protected-app owner, hosting's {@code in-site} and site owner. A service that implements this is
 * found by the permissions service and asked about every permission it {@link #matches}, each exploded form of the
 * permission being checked in turn.
 */
public interface PermissionImplicator {

    /** A name for logs and readings, such as {@code is-owner}. */
    String implicatorId();

    /** Shortcut implicators are tried before any grant is read, and end the check when they answer. */
    boolean shortcut();

    boolean matches(Permission permission);

    /** The data of the implied permission (for example a rate-limit policy), or empty if it is not implied. */
    Optional<Map<String, Object>> check(Actor actor, Permission permission);
}
