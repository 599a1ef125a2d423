package dev.hearth.apps;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/** The shapes apps take on the wire, in upstream's key order (examples.md 1.1, 2.x, 3.17–3.24). */
final class AppJson {

    private AppJson() {}

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * The icon as clients get it: with a size, the sized icon URL; a stored icon or none, the icon URL (an app
     * without an icon gets the generated one there); a data URL as it is.
     */
    static String iconUrl(App app, String apiBaseUrl, OptionalInt size) {
        if (size.isPresent()) {
            return apiBaseUrl + AppIcons.marker(app.uid()) + "/" + size.getAsInt();
        }
        if (app.icon().isEmpty() || app.iconStored()) {
            return apiBaseUrl + AppIcons.marker(app.uid());
        }
        return app.icon();
    }

    /** Upstream's raw {@code apps} row (readdir's {@code suggested_apps}, the taskbar): flags as 0/1. */
    static Map<String, Object> rawRow(App app, String apiBaseUrl, OptionalInt iconSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", app.id());
        m.put("uid", app.uid());
        m.put("owner_user_id", app.ownerUserId().orElse(null));
        m.put("icon", iconUrl(app, apiBaseUrl, iconSize));
        m.put("name", app.name());
        m.put("title", app.title());
        m.put("description", app.description().orElse(null));
        m.put("godmode", bit(app.godmode()));
        m.put("maximize_on_start", bit(app.maximizeOnStart()));
        m.put("index_url", app.indexUrl());
        m.put("approved_for_listing", bit(app.approvedForListing()));
        m.put("approved_for_opening_items", bit(app.approvedForOpeningItems()));
        m.put("approved_for_incentive_program", bit(app.approvedForIncentiveProgram()));
        m.put("timestamp", TIMESTAMP.format(app.createdAt()));
        m.put("last_review", null);
        m.put("tags", app.tags().orElse(null));
        m.put("app_owner", app.appOwner().orElse(null));
        m.put("background", bit(app.background()));
        m.put("metadata", app.metadata().orElse(null));
        m.put("protected", bit(app.isProtected()));
        m.put("is_private", bit(app.isPrivate()));
        return m;
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    /** The metadata object ({@code {}} when unset or unreadable). */
    static JsonNode metadata(App app) {
        try {
            JsonNode n = Json.mapper().readTree(app.metadata().orElse("{}"));
            return n.isObject() ? n : Json.mapper().createObjectNode();
        } catch (RuntimeException e) {
            return Json.mapper().createObjectNode();
        }
    }

    /** {@code {uuid, name, title, icon, godmode, maximize_on_start, index_url}}: launch lists and {@code app.opened}. */
    static Map<String, Object> launchItem(App app, String apiBaseUrl, OptionalInt iconSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", app.uid());
        m.put("name", app.name());
        m.put("title", app.title());
        m.put("icon", iconUrl(app, apiBaseUrl, iconSize));
        m.put("godmode", app.godmode());
        m.put("maximize_on_start", app.maximizeOnStart());
        m.put("index_url", app.indexUrl());
        return m;
    }
}
