package dev.hearth.ai;

import java.util.ArrayList;
import java.util.List;

import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The common message format (spec 4.4). Clients send strings, OpenAI-style messages ({@code tool_calls},
 * {@code role: "tool"}) or Anthropic-style ones ({@code tool_use} / {@code tool_result} parts); every provider
 * adapter starts from one normal form: each message {@code {role, content: [parts]}}, consecutive messages of one role
 * merged unless tool parts are involved.
 */
final class Messages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Messages() {}

    /** Normalises a {@code messages} argument; anything but an array is a {@code field_invalid}. */
    static ArrayNode normalize(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            throw dev.hearth.kernel.ApiError.fieldInvalid("messages", "an array of messages",
                    messages == null || messages.isNull() ? "nothing" : "a JSON " + messages.getNodeType()
                            .name().toLowerCase(java.util.Locale.ROOT));
        }
        List<ObjectNode> split = new ArrayList<>();
        for (JsonNode m : messages) {
            ObjectNode one = normalizeOne(m);
            ArrayNode content = (ArrayNode) one.get("content");
            if (one.path("role").asString().equals("assistant") && hasType(content, "tool_use")
                    || content.size() <= 1) {
                if (!content.isEmpty()) {
                    split.add(one);
                }
                continue;
            }
            for (JsonNode part : content) {
                ObjectNode piece = one.deepCopy();
                piece.set("content", NODES.arrayNode().add(part));
                split.add(piece);
            }
        }
        ArrayNode out = NODES.arrayNode();
        ObjectNode last = null;
        for (ObjectNode m : split) {
            if (last != null && last.path("role").asString().equals(m.path("role").asString())
                    && !hasTools(last) && !hasTools(m)) {
                ((ArrayNode) last.get("content")).addAll((ArrayNode) m.get("content"));
                continue;
            }
            out.add(m);
            last = m;
        }
        return out;
    }

    /** One message in normal form (its content an array of typed parts), without splitting or merging. */
    static ObjectNode normalizeOne(JsonNode m) {
        if (m == null || m.isNull()) {
            return message("user", NODES.arrayNode());
        }
        if (!m.isObject()) {
            return message("user", NODES.arrayNode().add(text(m.isString() ? m.asString() : m.toString())));
        }
        ObjectNode out = ((ObjectNode) m).deepCopy();
        String role = m.path("role").isString() ? m.get("role").asString() : "user";
        out.put("role", role);
        if (role.equals("tool")) {
            String id = firstString(m, "tool_call_id", "tool_use_id", "id");
            JsonNode c = m.get("content");
            String content = c == null || c.isNull() ? "" : c.isString() ? c.asString()
                    : c.isArray() && allText(c) ? joinText(c) : c.toString();
            ObjectNode result = NODES.objectNode().put("type", "tool_result").put("tool_use_id", id)
                    .put("content", content);
            out.put("tool_use_id", id);
            out.set("content", NODES.arrayNode().add(result));
            return out;
        }
        ArrayNode content = NODES.arrayNode();
        JsonNode c = m.get("content");
        if (c != null && !c.isNull()) {
            if (c.isArray()) {
                c.forEach(p -> content.add(part(p)));
            } else {
                content.add(part(c));
            }
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                JsonNode fn = call.path("function");
                ObjectNode use = NODES.objectNode().put("type", "tool_use").put("id", call.path("id").asString(""))
                        .put("name", fn.path("name").asString(""));
                JsonNode args = fn.get("arguments");
                use.set("input", args == null || args.isNull() ? NODES.objectNode() : args);
                if (call.has("extra_content")) {
                    use.set("extra_content", call.get("extra_content"));
                }
                content.add(use);
            }
            out.remove("tool_calls");
        }
        out.set("content", content);
        return out;
    }

    private static ObjectNode part(JsonNode p) {
        if (p.isString()) {
            return text(p.asString());
        }
        if (!p.isObject()) {
            return text(p.toString());
        }
        ObjectNode part = ((ObjectNode) p).deepCopy();
        if (!part.has("type")) {
            if (part.path("text").isString()) {
                part.put("type", "text");
            } else if (part.has("image_url")) {
                part.put("type", "image_url");
            } else if (part.has("video_url")) {
                part.put("type", "video_url");
            }
        }
        if (part.path("type").asString().equals("tool_use")) {
            part.remove("text");
        }
        return part;
    }

    static ObjectNode text(String text) {
        return NODES.objectNode().put("type", "text").put("text", text);
    }

    private static ObjectNode message(String role, ArrayNode content) {
        ObjectNode m = NODES.objectNode().put("role", role);
        m.set("content", content);
        return m;
    }

    static boolean hasType(JsonNode content, String type) {
        for (JsonNode p : content) {
            if (p.path("type").asString().equals(type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasTools(ObjectNode m) {
        JsonNode c = m.get("content");
        return m.path("role").asString().equals("tool") || hasType(c, "tool_use") || hasType(c, "tool_result");
    }

    private static boolean allText(JsonNode parts) {
        for (JsonNode p : parts) {
            if (!(p.isString() || p.path("text").isString())) {
                return false;
            }
        }
        return true;
    }

    private static String joinText(JsonNode parts) {
        StringBuilder b = new StringBuilder();
        for (JsonNode p : parts) {
            b.append(p.isString() ? p.asString() : p.get("text").asString());
        }
        return b.toString();
    }

    private static String firstString(JsonNode m, String... fields) {
        for (String f : fields) {
            if (m.path(f).isString()) {
                return m.get(f).asString();
            }
        }
        return "";
    }

    /** All text of normalised messages, joined by a space (moderation and credit estimates). */
    static String allText(ArrayNode messages) {
        StringBuilder b = new StringBuilder();
        for (JsonNode m : messages) {
            for (JsonNode p : m.path("content")) {
                String t = p.path("text").isString() ? p.get("text").asString()
                        : p.path("content").isString() ? p.get("content").asString() : null;
                if (t != null) {
                    if (!b.isEmpty()) {
                        b.append(' ');
                    }
                    b.append(t);
                }
            }
        }
        return b.toString();
    }

    /** The text parts of a message's content joined (tool and media parts left out). */
    static String textOf(JsonNode message) {
        JsonNode c = message.path("content");
        if (c.isString()) {
            return c.asString();
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode p : c) {
            if (p.path("type").asString("text").equals("text") && p.path("text").isString()) {
                b.append(p.get("text").asString());
            }
        }
        return b.toString();
    }

    /**
     * A tool call's arguments as the object they encode: a JSON string is parsed (Hearth's fix against upstream's
     * double encoding), an object kept; anything unreadable becomes {@code {}}.
     */
    static JsonNode toolInput(JsonNode input) {
        if (input == null || input.isNull()) {
            return NODES.objectNode();
        }
        if (input.isString()) {
            String s = input.asString().strip();
            if (s.isEmpty()) {
                return NODES.objectNode();
            }
            try {
                return Json.mapper().readTree(s);
            } catch (RuntimeException e) {
                return NODES.objectNode();
            }
        }
        return input;
    }

    /** A tool call's arguments as the JSON text OpenAI-style APIs want. */
    static String toolArguments(JsonNode input) {
        if (input != null && input.isString()) {
            String s = input.asString();
            try {
                Json.mapper().readTree(s);
                return s;
            } catch (RuntimeException e) {
                return Json.mapper().writeValueAsString(s);
            }
        }
        return Json.mapper().writeValueAsString(input == null || input.isNull() ? NODES.objectNode() : input);
    }
}
