package dev.hearth.fs;

import java.util.List;

/**
 * What {@code /mkdir} answers: the directory, the directories created on the way (in creation order), and the
 * path as requested ({@code requested_path}); {@code existing} when {@code create_missing_parents} found the
 * directory already there (then only the entry is returned to the client).
 */
public record MkdirResult(Entry entry, List<Entry> parentDirsCreated, String requestedPath, boolean existing) {}
