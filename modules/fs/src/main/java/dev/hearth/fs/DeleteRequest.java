package dev.hearth.fs;

/**
 * One item of {@code /delete} (filesystem.md 3.7).
 *
 * @param descendantsOnly remove what is below a directory and keep it (how the immutable Trash is emptied)
 */
public record DeleteRequest(NodeRef node, boolean recursive, boolean descendantsOnly, ClientMetadata client) {

    public static DeleteRequest of(NodeRef node, boolean recursive) {
        return new DeleteRequest(node, recursive, false, ClientMetadata.NONE);
    }
}
