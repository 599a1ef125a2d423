package dev.hearth.core;

import java.util.List;
import java.util.Objects;

/**
 * A filesystem entry as the ACL sees it; the filesystem module builds one for each access it checks.
 *
 * @param uid the entry's uid; empty for the root {@code /}
 * @param path its absolute path ({@code /alice/Documents/x.txt})
 * @param ownerUserId the {@code user_id} of the entry
 * @param ancestors its ancestors, the parent first, up to and excluding the root
 */
public record AclNode(String uid, String path, long ownerUserId, List<Ancestor> ancestors) {

    /** An ancestor directory. */
    public record Ancestor(String uid, long ownerUserId) {}

    /** The root directory {@code /}. */
    public static final AclNode ROOT = new AclNode("", "/", 0, List.of());

    public AclNode {
        Objects.requireNonNull(uid);
        Objects.requireNonNull(path);
        ancestors = List.copyOf(ancestors);
    }

    public boolean isRoot() {
        return path.equals("/");
    }
}
