package dev.hearth.fs;

import java.util.Optional;

/** One element of {@code /copy}'s answer: {@code copied} and {@code overwritten}. */
public record CopyResult(Entry copied, Optional<Entry> overwritten) {}
