package dev.hearth.fs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The serialized entry (filesystem.md 2.7) in the key order each route answers with (examples.md section 2): the
 * same fields as {@link SafeEntry}, placed as upstream's responses place them.
 */
final class FsJson {

    private FsJson() {}

    private static final List<String> HEAD = List.of("id", "associated_app_id", "public_token", "file_request_token",
            "parent_uid", "is_dir", "is_public", "is_shortcut", "is_symlink", "symlink_path", "shortcut_to",
            "shortcut_to_path", "sort_by", "sort_order", "immutable", "name", "metadata", "modified", "created",
            "accessed", "size", "layout", "path");

    /** mkdir, write, copy, move: the row, the thumbnail, then the derived fields. */
    static final List<String> WRITTEN = concat(HEAD, List.of("thumbnail", "owner", "dirname", "dirpath", "writable",
            "parent_id", "uid", "appdata_app", "subdomains", "workers", "has_website"));

    /** stat: {@code is_empty} first, {@code owner} and {@code type} after the path, no thumbnail. */
    static final List<String> STAT = concat(concat(List.of("is_empty"), HEAD), List.of("owner", "type", "dirname",
            "dirpath", "writable", "parent_id", "uid", "appdata_app", "subdomains", "workers", "has_website"));

    /** move: the associations and the owner after the path. */
    static final List<String> MOVED = concat(HEAD, List.of("suggested_apps", "owner", "thumbnail", "dirname", "dirpath",
            "writable", "parent_id", "uid", "appdata_app", "subdomains", "workers", "has_website"));

    /** copy: the order in which upstream builds the copied row. */
    static final List<String> COPIED = List.of("is_dir", "parent_uid", "name", "created", "modified", "path", "size",
            "associated_app_id", "id", "public_token", "file_request_token", "is_public", "is_shortcut", "is_symlink",
            "symlink_path", "shortcut_to", "shortcut_to_path", "sort_by", "sort_order", "immutable", "metadata",
            "accessed", "layout", "thumbnail", "owner", "dirname", "dirpath", "writable", "parent_id", "uid",
            "appdata_app", "subdomains", "workers", "has_website");

    /** readdir: the leaked subdomain columns, the thumbnail, then the associations. */
    static final List<String> LISTED = concat(HEAD, List.of("owner", "subdomain_uuid", "subdomain_subdomain",
            "thumbnail", "subdomains", "suggested_apps", "workers", "has_website", "dirname", "dirpath", "writable",
            "parent_id", "uid", "appdata_app"));

    /** {@code map}'s keys in {@code order}; keys the order does not name follow, as they were. */
    static Map<String, Object> ordered(Map<String, Object> map, List<String> order) {
        Map<String, Object> out = LinkedHashMap.newLinkedHashMap(map.size() + 4);
        for (String key : order) {
            if (map.containsKey(key)) {
                out.put(key, map.get(key));
            }
        }
        map.forEach(out::putIfAbsent);
        return out;
    }

    static Map<String, Object> written(Entry e, FsUser viewer) {
        return ordered(SafeEntry.of(e, viewer, true), WRITTEN);
    }

    /** The v2 entry of {@code /fs/readdir} (puterjs-client-contract.md 5.11, 5.13). */
    static Map<String, Object> v2(Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", e.uuid());
        m.put("uid", e.uuid());
        m.put("parentUid", e.parentUid().orElse(null));
        m.put("path", e.path().value());
        m.put("name", e.name());
        m.put("isDir", e.isDir());
        m.put("isShortcut", e.isShortcut());
        m.put("shortcutTo", e.shortcutTo().orElse(null));
        m.put("isSymlink", e.isSymlink());
        m.put("symlinkPath", e.symlinkPath().orElse(null));
        m.put("isPublic", e.isPublic().orElse(null));
        m.put("immutable", e.immutable());
        m.put("metadata", e.metadata().orElse(null));
        m.put("modified", e.modified());
        m.put("created", e.created());
        m.put("accessed", e.accessed().orElse(null));
        m.put("size", e.isDir() ? null : e.size().orElse(null));
        m.put("layout", e.layout().orElse(null));
        m.put("subdomains", List.of());
        m.put("workers", List.of());
        m.put("hasWebsite", false);
        m.put("suggestedApps", List.of());
        m.put("type", e.isDir() ? null : MediaTypes.of(e).orElse(null));
        m.put("thumbnail", e.thumbnail().orElse(null));
        m.put("associatedApp", null);
        return m;
    }

    static Optional<String> type(Entry e) {
        return e.isDir() ? Optional.empty() : MediaTypes.of(e);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
