package dev.hearth.fs;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a request names a node (filesystem.md 2.4): by uuid or by path. {@link #parse} applies the resolution
 * rules of node parameters; {@link #raw()} keeps the string as the client sent it, which some events repeat
 * ({@code item.removed.path}).
 */
public sealed interface NodeRef {

    /** The string as received. */
    String raw();

    /** A node addressed by its uuid (lower case). */
    record ByUid(String uid, String raw) implements NodeRef {
        public ByUid {
            Objects.requireNonNull(uid);
            Objects.requireNonNull(raw);
        }
    }

    /** A node addressed by an absolute, normalised path. */
    record ByPath(FsPath path, String raw) implements NodeRef {
        public ByPath {
            Objects.requireNonNull(path);
            Objects.requireNonNull(raw);
        }
    }

    Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[089ab][0-9a-f]{3}-[0-9a-f]{12}$", Pattern.CASE_INSENSITIVE);

    static NodeRef uid(String uid) {
        return new ByUid(uid.toLowerCase(java.util.Locale.ROOT), uid);
    }

    static NodeRef path(FsPath path) {
        return new ByPath(path, path.value());
    }

    static NodeRef path(String absolute) {
        return path(FsPath.of(absolute));
    }

    /**
     * Resolves a node parameter.
     *
     * @param key the parameter's name, for the error bodies ({@code path}, {@code source}...)
     * @param value the value, or null when absent
     * @param username the acting user's name, for {@code ~} expansion
     * @throws dev.hearth.kernel.ApiError {@code field_missing} when absent; {@code field_invalid} for a value that
     *         is neither a uuid nor a path (including {@code ""} and {@code ~x}) or contains control or unsafe
     *         characters; {@code unresolved_relative_path} for a relative path
     */
    static NodeRef parse(String key, String value, String username) {
        if (value == null) {
            throw FsErrors.fieldMissing(key);
        }
        if (value.isEmpty()) {
            throw FsErrors.invalidNodeParameter(key);
        }
        char first = value.charAt(0);
        if (first != '/' && first != '.' && first != '~') {
            if (UUID.matcher(value).matches()) {
                return new ByUid(value.toLowerCase(java.util.Locale.ROOT), value);
            }
            throw FsErrors.invalidNodeParameter(key);
        }
        String expanded = value;
        if (first == '~') {
            if (value.equals("~")) {
                expanded = "/" + username;
            } else if (value.startsWith("~/")) {
                expanded = "/" + username + value.substring(1);
            } else {
                throw FsErrors.invalidNodeParameter(key);
            }
        }
        if (FsNames.hasUnsafeCharacter(expanded)) {
            throw FsErrors.invalidNodeParameter(key);
        }
        if (expanded.charAt(0) != '/') {
            throw FsErrors.unresolvedRelativePath(value);
        }
        return new ByPath(FsPath.of(expanded), value);
    }
}
