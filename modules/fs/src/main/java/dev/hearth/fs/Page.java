package dev.hearth.fs;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a directory listing, in creation order; {@code next} is the cursor of the following page, absent
 * on the last one.
 */
public record Page(List<Entry> entries, OptionalLong next) {}
