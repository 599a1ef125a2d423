package dev.hearth.fs;

import java.util.Objects;
import java.util.Optional;

/**
 * A filesystem entry as stored: one row of {@code fsentries} (filesystem.md 1.1). The HTTP layer turns it into
 * the serialized entry of 2.7 with {@link SafeEntry}. The virtual root {@code /} is {@link #ROOT}: it has the
 * nil uuid and no owner.
 *
 * @param id the internal id; creation order, never shown to clients
 * @param uuid the public id (clients call it {@code uid} and {@code id})
 * @param parentUid the parent's uuid; empty for home directories (and the root)
 * @param userId the owner's {@code user.id}
 * @param size the content length of a file; empty for directories
 * @param accessed empty for entries never read since their creation in older data
 * @param blobKey the content's key in the blob store; empty for directories, shortcuts and symlinks
 */
public record Entry(
        long id,
        String uuid,
        Optional<String> parentUid,
        long userId,
        String name,
        FsPath path,
        boolean isDir,
        boolean immutable,
        boolean isShortcut,
        Optional<String> shortcutTo,
        boolean isSymlink,
        Optional<String> symlinkPath,
        Optional<Integer> isPublic,
        Optional<String> publicToken,
        Optional<String> fileRequestToken,
        Optional<Long> associatedAppId,
        Optional<String> metadata,
        Optional<String> layout,
        Optional<String> sortBy,
        Optional<String> sortOrder,
        Optional<String> thumbnail,
        Optional<Long> size,
        long created,
        long modified,
        Optional<Long> accessed,
        Optional<String> blobKey) {

    public static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

    /** The virtual root directory. */
    public static final Entry ROOT = new Entry(0, NIL_UUID, Optional.empty(), 0, "/", FsPath.ROOT, true, true, false,
            Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), 0, 0, Optional.empty(), Optional.empty());

    public Entry {
        Objects.requireNonNull(uuid);
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
    }

    public boolean isRoot() {
        return uuid.equals(NIL_UUID);
    }

    /** A home directory: a top-level row. */
    public boolean isHome() {
        return !isRoot() && parentUid.isEmpty();
    }

    /** A regular file with content. */
    public boolean isFile() {
        return !isDir && !isShortcut && !isSymlink;
    }

    /** The owner's username: homes are named after their users. */
    public String ownerUsername() {
        return path.homeName().orElse("");
    }

    Entry withPath(FsPath newPath) {
        return new Entry(id, uuid, parentUid, userId, newPath.name(), newPath, isDir, immutable, isShortcut, shortcutTo,
                isSymlink, symlinkPath, isPublic, publicToken, fileRequestToken, associatedAppId, metadata, layout, sortBy,
                sortOrder, thumbnail, size, created, modified, accessed, blobKey);
    }
}
