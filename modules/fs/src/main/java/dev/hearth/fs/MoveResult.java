package dev.hearth.fs;

import java.util.List;
import java.util.Optional;

/** What {@code /move} answers: {@code moved}, {@code overwritten}, {@code old_path}, {@code parent_dirs_created}. */
public record MoveResult(Entry moved, Optional<Entry> overwritten, String oldPath, List<Entry> parentDirsCreated) {}
