package dev.hearth.fs;

/** What {@code /rename} needs for its answer: the entry after the rename and its old path. */
public record RenameResult(Entry entry, String oldPath) {}
