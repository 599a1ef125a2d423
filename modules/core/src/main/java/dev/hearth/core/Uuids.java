package dev.hearth.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Name-based UUIDs (RFC 9562 version 5, SHA-1), which the JDK lacks, and UUID/byte conversions. */
public final class Uuids {

    /** The namespace of app uids derived from an origin (spec 2.7). */
    public static final UUID APP_ORIGIN_NAMESPACE = UUID.fromString("33de3768-8ee0-43e9-9e73-db192b97a5d8");

    private Uuids() {}

    /** The version-5 UUID of {@code name} (UTF-8) in {@code namespace}, as the npm {@code uuid} package computes it. */
    public static UUID v5(String name, UUID namespace) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(bytes(namespace));
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        return uuid(hash);
    }

    /** The 16 bytes of a UUID, most significant first. */
    public static byte[] bytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
                .array();
    }

    /** The UUID of the first 16 bytes of {@code b}. */
    public static UUID uuid(byte[] b) {
        ByteBuffer buffer = ByteBuffer.wrap(b, 0, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** The app uid of a canonical origin: {@code "app-" + uuidv5(origin, 33de3768-...)}. */
    public static String appUidFromOrigin(String canonicalOrigin) {
        return "app-" + v5(canonicalOrigin, APP_ORIGIN_NAMESPACE);
    }
}
