package dev.hearth.ai;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chat providers the configuration enables (spec 4.1, 7). Each known provider is read from the first section
 * that exists of {@code services.ai-chat.providers.<name>}, {@code services.<name>} (and for OpenAI also
 * {@code services.openai} and the top-level {@code openai}), with the keys {@code apiKey} / {@code secret_key} /
 * {@code api_key}, {@code base_url} / {@code apiBaseUrl} / {@code api_base_url} / {@code baseUrl} (the media
 * services read the same keys: {@link ProviderHttp#apiKey}, {@link ProviderHttp#baseUrl}), {@code models} (replaces the shipped
 * catalogue: model objects or ids) and {@code default_model}. A provider with a key is enabled.
 *
 * <p>Any other section under {@code services.ai-chat.providers} with {@code "type": "openai-compatible"} and a
 * {@code base_url} is a generic OpenAI-compatible provider (vLLM, llama.cpp, LM Studio...); its models are the
 * configured ones, else what its {@code /models} lists. Ollama is enabled with {@code enabled: true}, or detected
 * when {@code enabled} is not {@code false} and {@code <root>/api/tags} answers within half a second at boot.
 */
record ChatProviders(List<ChatProvider> providers, Moderation moderation) {

    private static final Logger LOG = LoggerFactory.getLogger(ChatProviders.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration PROBE = Duration.ofMillis(500);
    private static final Duration LISTING = Duration.ofSeconds(5);

    /** A provider Hearth knows: where it lives, its catalogue, its default model, where its settings may be. */
    private record Known(String name, String baseUrl, String defaultModel, String prefix, List<String> sections) {}

    private static final List<Known> KNOWN = List.of(
            new Known("openai-completion", "https://api.openai.com/v1", "gpt-5-nano", "",
                    List.of("services.ai-chat.providers.openai-completion", "services.openai-completion",
                            "services.openai", "openai")),
            new Known("claude", "https://api.anthropic.com/v1", "claude-haiku-4-5-20251001", "",
                    List.of("services.ai-chat.providers.claude", "services.claude")),
            new Known("gemini", "https://generativelanguage.googleapis.com/v1beta/openai", "gemini-2.5-flash", "",
                    List.of("services.ai-chat.providers.gemini", "services.gemini")),
            new Known("groq", "https://api.groq.com/openai/v1", "llama-3.1-8b-instant", "",
                    List.of("services.ai-chat.providers.groq", "services.groq")),
            new Known("deepseek", "https://api.deepseek.com", "deepseek-chat", "",
                    List.of("services.ai-chat.providers.deepseek", "services.deepseek")),
            new Known("mistral", "https://api.mistral.ai/v1", "mistral-small-2506", "",
                    List.of("services.ai-chat.providers.mistral", "services.mistral")),
            new Known("xai", "https://api.x.ai/v1", "grok-4-fast-non-reasoning", "",
                    List.of("services.ai-chat.providers.xai", "services.xai")),
            new Known("openrouter", "https://openrouter.ai/api/v1", "openrouter:openai/gpt-5-nano", "openrouter:",
                    List.of("services.ai-chat.providers.openrouter", "services.openrouter")),
            new Known("together-ai", "https://api.together.xyz/v1",
                    "togetherai:meta-llama/meta-llama-3.1-8b-instruct-turbo", "togetherai:",
                    List.of("services.ai-chat.providers.together-ai", "services.together-ai")));

    private static final Set<String> RESERVED = Set.of("ollama", OfflineProvider.NAME);

    static ChatProviders fromConfig(Config config, AiChatSettings settings) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(settings.connectTimeoutSeconds()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        List<ChatProvider> providers = new ArrayList<>();
        Optional<String> openAiKey = Optional.empty();
        for (Known k : KNOWN) {
            Optional<String> path = k.sections().stream().filter(p -> config.node(p).filter(JsonNode::isObject)
                    .flatMap(ProviderHttp::apiKey).isPresent()).findFirst();
            if (path.isEmpty()) {
                continue;
            }
            JsonNode s = config.node(path.get()).orElseThrow();
            String key = ProviderHttp.apiKey(s).orElseThrow();
            if (k.name().equals("openai-completion")) {
                openAiKey = Optional.of(key);
            }
            URI base = baseUrl(s, k.baseUrl(), path.get());
            ProviderHttp http = http(client, settings, k.name(), key);
            List<ModelInfo> models = models(s, k.name(), k.prefix(), () -> {
                Optional<List<ModelInfo>> shipped = catalogue(k.name());
                if (shipped.isPresent()) {
                    return shipped.get();
                }
                return listed(http, base, Optional.of(key), k.name(), k.prefix());
            });
            String defaultModel = s.path("default_model").asString(k.defaultModel());
            if (k.name().equals("claude")) {
                providers.add(new AnthropicProvider(new AnthropicProvider.Settings(k.name(), base, key, models,
                        defaultModel), http));
            } else {
                providers.add(new OpenAiCompatibleProvider(new OpenAiCompatibleProvider.Settings(k.name(), base,
                        Optional.of(key), models, defaultModel, k.prefix(), k.name().equals("openai-completion")),
                        http));
            }
            if (k.name().equals("openai-completion")) {
                JsonNode r = config.node("services.ai-chat.providers.openai-responses").filter(JsonNode::isObject)
                        .orElse(NODES.objectNode());
                providers.add(new OpenAiResponsesProvider(base, key, models(r, OpenAiResponsesProvider.NAME, "",
                        () -> catalogue(OpenAiResponsesProvider.NAME).orElse(List.of())),
                        http(client, settings, OpenAiResponsesProvider.NAME, key)));
            }
        }
        ollama(config, client, settings).ifPresent(providers::add);
        config.node("services.ai-chat.providers").filter(JsonNode::isObject).ifPresent(all -> all.properties()
                .forEach(e -> {
                    String name = e.getKey();
                    JsonNode s = e.getValue();
                    if (RESERVED.contains(name) || KNOWN.stream().anyMatch(k -> k.name().equals(name))
                            || !s.path("type").asString("").equals("openai-compatible")) {
                        return;
                    }
                    String prefix = "services.ai-chat.providers." + name;
                    if (ProviderHttp.baseUrl(s).isEmpty()) {
                        throw ConfigException.invalid(prefix + ".base_url", null, "the provider's base URL");
                    }
                    URI base = baseUrl(s, null, prefix);
                    Optional<String> key = ProviderHttp.apiKey(s);
                    ProviderHttp http = http(client, settings, name, key.orElse(""));
                    List<ModelInfo> models = models(s, name, "", () -> listed(http, base, key, name, ""));
                    if (models.isEmpty()) {
                        LOG.warn("AI provider `{}` has no models (none configured, none listed at {}/models)", name,
                                base);
                        return;
                    }
                    providers.add(new OpenAiCompatibleProvider(new OpenAiCompatibleProvider.Settings(name, base, key,
                            models, s.path("default_model").asString(models.getFirst().id()), "", false), http));
                }));
        Moderation moderation = Moderation.NONE;
        if (settings.moderation().equals("openai")) {
            if (openAiKey.isEmpty()) {
                throw ConfigException.invalid("services.ai-chat.moderation", "openai",
                        "`off`, or `openai` with an OpenAI key configured");
            }
            JsonNode s = KNOWN.getFirst().sections().stream().map(config::node).flatMap(Optional::stream)
                    .filter(n -> ProviderHttp.apiKey(n).isPresent()).findFirst().orElseThrow();
            moderation = new OpenAiModeration(http(client, settings, "openai-moderation", openAiKey.get()),
                    baseUrl(s, KNOWN.getFirst().baseUrl(), "openai"), openAiKey.get());
        }
        return new ChatProviders(List.copyOf(providers), moderation);
    }

    private static ProviderHttp http(HttpClient client, AiChatSettings s, String name, String key) {
        return new ProviderHttp(client, new ProviderHttp.Settings(name, Duration.ofSeconds(s.requestTimeoutSeconds()),
                Duration.ofSeconds(s.streamIdleTimeoutSeconds()), key));
    }

    private static URI baseUrl(JsonNode s, String otherwise, String section) {
        Optional<Map.Entry<String, String>> configured = ProviderHttp.baseUrl(s);
        if (configured.isEmpty()) {
            return URI.create(otherwise);
        }
        String v = configured.get().getValue();
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(section + "." + configured.get().getKey(), v, "an http(s) URL");
        }
    }

    private static List<ModelInfo> models(JsonNode s, String provider, String prefix,
            java.util.function.Supplier<List<ModelInfo>> otherwise) {
        JsonNode m = s.get("models");
        if (m == null || !m.isArray() || m.isEmpty()) {
            return otherwise.get();
        }
        List<ModelInfo> out = new ArrayList<>();
        for (JsonNode entry : m) {
            out.add(ModelInfo.parse(entry, provider));
        }
        return out;
    }

    /** The catalogue Hearth ships for a provider ({@code ai/models/<provider>.json}), if any. */
    static Optional<List<ModelInfo>> catalogue(String provider) {
        try (InputStream in = ChatProviders.class.getResourceAsStream("/ai/models/" + provider + ".json")) {
            if (in == null) {
                return Optional.empty();
            }
            List<ModelInfo> out = new ArrayList<>();
            for (JsonNode entry : Json.mapper().readTree(in)) {
                out.add(ModelInfo.parse(entry, provider));
            }
            return Optional.of(out);
        } catch (IOException e) {
            throw new IllegalStateException("the model catalogue of " + provider + " is unreadable", e);
        }
    }

    /** Models from the provider's own list, at zero cost (their prices are the operator's business). */
    private static List<ModelInfo> listed(ProviderHttp http, URI base, Optional<String> key, String provider,
            String prefix) {
        try {
            List<ModelInfo> out = new ArrayList<>();
            for (String id : OpenAiCompatibleProvider.listModels(http, base, key, LISTING)) {
                ObjectNode d = NODES.objectNode().put("id", prefix + id);
                if (!prefix.isEmpty()) {
                    d.putArray("aliases").add(id);
                }
                out.add(ModelInfo.parse(d, provider));
            }
            return out;
        } catch (ProviderException e) {
            LOG.warn("could not list the models of AI provider `{}`: {}", provider, e.getMessage());
            return List.of();
        }
    }

    /** Ollama: configured, or found answering on its local port at boot (spec 4.1). */
    private static Optional<ChatProvider> ollama(Config config, HttpClient client, AiChatSettings settings) {
        JsonNode s = config.node("services.ai-chat.providers.ollama").or(() -> config.node("services.ollama"))
                .filter(JsonNode::isObject).orElse(NODES.objectNode());
        JsonNode enabled = s.get("enabled");
        if (enabled != null && enabled.isBoolean() && !enabled.asBoolean()) {
            return Optional.empty();
        }
        URI base = baseUrl(s, "http://localhost:11434/v1", "services.ai-chat.providers.ollama");
        String root = base.toString().replaceAll("/v1/?$", "");
        ProviderHttp http = http(client, settings, "ollama", "");
        List<ModelInfo> models = new ArrayList<>();
        try {
            JsonNode tags = http.getJson(URI.create(root + "/api/tags"), Map.of(), PROBE);
            for (JsonNode m : tags.path("models")) {
                String name = m.path("name").asString(m.path("model").asString(""));
                if (!name.isEmpty()) {
                    ObjectNode d = NODES.objectNode().put("id", name);
                    ArrayNode aliases = d.putArray("aliases");
                    aliases.add("ollama:" + name).add("ollama:ollama/" + name);
                    models.add(ModelInfo.parse(d, "ollama"));
                }
            }
        } catch (ProviderException e) {
            if (enabled == null || !enabled.asBoolean()) {
                return Optional.empty();
            }
            LOG.warn("Ollama is enabled but did not answer at {}: {}", root, e.getMessage());
        }
        if (s.path("models").isArray() && !s.get("models").isEmpty()) {
            models = models(s, "ollama", "", List::of);
        }
        if (models.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OpenAiCompatibleProvider(new OpenAiCompatibleProvider.Settings("ollama", base,
                Optional.empty(), models, s.path("default_model").asString(models.getFirst().id()), "", false), http));
    }
}
