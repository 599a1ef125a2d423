package dev.hearth.ai;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider speaking OpenAI's Chat Completions API ({@code POST <base>/chat/completions}): OpenAI itself, and every
 * service with a compatible endpoint (Gemini's, Groq, DeepSeek, Mistral, xAI, OpenRouter, Together, Ollama, vLLM,
 * llama.cpp...), configured by base URL (spec 4.6, OpenAI family).
 *
 * <p>Hearth's fixes over upstream: {@code temperature: 0} is sent; tool-call arguments that are already JSON are not
 * encoded twice; {@code reasoning_effort} and {@code verbosity} go to the reasoning models ({@code gpt-5*},
 * {@code o*}); parallel streamed tool calls each give their own {@code tool_use} event, in index order.
 */
final class OpenAiCompatibleProvider implements ChatProvider {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One OpenAI-compatible provider.
     *
     * @param name the provider name (a driver alias)
     * @param baseUrl e.g. {@code https://api.openai.com/v1}; {@code /chat/completions} is appended
     * @param apiKey sent as a Bearer token when present
     * @param modelPrefix stripped from model ids before they are sent ({@code openrouter:})
     * @param openAi the real OpenAI: {@code max_completion_tokens}, {@code user}, reasoning options
     */
    record Settings(String name, URI baseUrl, Optional<String> apiKey, List<ModelInfo> models, String defaultModel,
            String modelPrefix, boolean openAi) {
        Settings {
            Objects.requireNonNull(name);
            Objects.requireNonNull(baseUrl);
            models = List.copyOf(models);
        }
    }

    private final Settings settings;
    private final ProviderHttp http;

    OpenAiCompatibleProvider(Settings settings, ProviderHttp http) {
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
        return Family.OPENAI;
    }

    private URI endpoint() {
        String base = settings.baseUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        settings.apiKey().ifPresent(k -> h.put("Authorization", "Bearer " + k));
        return h;
    }

    private String wireModel(String id) {
        return !settings.modelPrefix().isEmpty() && id.startsWith(settings.modelPrefix())
                ? id.substring(settings.modelPrefix().length()) : id;
    }

    private List<String> available() {
        return settings.models().stream().map(ModelInfo::id).toList();
    }

    ObjectNode body(ChatRequest r, boolean stream) {
        ObjectNode b = NODES.objectNode().put("model", wireModel(r.model()));
        b.set("messages", toWire(r.messages()));
        if (!r.tools().isEmpty()) {
            b.set("tools", r.tools());
        }
        r.temperature().ifPresent(t -> b.put("temperature", t));
        r.maxTokens().ifPresent(m -> b.put(settings.openAi() ? "max_completion_tokens" : "max_tokens", m));
        boolean reasoning = r.model().startsWith("gpt-5") || r.model().matches("o\\d.*");
        if (reasoning) {
            r.reasoningEffort().ifPresent(e -> b.put("reasoning_effort", e));
            r.verbosity().ifPresent(v -> b.put("verbosity", v));
        }
        if (settings.openAi()) {
            r.user().ifPresent(u -> b.put("user", opaque(u)));
        }
        b.put("stream", stream);
        if (stream) {
            b.putObject("stream_options").put("include_usage", true);
        }
        return b;
    }

    /** The user's uuid, hashed: providers get a stable id for abuse tracking, not the account's. */
    private static String opaque(String uuid) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("hearth:" + uuid).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Normalised messages to OpenAI's form (spec 4.6). */
    static ArrayNode toWire(ArrayNode messages) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode m : messages) {
            String role = m.path("role").asString("user");
            ArrayNode parts = NODES.arrayNode();
            ArrayNode calls = NODES.arrayNode();
            List<ObjectNode> results = new ArrayList<>();
            for (JsonNode p : m.path("content")) {
                String type = p.path("type").asString("text");
                switch (type) {
                    case "tool_use" -> {
                        ObjectNode call = calls.addObject().put("id", p.path("id").asString()).put("type", "function");
                        call.putObject("function").put("name", p.path("name").asString())
                                .put("arguments", Messages.toolArguments(p.get("input")));
                        if (p.has("extra_content")) {
                            call.set("extra_content", p.get("extra_content"));
                        }
                    }
                    case "tool_result" -> {
                        JsonNode c = p.get("content");
                        results.add(NODES.objectNode().put("role", "tool")
                                .put("tool_call_id", p.path("tool_use_id").asString())
                                .put("content", c == null || c.isNull() ? "" : c.isString() ? c.asString()
                                        : c.isArray() ? Messages.textOf(p) : c.toString()));
                    }
                    case "text" -> parts.addObject().put("type", "text").put("text", p.path("text").asString(""));
                    default -> {
                        ObjectNode copy = ((ObjectNode) p).deepCopy();
                        copy.remove("cache_control");
                        parts.add(copy);
                    }
                }
            }
            out.addAll(results);
            if (parts.isEmpty() && calls.isEmpty()) {
                continue;
            }
            ObjectNode w = NODES.objectNode().put("role", role);
            boolean allText = true;
            for (JsonNode p : parts) {
                allText &= p.path("type").asString().equals("text");
            }
            if (parts.isEmpty()) {
                w.putNull("content");
            } else if (allText) {
                StringBuilder text = new StringBuilder();
                for (JsonNode p : parts) {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(p.get("text").asString());
                }
                w.put("content", text.toString());
            } else {
                w.set("content", parts);
            }
            if (!calls.isEmpty()) {
                w.set("tool_calls", calls);
            }
            out.add(w);
        }
        return out;
    }

    @Override
    public Completion complete(ChatRequest request) throws ProviderException {
        JsonNode r = http.postJson(endpoint(), headers(), body(request, false), request.model(), available());
        JsonNode choice = r.path("choices").path(0);
        if (!choice.isObject()) {
            throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The AI provider `" + name()
                    + "` answered without a choice.");
        }
        ObjectNode result = ((ObjectNode) choice).deepCopy();
        ObjectNode message = result.path("message").isObject() ? (ObjectNode) result.get("message")
                : result.putObject("message");
        if (!message.has("role")) {
            message.put("role", "assistant");
        }
        if (!message.has("content")) {
            message.putNull("content");
        }
        if (!result.has("index")) {
            result.put("index", 0);
        }
        if (!result.has("logprobs")) {
            result.putNull("logprobs");
        }
        ObjectNode usage = usage(r.path("usage"));
        result.set("usage", usage);
        return new Completion(result, TokenUsage.of(usage));
    }

    /** The usage object of spec 1.7: prompt tokens without cached ones, completion tokens, cached tokens. */
    private static ObjectNode usage(JsonNode u) {
        long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        return NODES.objectNode().put("prompt_tokens", u.path("prompt_tokens").asLong(0) - cached)
                .put("completion_tokens", u.path("completion_tokens").asLong(0)).put("cached_tokens", cached);
    }

    @Override
    public ChatStream stream(ChatRequest request) throws ProviderException {
        SseStream sse = http.postSse(endpoint(), headers(), body(request, true), request.model(), available());
        return new ChatStream() {
            private final Deque<ChatEvent> pending = new ArrayDeque<>();
            /** Tool calls being assembled, by index: id, name, argument text. */
            private final TreeMap<Integer, String[]> calls = new TreeMap<>();
            private ObjectNode usage;
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
                    String data = e.get().data().strip();
                    if (data.equals("[DONE]")) {
                        finish();
                        continue;
                    }
                    JsonNode chunk;
                    try {
                        chunk = Json.mapper().readTree(data);
                    } catch (RuntimeException ex) {
                        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), "The AI provider `"
                                + name() + "` sent an unreadable stream event.");
                    }
                    chunk(chunk);
                }
                return Optional.of(pending.poll());
            }

            private void chunk(JsonNode chunk) throws ProviderException {
                if (chunk.has("error")) {
                    throw new ProviderException(ProviderException.Kind.UNAVAILABLE, name(), http.scrub(
                            ProviderHttp.providerMessage(chunk.toString())));
                }
                JsonNode u = chunk.path("usage").isObject() ? chunk.get("usage")
                        : chunk.path("x_groq").path("usage");
                if (u.isObject()) {
                    usage = usage(u);
                }
                for (JsonNode choice : chunk.path("choices")) {
                    JsonNode delta = choice.path("delta");
                    String reasoning = delta.path("reasoning_content").asString(delta.path("reasoning").asString(""));
                    if (!reasoning.isEmpty()) {
                        pending.add(new ChatEvent.Reasoning(reasoning));
                    }
                    String text = delta.path("content").asString("");
                    if (!text.isEmpty()) {
                        pending.add(new ChatEvent.Text(text));
                    }
                    for (JsonNode call : delta.path("tool_calls")) {
                        String[] c = calls.computeIfAbsent(call.path("index").asInt(calls.size()),
                                k -> new String[] {"", "", ""});
                        if (call.path("id").isString()) {
                            c[0] = call.get("id").asString();
                        }
                        JsonNode fn = call.path("function");
                        if (fn.path("name").isString()) {
                            c[1] += fn.get("name").asString();
                        }
                        if (fn.path("arguments").isString()) {
                            c[2] += fn.get("arguments").asString();
                        }
                    }
                    if (choice.path("finish_reason").isString()) {
                        flushCalls();
                    }
                }
            }

            private void flushCalls() {
                calls.values().forEach(c -> pending.add(new ChatEvent.ToolUse(c[0], c[1],
                        Messages.toolInput(NODES.stringNode(c[2])))));
                calls.clear();
            }

            private void finish() {
                flushCalls();
                if (usage != null) {
                    pending.add(new ChatEvent.Usage(usage));
                }
                done = true;
            }

            @Override
            public void close() {
                sse.close();
            }
        };
    }

    /** The model ids an OpenAI-compatible server lists at {@code GET <base>/models}. */
    static List<String> listModels(ProviderHttp http, URI baseUrl, Optional<String> apiKey,
            java.time.Duration timeout) throws ProviderException {
        String base = baseUrl.toString();
        Map<String, String> h = new LinkedHashMap<>();
        apiKey.ifPresent(k -> h.put("Authorization", "Bearer " + k));
        JsonNode r = http.getJson(URI.create((base.endsWith("/") ? base : base + "/") + "models"), h, timeout);
        List<String> ids = new ArrayList<>();
        r.path("data").forEach(m -> {
            if (m.path("id").isString()) {
                ids.add(m.get("id").asString());
            }
        });
        return ids;
    }
}
