package dev.hearth.fs;

import java.util.Optional;

/**
 * {@code /copy} (filesystem.md 3.9). A missing path-addressed destination directory is always created.
 */
public record CopyRequest(NodeRef source, NodeRef destination, Optional<String> newName, boolean overwrite,
                          boolean dedupeName, ClientMetadata client) {

    public static CopyRequest of(NodeRef source, NodeRef destinationDir) {
        return new CopyRequest(source, destinationDir, Optional.empty(), false, false, ClientMetadata.NONE);
    }
}
