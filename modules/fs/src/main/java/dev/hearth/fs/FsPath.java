package dev.hearth.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An absolute, normalised filesystem path: {@code /}, or {@code /alice/Desktop/a.txt}. Duplicate slashes,
 * trailing slashes and {@code .} segments are gone, {@code ..} segments are resolved and never climb above the
 * root, and the text is in Unicode normalisation form C. Comparison is exact (case-sensitive).
 */
public record FsPath(String value) implements Comparable<FsPath> {

    public static final FsPath ROOT = new FsPath("/");

    public FsPath {
        Objects.requireNonNull(value);
        if (!value.equals(normalizeAbsolute(value))) {
            throw new IllegalArgumentException("not a normalised absolute path: " + value);
        }
    }

    /**
     * Normalises an absolute path.
     *
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static FsPath of(String path) {
        return new FsPath(normalizeAbsolute(path));
    }

    static String normalizeAbsolute(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(part);
        }
        return FsNames.normalize(parts.isEmpty() ? "/" : "/" + String.join("/", parts));
    }

    public boolean isRoot() {
        return value.equals("/");
    }

    /** The components, {@code []} for the root. */
    public List<String> components() {
        return isRoot() ? List.of() : List.of(value.substring(1).split("/"));
    }

    /** The number of components: 0 for the root, 1 for a home directory. */
    public int depth() {
        return isRoot() ? 0 : (int) value.chars().filter(c -> c == '/').count();
    }

    /** The last component; {@code /} for the root. */
    public String name() {
        return isRoot() ? "/" : value.substring(value.lastIndexOf('/') + 1);
    }

    /** The parent directory; the root is its own parent. */
    public FsPath parent() {
        if (isRoot()) {
            return this;
        }
        int slash = value.lastIndexOf('/');
        return new FsPath(slash == 0 ? "/" : value.substring(0, slash));
    }

    /** The path of a child; {@code name} must be one component. */
    public FsPath child(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a single path component: " + name);
        }
        return new FsPath(FsNames.normalize((isRoot() ? "/" : value + "/") + name));
    }

    /** Resolves a relative path (one or several components, {@code .} and {@code ..} allowed) against this one. */
    public FsPath resolve(String relative) {
        return of((isRoot() ? "" : value) + "/" + relative);
    }

    /** This path or one below it. */
    public boolean isWithin(FsPath ancestor) {
        return ancestor.isRoot() || value.equals(ancestor.value) || value.startsWith(ancestor.value + "/");
    }

    /** The owner's home as named by the first component (the user's name), if this is not the root. */
    public java.util.Optional<String> homeName() {
        return isRoot() ? java.util.Optional.empty() : java.util.Optional.of(components().getFirst());
    }

    @Override
    public int compareTo(FsPath o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
