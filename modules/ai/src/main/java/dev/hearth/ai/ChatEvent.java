package dev.hearth.ai;

import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event of a chat stream, as every provider's stream is translated: the closed set of NDJSON line types that
 * {@code puter-chat-completion.complete} streams (spec 1.7). {@link #toLine()} is the line's JSON object.
 */
sealed interface ChatEvent {

    ObjectNode toLine();

    /** A text delta. */
    record Text(String text) implements ChatEvent {
        public Text {
            Objects.requireNonNull(text);
        }

        @Override
        public ObjectNode toLine() {
            return line("text").put("text", text);
        }
    }

    /** A reasoning (thinking) delta. */
    record Reasoning(String reasoning) implements ChatEvent {
        @Override
        public ObjectNode toLine() {
            return line("reasoning").put("reasoning", reasoning);
        }
    }

    /** One complete tool call; {@code input} is the parsed arguments object. */
    record ToolUse(String id, String name, JsonNode input) implements ChatEvent {
        @Override
        public ObjectNode toLine() {
            ObjectNode n = line("tool_use").put("id", id).put("name", name);
            n.set("input", input);
            return n.put("text", "");
        }
    }

    /** An image the model produced: {@code {"type":"image_url","image_url":{"url":"data:…"}}}. */
    record Image(JsonNode image) implements ChatEvent {
        @Override
        public ObjectNode toLine() {
            ObjectNode n = line("image");
            n.set("image", image);
            return n;
        }
    }

    /** The provider's usage object; always the last line of a stream that succeeded. */
    record Usage(ObjectNode usage) implements ChatEvent {
        @Override
        public ObjectNode toLine() {
            ObjectNode n = line("usage");
            n.set("usage", usage);
            return n;
        }
    }

    /** A failure inside the stream; the stream ends after it. */
    record Error(String message) implements ChatEvent {
        @Override
        public ObjectNode toLine() {
            return line("error").put("message", message);
        }
    }

    private static ObjectNode line(String type) {
        return JsonNodeFactory.instance.objectNode().put("type", type);
    }
}
