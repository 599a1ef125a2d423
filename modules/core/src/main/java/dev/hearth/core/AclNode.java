package dev.hearth.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A filesystem entry as the ACL sees it; the filesystem module builds one for each access it checks.
 *
 * <p>The ancestors may be given lazily ({@link #lazy}): most checks are decided by the path alone (a user in their own
 * home), and reading the ancestors costs the filesystem a query, so it is only made when a rule needs them, and at
 * most once per node.
 */
public final class AclNode {

    /** An ancestor directory. */
    public record Ancestor(String uid, long ownerUserId) {}

    /** The root directory {@code /}. */
    public static final AclNode ROOT = new AclNode("", "/", 0, List.of());

    private final String uid;
    private final String path;
    private final long ownerUserId;
    private Supplier<List<Ancestor>> loader;
    private List<Ancestor> ancestors;

    /**
     * @param uid the entry's uid; empty for the root {@code /}
     * @param path its absolute path ({@code /alice/Documents/x.txt})
     * @param ownerUserId the {@code user_id} of the entry
     * @param ancestors its ancestors, the parent first, up to and excluding the root
     */
    public AclNode(String uid, String path, long ownerUserId, List<Ancestor> ancestors) {
        this.uid = Objects.requireNonNull(uid);
        this.path = Objects.requireNonNull(path);
        this.ownerUserId = ownerUserId;
        this.ancestors = List.copyOf(ancestors);
    }

    private AclNode(String uid, String path, long ownerUserId, Supplier<List<Ancestor>> loader) {
        this.uid = Objects.requireNonNull(uid);
        this.path = Objects.requireNonNull(path);
        this.ownerUserId = ownerUserId;
        this.loader = Objects.requireNonNull(loader);
    }

    /** A node whose ancestors are read by {@code loader} the first time a rule asks for them. */
    public static AclNode lazy(String uid, String path, long ownerUserId, Supplier<List<Ancestor>> loader) {
        return new AclNode(uid, path, ownerUserId, loader);
    }

    public String uid() {
        return uid;
    }

    public String path() {
        return path;
    }

    public long ownerUserId() {
        return ownerUserId;
    }

    /** The ancestors, the parent first, up to and excluding the root. A node is checked on one thread. */
    public List<Ancestor> ancestors() {
        if (ancestors == null) {
            ancestors = List.copyOf(loader.get());
            loader = null;
        }
        return ancestors;
    }

    public boolean isRoot() {
        return path.equals("/");
    }

    @Override
    public String toString() {
        return "AclNode[" + path + " " + uid + "]";
    }
}
