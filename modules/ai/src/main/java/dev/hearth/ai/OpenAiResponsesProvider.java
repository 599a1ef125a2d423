package dev.hearth.ai;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Responses API ({@code POST <base>/responses}), the provider {@code openai-responses} (spec 4.6): the models
 * only that API serves, and any OpenAI chat that asks for the built-in {@code web_search} tool. Every tool call of a
 * message becomes its own {@code function_call} item (Hearth's fix: upstream kept the first). Results have the
 * OpenAI family's shape.
 */
final class OpenAiResponsesProvider implements ChatProvider {

    static final String NAME = "openai-responses";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final URI baseUrl;
    private final String apiKey;
    private final List<ModelInfo> models;
    private final ProviderHttp http;

    OpenAiResponsesProvider(URI baseUrl, String apiKey, List<ModelInfo> models, ProviderHttp http) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.models = List.copyOf(models);
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public String defaultModel() {
        return models.isEmpty() ? "gpt-5-nano" : models.getFirst().id();
    }

    @Override
    public Family family() {
        return Family.OPENAI;
    }

    private URI endpoint() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/responses");
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + apiKey);
        return h;
    }

    private List<String> available() {
        return models.stream().map(ModelInfo::id).toList();
    }

    ObjectNode body(ChatRequest r, boolean stream) {
        ObjectNode b = NODES.objectNode().put("model", r.model());
        ArrayNode input = b.putArray("input");
        for (JsonNode m : r.messages()) {
            String role = m.path("role").asString("user");
            boolean assistant = role.equals("assistant");
            ArrayNode content = NODES.arrayNode();
            for (JsonNode p : m.path("content")) {
                switch (p.path("type").asString("text")) {
                    case "text" -> content.addObject().put("type", assistant ? "output_text" : "input_text")
                            .put("text", p.path("text").asString(""));
                    case "image_url" -> content.addObject().put("type", "input_image")
                            .put("image_url", p.path("image_url").path("url").asString(""));
                    case "tool_use" -> input.addObject().put("type", "function_call")
                            .put("call_id", p.path("id").asString()).put("name", p.path("name").asString())
                            .put("arguments", Messages.toolArguments(p.get("input")));
                    case "tool_result" -> {
                        JsonNode c = p.get("content");
                        input.addObject().put("type", "function_call_output")
                                .put("call_id", p.path("tool_use_id").asString())
                                .put("output", c == null || c.isNull() ? "" : c.isString() ? c.asString() : c.toString());
                    }
                    default -> content.add(p.deepCopy());
                }
            }
            if (!content.isEmpty()) {
                ObjectNode item = input.addObject().put("role", role.equals("tool") ? "user" : role);
                item.set("content", content);
            }
        }
        if (!r.tools().isEmpty()) {
            ArrayNode tools = b.putArray("tools");
            for (JsonNode t : r.tools()) {
                if (!t.path("type").asString().equals("function")) {
                    tools.add(t);
                    continue;
                }
                JsonNode fn = t.get("function");
                ObjectNode w = tools.addObject().put("type", "function").put("name", fn.path("name").asString());
                if (fn.has("description")) {
                    w.set("description", fn.get("description"));
                }
                w.set("parameters", fn.get("parameters"));
            }
        }
        r.maxTokens().ifPresent(m -> b.put("max_output_tokens", m));
        r.temperature().ifPresent(t -> b.put("temperature", t));
        if (r.model().startsWith("gpt-5") || r.model().matches("o\\d.*")) {
            r.reasoningEffort().ifPresent(e -> b.putObject("reasoning").put("effort", e));
            r.verbosity().ifPresent(v -> b.putObject("text").put("verbosity", v));
        }
        b.put("stream", stream);
        return b;
    }

    private static ObjectNode usage(JsonNode u) {
        long cached = u.path("input_tokens_details").path("cached_tokens").asLong(0);
        return NODES.objectNode().put("prompt_tokens", u.path("input_tokens").asLong(0) - cached)
                .put("completion_tokens", u.path("output_tokens").asLong(0)).put("cached_tokens", cached);
    }

    @Override
    public Completion complete(ChatRequest request) throws ProviderException {
        JsonNode r = http.postJson(endpoint(), headers(), body(request, false), request.model(), available());
        StringBuilder text = new StringBuilder();
        ArrayNode calls = NODES.arrayNode();
        for (JsonNode item : r.path("output")) {
            switch (item.path("type").asString()) {
                case "message" -> item.path("content").forEach(c -> {
                    if (c.path("type").asString().equals("output_text")) {
                        text.append(c.path("text").asString(""));
                    }
                });
                case "function_call" -> {
                    ObjectNode call = calls.addObject().put("id", item.path("call_id").asString())
                            .put("type", "function");
                    call.putObject("function").put("name", item.path("name").asString())
                            .put("arguments", item.path("arguments").asString("{}"));
                    call.put("canonical_id", item.path("id").asString());
                }
                default -> { }
            }
        }
        if (text.isEmpty() && calls.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, NAME, "an empty response was generated");
        }
        ObjectNode result = NODES.objectNode().put("finish_reason", calls.isEmpty() ? "stop" : "tool_calls")
                .put("index", 0);
        ObjectNode message = result.putObject("message").put("content", text.toString()).putNull("reasoning")
                .putNull("refusal").put("role", "assistant");
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        result.put("role", "assistant");
        ObjectNode usage = usage(r.path("usage"));
        result.set("usage", usage);
        return new Completion(result, TokenUsage.of(usage));
    }

    @Override
    public ChatStream stream(ChatRequest request) throws ProviderException {
        SseStream sse = http.postSse(endpoint(), headers(), body(request, true), request.model(), available());
        return new ChatStream() {
            private final Deque<ChatEvent> pending = new ArrayDeque<>();
            private boolean done;

            @Override
            public Optional<ChatEvent> next() throws ProviderException {
                while (pending.isEmpty()) {
                    if (done) {
                        return Optional.empty();
                    }
                    Optional<SseStream.Event> e = sse.next();
                    if (e.isEmpty()) {
                        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, NAME, "The stream of the AI "
                                + "provider `" + NAME + "` ended before it was complete.");
                    }
                    if (e.get().data().strip().equals("[DONE]")) {
                        done = true;
                        continue;
                    }
                    JsonNode data;
                    try {
                        data = Json.mapper().readTree(e.get().data());
                    } catch (RuntimeException ex) {
                        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, NAME, "The AI provider `"
                                + NAME + "` sent an unreadable stream event.");
                    }
                    event(data.path("type").asString(e.get().event()), data);
                }
                return Optional.of(pending.poll());
            }

            private void event(String type, JsonNode data) throws ProviderException {
                switch (type) {
                    case "response.output_text.delta" -> pending.add(new ChatEvent.Text(data.path("delta")
                            .asString("")));
                    case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
                            pending.add(new ChatEvent.Reasoning(data.path("delta").asString("")));
                    case "response.output_item.done" -> {
                        JsonNode item = data.path("item");
                        if (item.path("type").asString().equals("function_call")) {
                            pending.add(new ChatEvent.ToolUse(item.path("call_id").asString(),
                                    item.path("name").asString(), Messages.toolInput(item.get("arguments"))));
                        }
                    }
                    case "response.completed", "response.incomplete" -> {
                        pending.add(new ChatEvent.Usage(usage(data.path("response").path("usage"))));
                        done = true;
                    }
                    case "response.failed", "error" -> throw new ProviderException(
                            ProviderException.Kind.UNAVAILABLE, NAME, http.scrub(ProviderHttp.providerMessage(
                            (data.has("response") ? data.get("response") : data).toString())));
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
