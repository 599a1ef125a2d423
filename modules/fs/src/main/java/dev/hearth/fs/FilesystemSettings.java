package dev.hearth.fs;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * The {@code services.filesystem} section.
 *
 * @param storageDir where the local blob store keeps file content; relative to the data directory unless
 *                   absolute (default {@code storage})
 * @param storageCapacity bytes each user may store; 0 or absent for no limit (the default)
 * @param maxFileSize the largest file accepted, in bytes (default 100 000 000 000, upstream's)
 * @param maxNameLength the longest entry name (default 767, upstream's {@code max_fsentry_name_length})
 */
record FilesystemSettings(
        @JsonProperty("storage_dir") String storageDir,
        @JsonProperty("storage_capacity") long storageCapacity,
        @JsonProperty("max_file_size") long maxFileSize,
        @JsonProperty("max_fsentry_name_length") int maxNameLength) {

    static final long DEFAULT_MAX_FILE_SIZE = 100_000_000_000L;

    FilesystemSettings {
        storageDir = storageDir == null || storageDir.isBlank() ? "storage" : storageDir;
        if (storageCapacity < 0) {
            throw ConfigException.invalid("storage_capacity", storageCapacity, "0 (unlimited) or a number of bytes");
        }
        maxFileSize = maxFileSize == 0 ? DEFAULT_MAX_FILE_SIZE : maxFileSize;
        if (maxFileSize < 0) {
            throw ConfigException.invalid("max_file_size", maxFileSize, "a positive number of bytes");
        }
        maxNameLength = maxNameLength == 0 ? FsNames.DEFAULT_MAX_LENGTH : maxNameLength;
        if (maxNameLength < 1 || maxNameLength > 4096) {
            throw ConfigException.invalid("max_fsentry_name_length", maxNameLength, "1 to 4096");
        }
    }

    boolean storageLimited() {
        return storageCapacity > 0;
    }
}
