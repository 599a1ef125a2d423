package dev.hearth.core;

import java.nio.charset.StandardCharsets;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

/**
 * bcrypt as Node's {@code bcrypt} package does it, so that hashes move both ways between Puter and Hearth: {@code $2b$}
 * hashes, passwords truncated to their first 72 UTF-8 bytes. Verification accepts {@code $2a$}, {@code $2b$} and
 * {@code $2y$} at any cost.
 */
final class Passwords {

    /** Puter hashes with cost 8; the spec lets Hearth hash new passwords with a higher one. */
    static final int DEFAULT_COST = 10;

    private final int cost;
    private final BCrypt.Hasher hasher = BCrypt.with(BCrypt.Version.VERSION_2B,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));

    Passwords(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost is 4 to 31, not " + cost);
        }
        this.cost = cost;
    }

    String hash(String password) {
        return new String(hasher.hash(cost, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    /** Whether {@code password} matches {@code hash}; false for anything that is not a bcrypt hash. */
    boolean verify(String password, String hash) {
        if (password == null || hash == null || hash.length() < 7) {
            return false;
        }
        BCrypt.Version version = switch (hash.substring(0, 4)) {
            case "$2a$" -> BCrypt.Version.VERSION_2A;
            case "$2b$" -> BCrypt.Version.VERSION_2B;
            case "$2y$" -> BCrypt.Version.VERSION_2Y;
            default -> null;
        };
        if (version == null) {
            return false;
        }
        try {
            return BCrypt.verifyer(version, LongPasswordStrategies.truncate(version))
                    .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.US_ASCII)).verified;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
