package dev.hearth.fs;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * The {@code services.thumbnails} section: thumbnails Hearth makes itself for uploaded images that came without one.
 *
 * @param enabled whether to make them (default {@code true})
 * @param maxInputBytes larger files are left without a thumbnail (default 50 MiB)
 * @param maxPixels images whose header announces more pixels are left alone before any decoding, so that a small
 *                  file announcing a huge image (a decompression bomb) costs nothing (default 50 000 000)
 * @param size the longest side of a thumbnail, in pixels (default 128)
 * @param workers threads making thumbnails (default 2): decoding is CPU work, kept off the request threads
 * @param queue uploads waiting for a worker; beyond that, new ones get no thumbnail (default 256)
 */
record ThumbnailSettings(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("max_input_bytes") long maxInputBytes,
        @JsonProperty("max_pixels") long maxPixels,
        @JsonProperty("size") int size,
        @JsonProperty("workers") int workers,
        @JsonProperty("queue") int queue) {

    ThumbnailSettings {
        enabled = enabled == null || enabled;
        maxInputBytes = maxInputBytes == 0 ? 50L << 20 : maxInputBytes;
        if (maxInputBytes < 0) {
            throw ConfigException.invalid("max_input_bytes", maxInputBytes, "a positive number of bytes");
        }
        maxPixels = maxPixels == 0 ? 50_000_000L : maxPixels;
        if (maxPixels < 0) {
            throw ConfigException.invalid("max_pixels", maxPixels, "a positive number of pixels");
        }
        size = size == 0 ? 128 : size;
        if (size < 8 || size > 1024) {
            throw ConfigException.invalid("size", size, "8 to 1024");
        }
        workers = workers == 0 ? 2 : workers;
        if (workers < 1 || workers > 64) {
            throw ConfigException.invalid("workers", workers, "1 to 64");
        }
        queue = queue == 0 ? 256 : queue;
        if (queue < 1) {
            throw ConfigException.invalid("queue", queue, "a positive number");
        }
    }
}
