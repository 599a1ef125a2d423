package dev.hearth.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route's path: literal segments, {@code :name} or {@code {name}} parameters, and an optional trailing
 * {@code *}. Matching works segment by segment on the raw path and decodes each segment afterwards, so that an
 * encoded slash inside a parameter stays inside it.
 */
final class PathPattern {

    static final String WILDCARD = "*";

    private sealed interface Part permits Literal, Param {}

    private record Literal(String text) implements Part {}

    private record Param(String name) implements Part {}

    private final String text;
    private final List<Part> parts;
    private final boolean wildcard;

    private PathPattern(String text, List<Part> parts, boolean wildcard) {
        this.text = text;
        this.parts = parts;
        this.wildcard = wildcard;
    }

    static PathPattern parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("a path pattern starts with '/': " + pattern);
        }
        List<String> segments = segments(pattern);
        List<Part> parts = new ArrayList<>();
        boolean wildcard = false;
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.equals(WILDCARD)) {
                if (i != segments.size() - 1) {
                    throw new IllegalArgumentException("'*' may only end a path pattern: " + pattern);
                }
                wildcard = true;
            } else if (s.startsWith(":") && s.length() > 1) {
                parts.add(new Param(s.substring(1)));
            } else if (s.startsWith("{") && s.endsWith("}") && s.length() > 2) {
                parts.add(new Param(s.substring(1, s.length() - 1)));
            } else {
                parts.add(new Literal(decode(s)));
            }
        }
        return new PathPattern(pattern, List.copyOf(parts), wildcard);
    }

    /**
     * A request path split into segments, raw and decoded, once for all the patterns it is tried against (the route
     * table is scanned in order, and splitting the path again for each route was most of the routing's cost).
     */
    record Path(List<String> raw, List<String> decoded) {
        static Path of(String path) {
            List<String> raw = segments(path);
            List<String> decoded = new ArrayList<>(raw.size());
            for (String s : raw) {
                decoded.add(decode(s));
            }
            return new Path(raw, decoded);
        }
    }

    /** The first segment when it is literal: only paths starting with it can match. */
    Optional<String> firstLiteral() {
        return !parts.isEmpty() && parts.getFirst() instanceof Literal l ? Optional.of(l.text()) : Optional.empty();
    }

    /** The decoded parameters if {@code path} (raw, without query) matches. */
    Optional<Map<String, String>> match(String path) {
        return match(Path.of(path));
    }

    Optional<Map<String, String>> match(Path path) {
        List<String> segments = path.decoded();
        if (segments.size() < parts.size() || !wildcard && segments.size() != parts.size()) {
            return Optional.empty();
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Literal l && !l.text().equals(segments.get(i))) {
                return Optional.empty();
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Param p) {
                if (segments.get(i).isEmpty()) {
                    return Optional.empty();
                }
                params.put(p.name(), segments.get(i));
            }
        }
        if (wildcard) {
            List<String> rest = path.raw().subList(parts.size(), path.raw().size());
            params.put(WILDCARD, decode(String.join("/", rest)));
        }
        return Optional.of(params);
    }

    @Override
    public String toString() {
        return text;
    }

    /** The segments of a path; a trailing slash does not make an extra segment, but inner empty ones count. */
    private static List<String> segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return List.of();
        }
        return List.of(p.split("/", -1));
    }

    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            // URLDecoder turns '+' into a space, which is right for queries but not for paths.
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }
}
