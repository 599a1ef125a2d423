package dev.hearth.fs;

import java.util.Map;
import java.util.Optional;

/**
 * The data of the filesystem's internal application events ({@code fs.create.file}, {@code fs.create.directory},
 * {@code fs.write.file}, {@code fs.move.file}, {@code fs.remove.node}, {@code fs.rename}): the node after the
 * change, who made it, the path it had before (moves, renames) and the client's event metadata. These events stay
 * on this instance; what crosses instances are the {@code outer.gui.*} events, whose data is plain JSON.
 */
public record FsNodeEvent(Entry node, FsUser user, Optional<String> oldPath, Map<String, Object> metadata) {}
