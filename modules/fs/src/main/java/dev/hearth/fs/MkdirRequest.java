package dev.hearth.fs;

import java.util.Optional;

/**
 * {@code /mkdir} (filesystem.md 3.3).
 *
 * @param parent when present, {@code path} is relative to it and may have several components (the intermediate
 *               directories are always created); when absent, {@code path} is absolute ({@code ~} expanded)
 * @param path the new directory, as the client sent it
 * @param overwrite an existing entry of that name is removed recursively first
 * @param dedupeName on a conflict, take {@code "<name> (n)"}
 * @param createMissingParents create the parent chain; an existing directory of that name is returned as is
 */
public record MkdirRequest(Optional<NodeRef> parent, String path, boolean overwrite, boolean dedupeName,
                           boolean createMissingParents, ClientMetadata client) {

    /** The full-path form without options. */
    public static MkdirRequest of(String path) {
        return new MkdirRequest(Optional.empty(), path, false, false, false, ClientMetadata.NONE);
    }
}
