package dev.hearth.storage.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.kernel.ConfigException;

/**
 * The {@code services.s3} section. Without a {@code bucket} the module registers nothing and the filesystem keeps
 * its content on the local disk.
 *
 * @param bucket the bucket that holds the content; it must exist (the boot fails naming this key otherwise)
 * @param region the signing region (default {@code us-east-1}, which S3-compatible servers accept)
 * @param endpoint the server's URL, e.g. {@code https://s3.example.org}; empty for AWS itself
 * @param accessKeyId the access key; empty to use the SDK's default chain (environment, profile, instance role)
 * @param secretAccessKey its secret; required with {@code access_key_id}; never printed
 * @param prefix a folder inside the bucket under which every key goes, e.g. {@code hearth/}; empty for none
 * @param compat for older S3-compatible servers: path-style URLs, no {@code aws-chunked} bodies, checksums only
 *               where an operation requires them (such servers otherwise store the chunk framing inside the object)
 * @param partSizeMb the part size of multipart uploads in MiB (default 8, 5 to 512): the memory one upload of
 *                   unknown length holds, and the size above which an upload is sent in parts
 */
record S3Settings(String bucket, String region, String endpoint,
        @JsonProperty("access_key_id") String accessKeyId,
        @JsonProperty("secret_access_key") String secretAccessKey,
        String prefix, boolean compat,
        @JsonProperty("part_size_mb") Integer partSizeMb) {

    S3Settings {
        bucket = bucket == null ? "" : bucket.trim();
        region = region == null || region.isBlank() ? "us-east-1" : region.trim();
        endpoint = endpoint == null ? "" : endpoint.trim();
        if (!endpoint.isEmpty()) {
            try {
                URI uri = new URI(endpoint);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(endpoint, "not an http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw ConfigException.invalid("endpoint", endpoint, "an http:// or https:// URL of the S3 server");
            }
        }
        accessKeyId = accessKeyId == null ? "" : accessKeyId.trim();
        secretAccessKey = secretAccessKey == null ? "" : secretAccessKey;
        if (!accessKeyId.isEmpty() && secretAccessKey.isEmpty()) {
            throw ConfigException.invalid("secret_access_key", null, "the secret of access_key_id");
        }
        if (accessKeyId.isEmpty() && !secretAccessKey.isEmpty()) {
            throw ConfigException.invalid("access_key_id", null, "the access key whose secret is secret_access_key");
        }
        prefix = prefix == null ? "" : prefix.trim();
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (prefix.length() > 512) {
            throw ConfigException.invalid("prefix", prefix, "at most 512 characters");
        }
        partSizeMb = partSizeMb == null ? 8 : partSizeMb;
        if (partSizeMb < 5 || partSizeMb > 512) {
            // S3 refuses parts under 5 MiB (but the last); each upload holds one part in memory.
            throw ConfigException.invalid("part_size_mb", partSizeMb, "5 to 512 (MiB)");
        }
    }

    boolean configured() {
        return !bucket.isEmpty();
    }

    Optional<URI> endpointUri() {
        return endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint));
    }

    int partSize() {
        return partSizeMb * 1024 * 1024;
    }

    /** Where the content goes, for the boot log: no credentials. */
    String describe() {
        return "S3 bucket '" + bucket + "'" + (prefix.isEmpty() ? "" : " under '" + prefix + "'")
                + (endpoint.isEmpty() ? " in " + region : " at " + endpoint) + (compat ? " (compat)" : "");
    }

    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", access_key_id="
                + accessKeyId + ", secret_access_key=" + (secretAccessKey.isEmpty() ? "" : "********") + ", prefix="
                + prefix + ", compat=" + compat + ", part_size_mb=" + partSizeMb + "]";
    }
}
