package dev.hearth.apps;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * The top-level keys upstream reads for apps (spec 4.3, 4.5).
 *
 * @param nameMaxLength {@code app_name_max_length} (60)
 * @param titleMaxLength {@code app_title_max_length} (60)
 * @param maxIconBytes {@code app_max_icon_size} (5 MB), which Hearth enforces on the decoded icon
 */
record AppsSettings(int nameMaxLength, int titleMaxLength, long maxIconBytes) {

    static final int DESCRIPTION_MAX_LENGTH = 7000;
    static final int INDEX_URL_MAX_LENGTH = 3000;

    static AppsSettings from(Config config) {
        return new AppsSettings((int) positive(config, "app_name_max_length", 60),
                (int) positive(config, "app_title_max_length", 60), positive(config, "app_max_icon_size", 5 << 20));
    }

    private static long positive(Config config, String key, long fallback) {
        JsonNode n = config.node(key).orElse(null);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || n.asLong() <= 0) {
            throw ConfigException.invalid(key, n, "a positive whole number");
        }
        return n.asLong();
    }
}
