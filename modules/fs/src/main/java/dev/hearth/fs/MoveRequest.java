package dev.hearth.fs;

import java.util.Optional;

/**
 * {@code /move} (filesystem.md 3.8).
 *
 * @param destination the destination directory, or an existing file (then that file is the conflict target)
 * @param newMetadata stored in {@code metadata} (the GUI's Trash); when absent the old value stays
 */
public record MoveRequest(NodeRef source, NodeRef destination, Optional<String> newName, boolean overwrite,
                          boolean dedupeName, boolean createMissingParents, Optional<String> newMetadata,
                          ClientMetadata client) {

    public static MoveRequest of(NodeRef source, NodeRef destinationDir, Optional<String> newName) {
        return new MoveRequest(source, destinationDir, newName, false, false, false, Optional.empty(),
                ClientMetadata.NONE);
    }
}
