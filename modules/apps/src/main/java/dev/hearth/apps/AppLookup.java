package dev.hearth.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.hearth.core.User;
import dev.hearth.core.spi.AppDirectory;
import dev.hearth.fs.ClientMetadata;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.MkdirRequest;
import dev.hearth.fs.spi.AppSuggestions;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.databind.JsonNode;

/**
 * The {@code app-lookup} service: what the modules below ask about apps. Core asks through {@link AppDirectory}
 * (whether an app of a token exists, origins' bootstrap apps, the taskbar); the filesystem through
 * {@link AppSuggestions} ({@code suggested_apps}, {@code /open_item}).
 */
final class AppLookup implements Service, AppDirectory, AppSuggestions {

    /** The default taskbar (spec 1.8), when the user never changed it. */
    static final String DEFAULT_TASKBAR = "[{\"name\":\"app-center\",\"type\":\"app\"},{\"name\":\"dev-center\","
            + "\"type\":\"app\"},{\"name\":\"editor\",\"type\":\"app\"},{\"name\":\"code\",\"type\":\"app\"},"
            + "{\"name\":\"camera\",\"type\":\"app\"},{\"name\":\"recorder\",\"type\":\"app\"}]";

    private final ServiceContext context;
    private volatile AppRegistry registry;

    AppLookup(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        registry = context.services().get(AppRegistry.class);
    }

    @Override
    public Optional<AppDirectory.App> appByUid(String appUid) {
        return registry.byUid(appUid).map(a -> new AppDirectory.App(a.uid(), a.name(), a.ownerUserId()));
    }

    @Override
    public void bootstrapFromOrigin(String appUid, String origin) {
        registry.bootstrap(appUid, origin);
    }

    /** The app's folder in the user's AppData (spec 4.7), created with its parents if missing. */
    @Override
    public void appAuthorized(User user, String appUid) {
        context.services().get(Filesystem.class).mkdir(new FsUser(user.id(), user.username()), new MkdirRequest(
                Optional.empty(), "/" + user.username() + "/AppData/" + appUid, false, false, true, ClientMetadata.NONE));
    }

    @Override
    public List<Map<String, Object>> taskbarItems(User user, OptionalInt iconSize) {
        JsonNode items;
        try {
            items = Json.mapper().readTree(user.taskbarItems().filter(s -> !s.isBlank()).orElse(DEFAULT_TASKBAR));
        } catch (RuntimeException e) {
            items = Json.mapper().readTree(DEFAULT_TASKBAR);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (!items.isArray()) {
            return out;
        }
        String api = registry.apiBaseUrl();
        for (JsonNode item : items) {
            if (!item.isObject() || !"app".equals(item.path("type").asString(null)) || !item.path("name").isString()
                    || item.path("name").asString().equals("explorer")) {
                continue;
            }
            registry.byName(item.path("name").asString()).ifPresent(app -> {
                Map<String, Object> row = AppJson.rawRow(app, api, iconSize);
                for (String k : List.of("id", "owner_user_id", "timestamp", "approved_for_listing",
                        "approved_for_opening_items")) {
                    row.remove(k);
                }
                if (iconSize.isEmpty()) {
                    row.remove("icon");
                }
                out.add(row);
            });
        }
        return out;
    }

    @Override
    public List<AppSuggestions.SuggestedApp> suggest(long userId, String name, boolean directory) {
        String api = registry.apiBaseUrl();
        return registry.suggestions(userId, name, directory).stream().map(a -> {
            Map<String, Object> row = AppJson.rawRow(a, api, OptionalInt.empty());
            row.remove("owner_user_id");
            return new AppSuggestions.SuggestedApp(a.uid(), row);
        }).toList();
    }
}
