package dev.hearth.ai;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages API ({@code POST <base>/messages}), the provider {@code claude} (spec 4.6): system messages go
 * to {@code system}, tool calls and results become {@code tool_use} / {@code tool_result} blocks, images become
 * {@code image} blocks; reasoning effort turns on extended thinking with a token budget. Results keep Anthropic's
 * message object (Claude's shape, spec 4.7).
 */
final class AnthropicProvider implements ChatProvider {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String VERSION = "2023-06-01";

    record Settings(String name, URI baseUrl, String apiKey, List<ModelInfo> models, String defaultModel) {
        Settings {
            Objects.requireNonNull(name);
            Objects.requireNonNull(baseUrl);
            Objects.requireNonNull(apiKey);
            models = List.copyOf(models);
        }
    }

    private final Settings settings;
    private final ProviderHttp http;

    AnthropicProvider(Settings settings, ProviderHttp http) {
        this.settings = settings;
        this.http = http;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<ModelInfo> models() {
        return settings.models();
    }

    @Override
    public String defaultModel() {
        return settings.defaultModel();
    }

    @Override
    public Family family() {
        return Family.CLAUDE;
    }

    private URI endpoint() {
        String base = settings.baseUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/messages");
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-api-key", settings.apiKey());
        h.put("anthropic-version", VERSION);
        return h;
    }

    private List<String> available() {
        return settings.models().stream().map(ModelInfo::id).toList();
    }

    ObjectNode body(ChatRequest r, boolean stream) {
        int modelMax = settings.models().stream().filter(m -> m.id().equals(r.model())).findFirst()
                .map(ModelInfo::maxTokens).orElse(4096);
        int maxTokens = r.maxTokens().orElse(Math.min(modelMax, 8192));
        ObjectNode b = NODES.objectNode().put("model", r.model()).put("max_tokens", maxTokens);
        ArrayNode system = NODES.arrayNode();
        ArrayNode messages = NODES.arrayNode();
        for (JsonNode m : r.messages()) {
            String role = m.path("role").asString("user");
            if (role.equals("system")) {
                for (JsonNode p : m.path("content")) {
                    if (p.path("text").isString()) {
                        ObjectNode t = system.addObject().put("type", "text").put("text", p.get("text").asString());
                        if (p.has("cache_control")) {
                            t.set("cache_control", p.get("cache_control"));
                        }
                    }
                }
                continue;
            }
            String wireRole = role.equals("assistant") ? "assistant" : "user";
            ArrayNode blocks = NODES.arrayNode();
            for (JsonNode p : m.path("content")) {
                blocks.add(block(p));
            }
            if (blocks.isEmpty()) {
                continue;
            }
            // Anthropic wants the roles to alternate: tool results and user text after them share one user turn
            JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
            if (last != null && last.path("role").asString().equals(wireRole)) {
                ((ArrayNode) last.get("content")).addAll(blocks);
            } else {
                ObjectNode w = messages.addObject().put("role", wireRole);
                w.set("content", blocks);
            }
        }
        if (!system.isEmpty()) {
            b.set("system", system);
        }
        b.set("messages", messages);
        if (!r.tools().isEmpty()) {
            ArrayNode tools = b.putArray("tools");
            for (JsonNode t : r.tools()) {
                if (!t.path("type").asString().equals("function")) {
                    tools.add(t);
                    continue;
                }
                JsonNode fn = t.get("function");
                ObjectNode w = tools.addObject().put("name", fn.path("name").asString());
                if (fn.has("description")) {
                    w.set("description", fn.get("description"));
                }
                w.set("input_schema", fn.get("parameters"));
            }
        }
        Optional<String> effort = r.reasoningEffort();
        int budget = effort.map(e -> switch (e) {
            case "low", "minimal" -> 1024;
            case "high" -> 8192;
            default -> 4096;
        }).orElse(0);
        budget = Math.min(budget, maxTokens - 1);
        if (budget >= 1024) {
            b.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        } else {
            r.temperature().ifPresent(t -> b.put("temperature", t));
        }
        if (stream) {
            b.put("stream", true);
        }
        return b;
    }

    private static JsonNode block(JsonNode p) {
        String type = p.path("type").asString("text");
        return switch (type) {
            case "text" -> NODES.objectNode().put("type", "text").put("text", p.path("text").asString(""));
            case "tool_use" -> {
                ObjectNode u = NODES.objectNode().put("type", "tool_use").put("id", p.path("id").asString())
                        .put("name", p.path("name").asString());
                JsonNode input = Messages.toolInput(p.get("input"));
                u.set("input", input.isObject() ? input : NODES.objectNode());
                yield u;
            }
            case "tool_result" -> {
                JsonNode c = p.get("content");
                ObjectNode res = NODES.objectNode().put("type", "tool_result")
                        .put("tool_use_id", p.path("tool_use_id").asString());
                if (c != null && c.isArray()) {
                    res.set("content", c);
                } else {
                    res.put("content", c == null || c.isNull() ? "" : c.isString() ? c.asString() : c.toString());
                }
                yield res;
            }
            case "image_url" -> image(p.path("image_url").path("url").asString(""));
            default -> {
                ObjectNode copy = ((ObjectNode) p).deepCopy();
                yield copy;
            }
        };
    }

    /** An image part: a {@code data:} URL becomes a base64 source, anything else a URL source. */
    private static ObjectNode image(String url) {
        ObjectNode img = NODES.objectNode().put("type", "image");
        if (url.startsWith("data:") && url.contains(";base64,")) {
            int semi = url.indexOf(';');
            img.putObject("source").put("type", "base64").put("media_type", url.substring(5, semi))
                    .put("data", url.substring(url.indexOf(',') + 1));
        } else {
            img.putObject("source").put("type", "url").put("url", url);
        }
        return img;
    }

    /** Claude's usage object (spec 1.7). */
    private static ObjectNode usage(JsonNode u) {
        return NODES.objectNode().put("input_tokens", u.path("input_tokens").asLong(0))
                .put("ephemeral_5m_input_tokens", u.path("cache_creation").path("ephemeral_5m_input_tokens")
                        .asLong(u.path("cache_creation_input_tokens").asLong(0)))
                .put("ephemeral_1h_input_tokens", u.path("cache_creation").path("ephemeral_1h_input_tokens").asLong(0))
                .put("cache_read_input_tokens", u.path("cache_read_input_tokens").asLong(0))
                .put("output_tokens", u.path("output_tokens").asLong(0));
    }

    @Override
    public Completion complete(ChatRequest request) throws ProviderException {
        JsonNode r = http.postJson(endpoint(), headers(), body(request, false), request.model(), available());
        if (!r.path("content").isArray()) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The AI provider `" + name()
                    + "` answered without content.");
        }
        ObjectNode usage = usage(r.path("usage"));
        ObjectNode result = NODES.objectNode();
        result.set("message", r);
        result.set("usage", usage);
        result.put("finish_reason", "stop");
        return new Completion(result, TokenUsage.of(usage));
    }

    @Override
    public ChatStream stream(ChatRequest request) throws ProviderException {
        SseStream sse = http.postSse(endpoint(), headers(), body(request, true), request.model(), available());
        return new ChatStream() {
            private final Deque<ChatEvent> pending = new ArrayDeque<>();
            private final ObjectNode usage = NODES.objectNode();
            private String toolId;
            private String toolName;
            private StringBuilder toolInput;
            private boolean done;

            @Override
            public Optional<ChatEvent> next() throws ProviderException {
                while (pending.isEmpty()) {
                    if (done) {
                        return Optional.empty();
                    }
                    Optional<SseStream.Event> e = sse.next();
                    if (e.isEmpty()) {
                        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The stream of the "
                                + "AI provider `" + name() + "` ended before it was complete.");
                    }
                    JsonNode data;
                    try {
                        data = Json.mapper().readTree(e.get().data());
                    } catch (RuntimeException ex) {
                        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The AI provider `"
                                + name() + "` sent an unreadable stream event.");
                    }
                    event(data.path("type").asString(e.get().event()), data);
                }
                return Optional.of(pending.poll());
            }

            private void event(String type, JsonNode data) throws ProviderException {
                switch (type) {
                    case "message_start" -> usage.setAll(AnthropicProvider.usage(data.path("message").path("usage")));
                    case "content_block_start" -> {
                        JsonNode block = data.path("content_block");
                        if (block.path("type").asString().equals("tool_use")) {
                            toolId = block.path("id").asString();
                            toolName = block.path("name").asString();
                            toolInput = new StringBuilder();
                        } else if (block.path("type").asString().equals("text")
                                && !block.path("text").asString("").isEmpty()) {
                            pending.add(new ChatEvent.Text(block.get("text").asString()));
                        }
                    }
                    case "content_block_delta" -> {
                        JsonNode d = data.path("delta");
                        switch (d.path("type").asString()) {
                            case "text_delta" -> pending.add(new ChatEvent.Text(d.path("text").asString("")));
                            case "thinking_delta" -> pending.add(new ChatEvent.Reasoning(d.path("thinking")
                                    .asString("")));
                            case "input_json_delta" -> {
                                if (toolInput != null) {
                                    toolInput.append(d.path("partial_json").asString(""));
                                }
                            }
                            default -> { }
                        }
                    }
                    case "content_block_stop" -> {
                        if (toolInput != null) {
                            pending.add(new ChatEvent.ToolUse(toolId, toolName,
                                    Messages.toolInput(NODES.stringNode(toolInput.toString()))));
                            toolInput = null;
                        }
                    }
                    case "message_delta" -> {
                        if (data.path("usage").path("output_tokens").isNumber()) {
                            usage.put("output_tokens", data.get("usage").get("output_tokens").asLong());
                        }
                    }
                    case "message_stop" -> {
                        pending.add(new ChatEvent.Usage(usage));
                        done = true;
                    }
                    case "error" -> throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(),
                            http.scrub(ProviderHttp.providerMessage(data.toString())));
                    default -> { }
                }
            }

            @Override
            public void close() {
                sse.close();
            }
        };
    }
}
