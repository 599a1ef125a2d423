package dev.hearth.fs;

import java.util.OptionalLong;

/**
 * {@code /df}: {@code used} bytes, the {@code capacity}, and {@code host_used} (which is, as upstream has it, the
 * free space of the disk holding the content, when the content is on a local disk).
 */
public record DiskUsage(long used, long capacity, OptionalLong hostFree) {}
