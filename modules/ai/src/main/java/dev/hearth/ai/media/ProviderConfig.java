package dev.hearth.ai.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.hearth.ai.ProviderHttp;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * A cloud provider's section, found the way spec §7 lists it: the first of several configuration locations that
 * holds a key wins (e.g. {@code services.ai-image.providers.openai-image-generation}, then {@code services.openai},
 * then the top-level {@code openai}). The key is {@code apiKey} or the deprecated {@code secret_key} ({@link ProviderHttp#apiKey}, as
 * for chat); Hearth adds {@code baseUrl} (or chat's spellings, {@link ProviderHttp#baseUrl}) (any server speaking the provider's wire format, such as a local one) and {@code models} (model names
 * such a server offers beyond the provider's own).
 *
 * @param path the section the key was found in, for error messages
 */
record ProviderConfig(String path, String apiKey, String baseUrl, List<String> models) {

    /** The first location among {@code paths} with an {@code apiKey} or {@code secret_key}, if any. */
    static Optional<ProviderConfig> find(Config config, String defaultBaseUrl, String... paths) {
        for (String path : paths) {
            Optional<JsonNode> section = config.node(path).filter(JsonNode::isObject);
            if (section.isEmpty()) {
                continue;
            }
            Optional<String> key = ProviderHttp.apiKey(section.get());
            if (key.isEmpty()) {
                continue;
            }
            Map.Entry<String, String> base = ProviderHttp.baseUrl(section.get())
                    .orElse(Map.entry("baseUrl", defaultBaseUrl));
            if (!base.getValue().startsWith("http://") && !base.getValue().startsWith("https://")) {
                throw ConfigException.invalid(path + "." + base.getKey(), base.getValue(), "an http or https URL");
            }
            List<String> models = new ArrayList<>();
            JsonNode m = section.get().get("models");
            if (m != null && m.isArray()) {
                m.forEach(n -> models.add(ProviderConfig.lower(n.asString())));
            }
            return Optional.of(new ProviderConfig(path, key.get(), stripSlash(base.getValue()), List.copyOf(models)));
        }
        return Optional.empty();
    }

    /** Whether the operator pointed the provider at another server than the provider's own. */
    boolean customBase(String defaultBaseUrl) {
        return !baseUrl.equals(stripSlash(defaultBaseUrl));
    }

    /** A model or provider name as compared: lower case, trimmed. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT).strip();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "ProviderConfig[" + path + ", " + baseUrl + "]";
    }
}
