package dev.hearth.core;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226) as Puter's 2FA uses them (spec 1.6.3): HMAC-SHA1, 30 s
 * steps, 6 digits, one step of tolerance either way; base32 secrets; single-use recovery codes kept as truncated
 * SHA-256 hashes (Puter's format, so that codes issued by an upstream installation keep working).
 */
public final class Totp {

    /** The issuer in {@code otpauth://} URLs; authenticator apps show it. Puter's value, so existing entries match. */
    public static final String ISSUER = "puter.com";
    public static final int DIGITS = 6;
    public static final int PERIOD_SECONDS = 30;
    public static final int RECOVERY_CODES = 10;

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What 2FA set-up hands the user once: the secret, its {@code otpauth://} URL and the recovery codes. */
    public record Setup(String secret, String url, List<String> recoveryCodes) {}

    private Totp() {}

    /** A new secret: 15 random bytes in base32 (24 characters, no padding). */
    public static String newSecret() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return base32(b).substring(0, 24);
    }

    /** Ten recovery codes: 6 random bytes each in base32, first 8 characters. */
    public static List<String> newRecoveryCodes() {
        List<String> codes = new ArrayList<>(RECOVERY_CODES);
        for (int i = 0; i < RECOVERY_CODES; i++) {
            byte[] b = new byte[6];
            RANDOM.nextBytes(b);
            codes.add(base32(b).substring(0, 8));
        }
        return codes;
    }

    /** How a recovery code is kept at rest: base64(sha256(code)), first 22 characters; the code as typed. */
    public static String hashRecoveryCode(String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest).substring(0, 22);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code otpauth://totp/puter.com:<username>?issuer=puter.com&secret=...&algorithm=SHA1&digits=6&period=30}. */
    public static String url(String username, String secret) {
        return "otpauth://totp/" + ISSUER + ":" + URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20")
                + "?issuer=" + ISSUER + "&secret=" + secret + "&algorithm=SHA1&digits=" + DIGITS + "&period="
                + PERIOD_SECONDS;
    }

    /** Whether {@code code} is the 6-digit code of {@code secret} at {@code now}, or one step before or after. */
    public static boolean verify(String secret, String code, Instant now) {
        if (code == null) {
            return false;
        }
        String typed = code.strip();
        if (typed.length() != DIGITS || !typed.chars().allMatch(Character::isDigit)) {
            return false;
        }
        byte[] key;
        try {
            key = base32Decode(secret);
        } catch (IllegalArgumentException e) {
            return false;
        }
        long step = Math.floorDiv(now.getEpochSecond(), PERIOD_SECONDS);
        boolean ok = false;
        for (long delta = -1; delta <= 1; delta++) {
            // No early exit: the comparison takes the same time whichever step matches.
            ok |= MessageDigest.isEqual(code(key, step + delta, DIGITS, "HmacSHA1").getBytes(StandardCharsets.US_ASCII),
                    typed.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    /** The code of {@code secret} at {@code now} (for tests and set-up screens). */
    public static String codeAt(String secret, Instant now) {
        return code(base32Decode(secret), Math.floorDiv(now.getEpochSecond(), PERIOD_SECONDS), DIGITS, "HmacSHA1");
    }

    /** RFC 4226's HOTP value of {@code counter}, with RFC 6238's choice of HMAC ({@code HmacSHA1/256/512}). */
    static String code(byte[] key, long counter, int digits, String hmac) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(counter).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            int otp = (int) (binary % (long) Math.pow(10, digits));
            return String.format(Locale.ROOT, "%0" + digits + "d", otp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4648 base32, upper case, without padding. */
    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** Decodes base32, ignoring case, spaces and padding. */
    static byte[] base32Decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '=' || c == ' ') {
                continue;
            }
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + c);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
