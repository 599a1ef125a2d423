package dev.hearth.fs;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * The {@code services.filesystem.signed_writes} section: puter.js 2.6.3's signed batch-write flow
 * (puterjs-client-contract.md 5.3-5.7).
 *
 * @param enabled false answers {@code POST /fs/startBatchWrite} with a code-less {@code 404 Not Found}, which makes
 *                puter.js fall back to {@code /batch} for good (5.2); default true
 * @param singleUploadLimit the largest file uploaded with one {@code PUT}; bigger ones (or ones asking for it) are
 *                          uploaded in parts of at least this size. Default 10 MiB, upstream's
 * @param partSize the default part size of multipart uploads (at least {@code singleUploadLimit}); default 10 MiB
 * @param sweepIntervalSeconds how often expired uploads are marked failed and their staged bytes deleted; 0: never
 *                             (they are refused from the moment they expire anyway); default 60
 */
record SignedWriteSettings(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("single_upload_limit") Long singleUploadLimit,
        @JsonProperty("part_size") Long partSize,
        @JsonProperty("sweep_interval_seconds") Integer sweepIntervalSeconds) {

    static final long MIB = 1L << 20;

    SignedWriteSettings {
        enabled = enabled == null || enabled;
        singleUploadLimit = singleUploadLimit == null ? 10 * MIB : singleUploadLimit;
        if (singleUploadLimit < 1) {
            throw ConfigException.invalid("single_upload_limit", singleUploadLimit, "a positive number of bytes");
        }
        partSize = partSize == null ? 10 * MIB : partSize;
        if (partSize < 1) {
            throw ConfigException.invalid("part_size", partSize, "a positive number of bytes");
        }
        sweepIntervalSeconds = sweepIntervalSeconds == null ? 60 : sweepIntervalSeconds;
        if (sweepIntervalSeconds < 0) {
            throw ConfigException.invalid("sweep_interval_seconds", sweepIntervalSeconds, "0 (off) or more seconds");
        }
    }
}
