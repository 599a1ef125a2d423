package dev.hearth.fs.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The apps that can open a filesystem entry (spec 4.6), from the app registry, which lives in a module above the
 * filesystem. Directory listings show them as {@code suggested_apps}; {@code /open_item} opens the entry with the
 * first. Without a service implementing this, no app is suggested and {@code /open_item} finds none.
 */
public interface AppSuggestions {

    /**
     * An app suggested for an entry.
     *
     * @param uid the app's uid
     * @param row the app as listings show it (upstream's raw row without {@code owner_user_id})
     */
    record SuggestedApp(String uid, Map<String, Object> row) {
        public SuggestedApp {
            Objects.requireNonNull(uid);
            row = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row));
        }
    }

    /** The apps for an entry named {@code name}, best first, as {@code userId} may use them. */
    List<SuggestedApp> suggest(long userId, String name, boolean directory);
}
