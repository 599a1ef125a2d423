package dev.hearth.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code Range} header read against a length, RFC 9110 §14. Hearth serves single ranges; a request for
 * several ranges gets the whole content ({@link Whole}), which the RFC allows and which every client handles.
 */
sealed interface RangeRequest {

    /** Send everything with {@code 200}: no header, a header we do not understand, or several ranges. */
    record Whole() implements RangeRequest {}

    /** Send bytes {@code first..last} (inclusive) with {@code 206}. */
    record Part(long first, long last) implements RangeRequest {
        long length() {
            return last - first + 1;
        }
    }

    /** No range overlaps the content: {@code 416} with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements RangeRequest {}

    static RangeRequest parse(String header, long length) {
        if (header == null) {
            return new Whole();
        }
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return new Whole(); // an unknown unit is ignored (RFC 9110 §14.2)
        }
        List<Part> parts = new ArrayList<>();
        boolean any = false;
        for (String spec : h.substring(eq + 1).split(",")) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;
            }
            any = true;
            int dash = s.indexOf('-');
            if (dash < 0) {
                return new Whole(); // malformed: ignore the header
            }
            String a = s.substring(0, dash).trim();
            String b = s.substring(dash + 1).trim();
            try {
                if (a.isEmpty()) {
                    // suffix range: the last N bytes
                    if (b.isEmpty() || !digits(b)) {
                        return new Whole();
                    }
                    long n = Long.parseLong(b);
                    if (n > 0 && length > 0) {
                        parts.add(new Part(Math.max(0, length - n), length - 1));
                    }
                } else {
                    if (!digits(a) || !b.isEmpty() && !digits(b)) {
                        return new Whole();
                    }
                    long first = Long.parseLong(a);
                    long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
                    if (last < first) {
                        return new Whole(); // invalid range-spec: the whole header is ignored
                    }
                    if (first < length) {
                        parts.add(new Part(first, Math.min(last, length - 1)));
                    }
                }
            } catch (NumberFormatException tooBig) {
                return new Whole();
            }
        }
        if (!any) {
            return new Whole();
        }
        if (parts.isEmpty()) {
            return new Unsatisfiable();
        }
        return parts.size() == 1 ? parts.getFirst() : new Whole();
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
