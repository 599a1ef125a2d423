package dev.hearth.ai;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in offline provider, {@code fake-chat} (spec 4.11, with Hearth's fixes): no network, no key, no cost.
 * Its answers are deterministic so that apps and tests can rely on them:
 * <ul>
 *   <li>with tools, unless the conversation ends with a tool result: a call of the first function tool, its
 *       arguments filled from the schema (strings get the last user text, numbers 1, booleans true);</li>
 *   <li>after a tool result: {@code The tool `<name>` returned: <content>};</li>
 *   <li>otherwise: {@code This is Hearth's offline model. You said: <last user text>}.</li>
 * </ul>
 * It serves test mode ({@code test_mode: true} on chat), {@code model: "fake"}, and every chat when no provider is
 * configured. Results have Claude's shape, as upstream's fake provider's.
 */
final class OfflineProvider implements ChatProvider {

    static final String NAME = "fake-chat";
    static final String ABUSE_TEXT = "<h2>Free AI and Cloud for everyone!</h2><br />\nCome on down to "
            + "<a href=\"https://puter.com\">puter.com</a> and try it out!\n";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<ModelInfo> models = List.of(
            model("fake", 0, 0), model("costly", 1000, 2000), model("abuse", 0, 0));

    private static ModelInfo model(String id, int in, int out) {
        ObjectNode d = NODES.objectNode().put("id", id).put("name", "Hearth offline (" + id + ")")
                .put("costs_currency", "usd-cents").put("input_cost_key", "input_tokens")
                .put("output_cost_key", "output_tokens").put("max_tokens", 8192).put("context", 128000);
        d.putObject("costs").put("tokens", 1_000_000).put("input_tokens", in).put("output_tokens", out);
        return ModelInfo.parse(d, NAME);
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
        return "fake";
    }

    @Override
    public Family family() {
        return Family.CLAUDE;
    }

    /** What the model answers: text and tool calls. */
    private record Answer(String text, List<ChatEvent.ToolUse> calls) {}

    private Answer answer(ChatRequest request) {
        if (request.model().equals("abuse")) {
            return new Answer(ABUSE_TEXT, List.of());
        }
        ArrayNode messages = request.messages();
        String lastUser = "";
        for (JsonNode m : messages) {
            if (m.path("role").asString().equals("user") && !Messages.hasType(m.path("content"), "tool_result")) {
                lastUser = Messages.textOf(m);
            }
        }
        JsonNode last = messages.isEmpty() ? NODES.objectNode() : messages.get(messages.size() - 1);
        Optional<JsonNode> result = toolResult(last);
        if (result.isPresent()) {
            String id = result.get().path("tool_use_id").asString("");
            JsonNode c = result.get().get("content");
            String content = c == null ? "" : c.isString() ? c.asString() : c.toString();
            return new Answer("The tool `" + toolName(messages, id) + "` returned: " + content, List.of());
        }
        for (JsonNode tool : request.tools()) {
            if (tool.path("type").asString().equals("function")) {
                JsonNode fn = tool.get("function");
                ObjectNode input = NODES.objectNode();
                JsonNode props = fn.path("parameters").path("properties");
                for (Map.Entry<String, JsonNode> p : props.properties()) {
                    input.set(p.getKey(), sample(p.getValue(), lastUser));
                }
                String id = "toolu_offline_" + Integer.toHexString(
                        (fn.path("name").asString() + lastUser + messages.size()).hashCode() & 0x7fffffff);
                return new Answer("", List.of(new ChatEvent.ToolUse(id, fn.path("name").asString(), input)));
            }
        }
        return new Answer("This is Hearth's offline model. You said: " + lastUser, List.of());
    }

    private static Optional<JsonNode> toolResult(JsonNode message) {
        for (JsonNode p : message.path("content")) {
            if (p.path("type").asString().equals("tool_result")) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String toolName(ArrayNode messages, String id) {
        for (JsonNode m : messages) {
            for (JsonNode p : m.path("content")) {
                if (p.path("type").asString().equals("tool_use") && p.path("id").asString().equals(id)) {
                    return p.path("name").asString();
                }
            }
        }
        return "tool";
    }

    private static JsonNode sample(JsonNode schema, String text) {
        if (schema.has("enum") && schema.get("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        return switch (schema.path("type").asString("string")) {
            case "number", "integer" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(true);
            case "object" -> NODES.objectNode();
            case "array" -> NODES.arrayNode();
            default -> NODES.stringNode(text);
        };
    }

    private static TokenUsage usage(ChatRequest request, Answer a) {
        long in = 0;
        for (JsonNode m : request.messages()) {
            for (JsonNode p : m.path("content")) {
                String t = p.path("text").asString(p.path("content").asString(""));
                in += (t.length() + 3) / 4;
            }
        }
        long out = Math.max(1, a.text().isBlank() ? a.calls().size() * 8L : a.text().split("\\s+").length);
        if (request.maxTokens().isPresent()) {
            out = Math.min(out, request.maxTokens().getAsInt());
        }
        return TokenUsage.of(NODES.objectNode().put("input_tokens", in).put("output_tokens", out));
    }

    @Override
    public Completion complete(ChatRequest request) {
        Answer a = answer(request);
        TokenUsage usage = usage(request, a);
        ObjectNode message = NODES.objectNode().put("id", "msg_offline").put("type", "message")
                .put("role", "assistant").put("model", request.model());
        ArrayNode content = message.putArray("content");
        if (!a.text().isEmpty() || a.calls().isEmpty()) {
            content.add(Messages.text(a.text()));
        }
        for (ChatEvent.ToolUse call : a.calls()) {
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            use.set("input", call.input());
        }
        message.put("stop_reason", a.calls().isEmpty() ? "end_turn" : "tool_use").putNull("stop_sequence");
        message.set("usage", usage.raw().deepCopy());
        ObjectNode result = NODES.objectNode();
        result.set("message", message);
        result.set("usage", usage.raw());
        result.put("finish_reason", "stop");
        return new Completion(result, usage);
    }

    /**
     * A pause between streamed events, as a model types. Without it the whole answer and the end of the response
     * reach the client together, and puter.js 2.2.14's NDJSON reader drops the lines that arrive with the end.
     */
    private static final long PACE_MILLIS = 10;

    /** Streams the answer word by word (so that clients see a real stream), the tool calls, then the usage. */
    @Override
    public ChatStream stream(ChatRequest request) {
        Answer a = answer(request);
        Deque<ChatEvent> events = new ArrayDeque<>();
        List<String> words = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\S+\\s*|\\s+").matcher(a.text());
        while (m.find()) {
            words.add(m.group());
        }
        words.forEach(w -> events.add(new ChatEvent.Text(w)));
        events.addAll(a.calls());
        events.add(new ChatEvent.Usage(usage(request, a).raw()));
        return new ChatStream() {
            private boolean started;

            @Override
            public Optional<ChatEvent> next() throws ProviderException {
                if (started && !events.isEmpty()) {
                    try {
                        Thread.sleep(PACE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ProviderException(ProviderException.Kind.UNAVAILABLE, NAME, "interrupted");
                    }
                }
                started = true;
                return Optional.ofNullable(events.poll());
            }

            @Override
            public void close() {
                events.clear();
            }
        };
    }
}
