package dev.hearth.fs;

import java.text.Normalizer;

/**
 * The rules for entry names (filesystem.md 2.8). Hearth applies both of upstream's checks to every name that
 * creates or renames an entry: {@code validate_fsentry_name} (not empty, no {@code /}, not {@code .} or
 * {@code ..}, at most {@code max_fsentry_name_length} characters) and {@code is_valid_node_name} (no control or
 * "unsafe" Unicode characters, not only dots), the latter with the reason {@code invalid node name}.
 *
 * <p>Names are compared case-sensitively and stored in Unicode normalisation form C, like the paths that
 * address them, so that a name typed on one system and one uploaded from another (macOS sends decomposed
 * accents) address the same entry.
 */
public final class FsNames {

    /** {@code config.max_fsentry_name_length} upstream. */
    public static final int DEFAULT_MAX_LENGTH = 767;

    private FsNames() {}

    /** NFC, the form names and paths are stored and compared in. */
    public static String normalize(String s) {
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    /**
     * The reason a name is refused, or empty if it is fine.
     */
    public static java.util.Optional<String> problem(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            return java.util.Optional.of("Name can not be empty.");
        }
        if (name.indexOf('/') >= 0) {
            return java.util.Optional.of("Name can not contain the '/' character.");
        }
        if (name.equals(".")) {
            return java.util.Optional.of("Name can not be the '.' character.");
        }
        if (name.equals("..")) {
            return java.util.Optional.of("Name can not be the '..' character.");
        }
        if (name.length() > maxLength) {
            return java.util.Optional.of("Name can not be longer than " + maxLength + " characters");
        }
        if (hasUnsafeCharacter(name) || onlyDots(name)) {
            return java.util.Optional.of("invalid node name");
        }
        return java.util.Optional.empty();
    }

    /**
     * The name in NFC, or an {@code invalid_file_name} error.
     *
     * @throws dev.hearth.kernel.ApiError {@code 400 invalid_file_name} with the fields {@code name} and {@code reason}
     */
    public static String validate(String name, int maxLength) {
        var problem = problem(name, maxLength);
        if (problem.isPresent()) {
            throw FsErrors.invalidFileName(name == null ? "" : name, problem.get());
        }
        return normalize(name);
    }

    /** Control characters and the Unicode ranges upstream calls unsafe (filesystem.md 2.4 step 4). */
    static boolean hasUnsafeCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isUnsafe(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean isUnsafe(char c) {
        return c <= 0x1F
                || (c >= 0x202A && c <= 0x202E)
                || c == 0x200E || c == 0x200F
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029
                || (c >= 0xFF01 && c <= 0xFF5E)
                || c == 0x2060 || c == 0xFEFF
                || c == 0xFFFE || c == 0xFFFF;
    }

    static boolean onlyDots(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c == '.');
    }

    /**
     * The {@code n}-th candidate when a name is taken: {@code "<base> (n)<ext>"} for files (the extension is what
     * follows the last dot, when the dot is not the first character), {@code "<name> (n)"} for directories.
     */
    public static String dedupe(String name, boolean directory, int n) {
        if (!directory) {
            int dot = name.lastIndexOf('.');
            if (dot > 0) {
                return name.substring(0, dot) + " (" + n + ")" + name.substring(dot);
            }
        }
        return name + " (" + n + ")";
    }
}
