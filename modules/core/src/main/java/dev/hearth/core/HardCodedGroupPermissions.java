package dev.hearth.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the default groups hold, issued by {@code system} (spec 3.6): permission → data (rate-limit policies). */
final class HardCodedGroupPermissions {

    private HardCodedGroupPermissions() {}

    private static Map<String, Object> limit(int max, int period) {
        return Map.of("policy", Map.of("rate-limit", Map.of("max", max, "period", period)));
    }

    static final Map<String, Map<String, Map<String, Object>>> FOR_GROUP = build();

    private static Map<String, Map<String, Map<String, Object>>> build() {
        Map<String, Object> none = Map.of();

        Map<String, Map<String, Object>> admin = new LinkedHashMap<>();
        for (String p : new String[] {"driver", "service", "feature", "kernel-info", "local-terminal:access"}) {
            admin.put(p, none);
        }

        Map<String, Map<String, Object>> temp = new LinkedHashMap<>();
        temp.put("driver", none);
        temp.put("service", none);
        Map<String, Object> tempEs = limit(1000, 30_000);
        for (String p : new String[] {"service:puter-apps:ii:crud-q", "service:puter-subdomains:ii:crud-q",
                "service:apps:ii:crud-q", "service:puter-notifications:ii:crud-q", "service:hello-world:ii:hello-world"}) {
            temp.put(p, tempEs);
        }
        Map<String, Object> tempKv = limit(100, 10_000);
        temp.put("service:puter-kvstore:ii:puter-kvstore", tempKv);
        temp.put("driver:puter-kvstore", tempKv);

        Map<String, Map<String, Object>> user = new LinkedHashMap<>();
        user.put("driver", none);
        user.put("service", none);
        Map<String, Object> userEs = limit(3000, 30_000);
        for (String p : new String[] {"service:es\\Cnotification:ii:crud-q", "service:es\\Capp:ii:crud-q",
                "service:app:ii:crud-q", "service:es\\Csubdomain:ii:crud-q", "service:hello-world:ii:hello-world"}) {
            user.put(p, userEs);
        }
        Map<String, Object> userKv = limit(200, 10_000);
        user.put("service:puter-kvstore:ii:puter-kvstore", userKv);
        user.put("driver:puter-kvstore", userKv);

        return Map.of(DefaultGroups.ADMIN, Map.copyOf(admin), DefaultGroups.TEMP, Map.copyOf(temp),
                DefaultGroups.USER, Map.copyOf(user));
    }
}
