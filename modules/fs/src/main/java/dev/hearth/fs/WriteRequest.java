package dev.hearth.fs;

import java.util.Optional;

/**
 * {@code /write} (filesystem.md 3.4).
 *
 * @param path the destination directory, or the file to create or overwrite
 * @param name the new file's name inside the directory {@code path}
 * @param fallbackName the upload's file name, used when {@code name} is absent and {@code path} is a directory
 * @param declaredSize the size the client announced, or -1; checked against the limits before any byte is read
 *                     (the stored size is always the counted one)
 * @param createMissingParents when {@code path} does not exist it is created as a directory chain and the file
 *                             written inside it
 * @param thumbnail a data URL (ignored under {@code AppData})
 * @param associatedAppId the internal id of the app that writes
 */
public record WriteRequest(NodeRef path, Optional<String> name, Optional<String> fallbackName, long declaredSize,
                           boolean overwrite, boolean dedupeName, boolean createMissingParents,
                           Optional<String> thumbnail, Optional<Long> associatedAppId, ClientMetadata client) {

    /** A file at a full path; overwrite it if it exists. */
    public static WriteRequest overwrite(NodeRef file, long size) {
        return new WriteRequest(file, Optional.empty(), Optional.empty(), size, true, false, false, Optional.empty(),
                Optional.empty(), ClientMetadata.NONE);
    }

    /** A new file {@code name} in the directory {@code dir}. */
    public static WriteRequest create(NodeRef dir, String name, long size) {
        return new WriteRequest(dir, Optional.of(name), Optional.empty(), size, false, false, false, Optional.empty(),
                Optional.empty(), ClientMetadata.NONE);
    }
}
