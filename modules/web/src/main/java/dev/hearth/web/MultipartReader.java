package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.ApiError;

/**
 * Reads a {@code multipart/form-data} body part by part, straight from the socket: each part's content is a
 * stream that ends at the next boundary, so a large file flows to its destination in bounded memory. Parts
 * come in order; asking for the next part skips what is left of the current one.
 *
 * <pre>{@code
 * MultipartReader parts = MultipartReader.of(req);
 * for (Optional<Part> p = parts.next(); p.isPresent(); p = parts.next()) { ... p.get().content() ... }
 * }</pre>
 */
public final class MultipartReader {

    /**
     * One part.
     *
     * @param name the form field name ({@code Content-Disposition} {@code name}); empty if absent
     * @param filename the file name, for file fields
     * @param contentType the part's {@code Content-Type}, if given
     * @param headers every header of the part, names in lower case
     * @param content the part's bytes, readable until the next boundary
     */
    public record Part(String name, Optional<String> filename, Optional<String> contentType,
            Map<String, String> headers, InputStream content) {}

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_LINES = 100;

    private final InputStream in;
    private final byte[] delimiter; // CRLF "--" boundary
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean partEnded;
    private boolean done;
    private int generation;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary has no CRLF before it; pretending it does lets one delimiter serve throughout.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** A reader of {@code req}'s body; a {@code 400} if the body is not multipart with a boundary. */
    public static MultipartReader of(Request req) {
        String type = req.contentType().orElse("");
        Optional<String> boundary = parameter(type, "boundary");
        if (!type.toLowerCase(Locale.ROOT).startsWith("multipart/") || boundary.isEmpty()
                || boundary.get().isEmpty() || boundary.get().length() > 200) {
            throw ApiError.badRequest("The request body is not multipart/form-data.");
        }
        return new MultipartReader(req.body(), boundary.get());
    }

    /** The next part, or empty after the last one. */
    public Optional<Part> next() throws IOException {
        if (done) {
            return Optional.empty();
        }
        // Skip the preamble (before the first part) or the rest of the current part.
        byte[] skip = new byte[8192];
        while (readContent(skip, 0, skip.length) >= 0) {
            // discard
        }
        generation++; // the previous part's stream reads no more
        fill(2);
        if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            done = true;
            return Optional.empty();
        }
        String rest = readLine(); // transport padding after the boundary, then CRLF
        if (!rest.isBlank()) {
            throw malformed("garbage after a boundary");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int lines = 0;; lines++) {
            String line = readLine();
            if (line.isEmpty()) {
                break;
            }
            if (lines > MAX_HEADER_LINES) {
                throw malformed("too many part headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("a part header without a colon");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        partEnded = false;
        String disposition = headers.getOrDefault("content-disposition", "");
        return Optional.of(new Part(parameter(disposition, "name").orElse(""), parameter(disposition, "filename"),
                Optional.ofNullable(headers.get("content-type")), Map.copyOf(headers), new PartStream(generation)));
    }

    private final class PartStream extends InputStream {
        private final int of;

        PartStream(int of) {
            this.of = of;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return of != generation ? -1 : readContent(b, off, len);
        }
    }

    /** Reads content up to the next delimiter; -1 once it is reached (and consumed). */
    private int readContent(byte[] b, int off, int len) throws IOException {
        if (partEnded) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        fill(delimiter.length);
        int at = indexOf(delimiter);
        if (at == pos) {
            pos += delimiter.length;
            partEnded = true;
            return -1;
        }
        int available;
        if (at > 0) {
            available = at - pos;
        } else if (eof) {
            throw malformed("the body ended before the closing boundary");
        } else {
            // Bytes that cannot be the start of a delimiter split across reads.
            available = lim - pos - (delimiter.length - 1);
        }
        int n = Math.min(len, available);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = pos; i + 1 < lim; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 2;
                    return line;
                }
            }
            if (lim - pos >= buf.length) {
                throw malformed("a part header line is too long");
            }
            if (eof) {
                throw malformed("the body ended inside the part headers");
            }
            fill(lim - pos + 1);
        }
    }

    /** Makes at least {@code n} bytes available from {@code pos}, unless the stream ends first. */
    private void fill(int n) throws IOException {
        if (lim - pos >= n) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
    }

    private int indexOf(byte[] pattern) {
        outer:
        for (int i = pos; i + pattern.length <= lim; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static ApiError malformed(String why) {
        return ApiError.badRequest("Malformed multipart body: " + why + ".");
    }

    /** A parameter of a header value such as {@code form-data; name="a"; filename="b.txt"}. */
    static Optional<String> parameter(String header, String name) {
        int i = 0;
        int n = header.length();
        // skip the value before the first ';'
        while (i < n && header.charAt(i) != ';') {
            if (header.charAt(i) == '"') {
                i = skipQuoted(header, i);
            } else {
                i++;
            }
        }
        while (i < n) {
            i++; // ';'
            while (i < n && header.charAt(i) == ' ') {
                i++;
            }
            int eq = i;
            while (eq < n && header.charAt(eq) != '=' && header.charAt(eq) != ';') {
                eq++;
            }
            String key = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            if (eq >= n || header.charAt(eq) == ';') {
                i = eq;
                continue;
            }
            int v = eq + 1;
            while (v < n && header.charAt(v) == ' ') {
                v++;
            }
            String value;
            if (v < n && header.charAt(v) == '"') {
                StringBuilder sb = new StringBuilder();
                int j = v + 1;
                while (j < n && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        c = header.charAt(++j);
                    }
                    sb.append(c);
                    j++;
                }
                value = sb.toString();
                i = j + 1;
                while (i < n && header.charAt(i) != ';') {
                    i++;
                }
            } else {
                int end = v;
                while (end < n && header.charAt(end) != ';') {
                    end++;
                }
                value = header.substring(v, end).trim();
                i = end;
            }
            if (key.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static int skipQuoted(String s, int start) {
        int j = start + 1;
        while (j < s.length() && s.charAt(j) != '"') {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return j + 1;
    }
}
