package dev.hearth.hosting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * A request path inside a site, made safe (spec 5.4 step 9, Hearth's fix): percent-decoded first, then normalised,
 * then confined to the site's root. Encoded slashes and backslashes, NUL and other control characters, malformed
 * escapes, and {@code ..} that would climb above the root are refused (the caller answers with the site's 404).
 */
final class SitePaths {

    private SitePaths() {}

    /**
     * The normalised path, starting with {@code /}, ending with {@code /} when the request's did (a folder), or empty
     * when the path is refused.
     */
    static Optional<String> resolve(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
            return Optional.empty();
        }
        Optional<String> decoded = decode(rawPath);
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        String path = decoded.get();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty(); // an escape attempt: never clamp it into something else
                }
                parts.removeLast();
                continue;
            }
            parts.addLast(segment);
        }
        boolean folder = path.isEmpty() || path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
        String joined = "/" + String.join("/", parts);
        return Optional.of(folder && !joined.equals("/") ? joined + "/" : joined);
    }

    /** Percent-decoding as UTF-8 ({@code +} stays a plus: this is a path, not a form). */
    static Optional<String> decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return Optional.of(raw);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int plain = 0; // start of the run of characters not yet copied
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                bytes.writeBytes(raw.substring(plain, i).getBytes(StandardCharsets.UTF_8));
                if (i + 2 >= raw.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
                plain = i + 1;
            }
        }
        bytes.writeBytes(raw.substring(plain).getBytes(StandardCharsets.UTF_8));
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
