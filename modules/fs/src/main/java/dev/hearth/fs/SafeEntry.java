package dev.hearth.fs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serialized entry of filesystem.md 2.7, as a JSON-ready map: the shape every legacy route returns and
 * every socket event carries. Route-specific additions ({@code type}, {@code is_empty}, {@code suggested_apps},
 * {@code associated_app}, subdomains...) are the caller's to add to the map.
 */
public final class SafeEntry {

    private SafeEntry() {}

    /**
     * @param viewer the user who will see it: {@code owner} is added when it is someone else's entry, and
     *               {@code writable} says whether the viewer owns it (the ACL's answer is the caller's to put)
     * @param withThumbnail whether {@code thumbnail} is included (readdir, write, copy, move, events: yes; stat: no)
     */
    public static Map<String, Object> of(Entry e, FsUser viewer, boolean withThumbnail) {
        // Sized for the ~35 fields and what callers add, so that it never grows (rehashing showed in /stat's profile).
        Map<String, Object> m = LinkedHashMap.newLinkedHashMap(48);
        if (e.isRoot()) {
            m.put("id", e.uuid());
            m.put("uid", e.uuid());
            m.put("name", "/");
            m.put("path", "/");
            m.put("is_dir", true);
            m.put("is_root", true);
            m.put("immutable", 1);
            return m;
        }
        m.put("id", e.uuid());
        m.put("uid", e.uuid());
        m.put("parent_id", e.parentUid().orElse(null));
        m.put("parent_uid", e.parentUid().orElse(null));
        m.put("associated_app_id", e.associatedAppId().orElse(null));
        m.put("public_token", e.publicToken().orElse(null));
        m.put("file_request_token", e.fileRequestToken().orElse(null));
        m.put("is_dir", e.isDir());
        m.put("is_public", e.isPublic().orElse(null));
        m.put("is_shortcut", e.isShortcut() ? 1 : 0);
        m.put("is_symlink", e.isSymlink() ? 1 : 0);
        m.put("symlink_path", e.symlinkPath().orElse(null));
        if (e.isShortcut()) {
            m.put("shortcut_to", e.shortcutTo().orElse(null));
        }
        m.put("sort_by", e.sortBy().orElse(null));
        m.put("sort_order", e.sortOrder().orElse(null));
        m.put("immutable", e.immutable() ? 1 : 0);
        m.put("name", e.name());
        m.put("metadata", e.metadata().orElse(null));
        m.put("modified", e.modified());
        m.put("created", e.created());
        m.put("accessed", e.accessed().orElse(null));
        m.put("size", e.isDir() ? null : e.size().orElse(null));
        m.put("layout", e.layout().orElse(null));
        m.put("path", e.path().value());
        String dirname = e.path().parent().value();
        m.put("dirname", dirname);
        m.put("dirpath", dirname);
        if (withThumbnail) {
            m.put("thumbnail", e.thumbnail().orElse(null));
        }
        m.put("writable", e.userId() == viewer.id());
        if (e.userId() != viewer.id()) {
            m.put("owner", Map.of("username", e.ownerUsername()));
        }
        List<String> parts = e.path().components();
        if (parts.size() >= 3 && parts.get(1).equals("AppData")) {
            m.put("appdata_app", parts.get(2));
        }
        m.put("subdomains", List.of());
        m.put("workers", List.of());
        m.put("has_website", false);
        return m;
    }
}
