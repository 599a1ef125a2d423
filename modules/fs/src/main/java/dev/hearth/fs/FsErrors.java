package dev.hearth.fs;

import dev.hearth.kernel.ApiError;

/**
 * The filesystem's errors, with the statuses, codes, messages and extra fields of filesystem.md 2.6 and 2.8,
 * word for word. Route-specific body shapes ({@code /rename}'s {@code {"error":{...}}}, the code-less name errors
 * of move and copy) are the HTTP layer's to produce from these: an {@code invalid_file_name} error carries its
 * {@code reason} as a field.
 */
public final class FsErrors {

    private FsErrors() {}

    public static ApiError subjectDoesNotExist() {
        return ApiError.of(404, "subject_does_not_exist", "File or directory not found.");
    }

    public static ApiError sourceDoesNotExist() {
        return ApiError.of(404, "source_does_not_exist", "Source was not found.");
    }

    public static ApiError destDoesNotExist() {
        return ApiError.of(422, "dest_does_not_exist", "Destination was not found.");
    }

    public static ApiError destDoesNotExist(String whatDest) {
        return ApiError.of(422, "dest_does_not_exist", "Destination of " + quot(whatDest) + " was not found.")
                .with("what_dest", whatDest);
    }

    /** mkdir's missing parent. */
    public static ApiError mkdirParentDoesNotExist() {
        return destDoesNotExist("parent directory of the new directory being created");
    }

    public static ApiError destIsNotADirectory() {
        return ApiError.of(422, "dest_is_not_a_directory", "Destination must be a directory.");
    }

    public static ApiError itemWithSameNameExists(String name) {
        return ApiError.of(409, "item_with_same_name_exists", "An item with name " + quot(name) + " already exists.")
                .with("entry_name", name);
    }

    public static ApiError cannotMoveItemIntoItself() {
        return ApiError.of(422, "cannot_move_item_into_itself", "Cannot move an item into itself.");
    }

    public static ApiError cannotCopyItemIntoItself() {
        return ApiError.of(422, "cannot_copy_item_into_itself", "Cannot copy an item into itself.");
    }

    public static ApiError sourceAndDestAreTheSame() {
        return ApiError.of(422, "source_and_dest_are_the_same", "Source and destination are the same.");
    }

    /** Also what a move to the root answers (filesystem.md 8.2 item 11). */
    public static ApiError cannotCopyToRoot() {
        return ApiError.of(422, "cannot_copy_to_root", "Cannot copy an item to the root directory.");
    }

    public static ApiError cannotWriteToRoot() {
        return ApiError.of(422, "cannot_write_to_root", "Cannot write an item to the root directory.");
    }

    public static ApiError cannotMkdirInRoot() {
        return ApiError.of(403, "forbidden", "Cannot create directories in the root directory.");
    }

    public static ApiError cannotOverwriteADirectory() {
        return ApiError.of(422, "cannot_overwrite_a_directory", "Cannot overwrite a directory.");
    }

    public static ApiError cannotReadADirectory() {
        return ApiError.of(422, "cannot_read_a_directory", "Cannot read a directory.");
    }

    public static ApiError readdirOfNonDirectory() {
        return ApiError.of(422, "readdir_of_non_directory", "Readdir target must be a directory.");
    }

    public static ApiError notEmpty() {
        return ApiError.of(422, "not_empty", "Directory is not empty.");
    }

    public static ApiError directoryDepthLimitExceeded(int limit, int wouldBe) {
        return ApiError.of(422, "directory_depth_limit_exceeded",
                        "Directory depth limit exceeded. Limit is " + limit + ", would be " + wouldBe + ".")
                .with("limit", limit).with("would_be", wouldBe);
    }

    public static ApiError immutable() {
        return ApiError.of(403, "immutable", "File is immutable.");
    }

    /** The ACL refusal for a node the caller can see. */
    public static ApiError forbidden() {
        return ApiError.of(403, "forbidden", "Permission denied.");
    }

    /** The legacy ownership check of mkdir (filesystem.md 1.10). */
    public static ApiError permissionDenied() {
        return ApiError.of(403, "permission_denied", "Permission denied.");
    }

    public static ApiError storageLimitReached() {
        return ApiError.of(400, "storage_limit_reached", "Storage capacity limit reached.");
    }

    public static ApiError fileTooLarge(long maxSize) {
        return ApiError.of(413, "file_too_large", "File too large. Max size is " + maxSize + " bytes.")
                .with("max_size", maxSize);
    }

    public static ApiError invalidFileName(String name, String reason) {
        return ApiError.of(400, "invalid_file_name", "Invalid file name: " + quot(name) + "; " + reason)
                .with("name", name).with("reason", reason);
    }

    public static ApiError overwriteAndDedupeExclusive() {
        return ApiError.of(400, "overwrite_and_dedupe_exclusive", "Cannot specify both overwrite and dedupe_name.");
    }

    public static ApiError unresolvedRelativePath(String path) {
        return ApiError.of(400, "unresolved_relative_path", "Unresolved relative path: " + quot(path)
                + ". You may need to specify a full path starting with '/'.");
    }

    public static ApiError fieldMissing(String key) {
        return ApiError.of(400, "field_missing", "Field " + quot(key) + " is required.").with("key", key);
    }

    /** A node parameter that is neither a path nor a uuid (filesystem.md 2.4). */
    public static ApiError invalidNodeParameter(String key) {
        return ApiError.of(400, "field_invalid", "Field " + quot(key) + " is invalid. Expected unix-style path or uuid4.")
                .with("key", key).with("expected", "unix-style path or uuid4");
    }

    public static ApiError shortcutToDoesNotExist() {
        return ApiError.of(404, "shortcut_to_does_not_exist", "Shortcut target was not found.");
    }

    public static ApiError uploadFailed() {
        return ApiError.of(500, "upload_failed", "Upload failed.");
    }

    /**
     * Upstream's message quoting: a string in backticks with JSON escaping ({@code `b`}).
     */
    public static String quot(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('`');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('`').toString();
    }
}
