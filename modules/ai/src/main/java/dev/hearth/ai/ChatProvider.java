package dev.hearth.ai;

import java.util.List;
import java.util.Optional;

import tools.jackson.databind.node.ObjectNode;

/**
 * A chat provider (spec 4.1): a name clients may send as {@code driver} or {@code provider}, its models, and the
 * two ways to complete: whole, or as a stream of {@link ChatEvent}s read as they arrive.
 */
interface ChatProvider {

    String name();

    List<ModelInfo> models();

    String defaultModel();

    /** The shape of non-streamed results (spec 4.7). */
    Family family();

    Completion complete(ChatRequest request) throws ProviderException;

    /**
     * Opens a stream; returns once the provider accepted the request (so that refusals are still ordinary errors,
     * and another provider may be tried).
     */
    ChatStream stream(ChatRequest request) throws ProviderException;

    /** Result shapes: the OpenAI family's choice object, or Claude's message object. */
    enum Family { OPENAI, CLAUDE }

    /**
     * A non-streamed completion.
     *
     * @param result the driver's {@code result} in the provider family's shape (without {@code via_ai_chat_service})
     * @param usage token counts for metering and the compatible endpoints
     */
    record Completion(ObjectNode result, TokenUsage usage) {}

    /**
     * Token counts. {@code raw} is the provider-specific usage object clients see (spec 1.7); {@code byKind} the
     * counts by the model's cost keys ({@code input_tokens}, {@code output_tokens}, …) for metering.
     */
    record TokenUsage(long input, long output, ObjectNode raw, java.util.Map<String, Long> byKind) {

        static final TokenUsage NONE = new TokenUsage(0, 0,
                tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), java.util.Map.of());

        /**
         * Reads any provider's usage object: OpenAI's {@code prompt_tokens}/{@code completion_tokens} (minus cached
         * tokens, which are counted as {@code cached_tokens}), Claude's {@code input_tokens}/{@code output_tokens}
         * and cache kinds, OpenRouter's and Ollama's {@code prompt}/{@code completion}.
         */
        static TokenUsage of(ObjectNode raw) {
            java.util.Map<String, Long> byKind = new java.util.LinkedHashMap<>();
            long input;
            long output;
            if (raw.has("prompt_tokens") || raw.has("completion_tokens")) {
                long cached = raw.path("cached_tokens").asLong(raw.path("prompt_tokens_details").path("cached_tokens")
                        .asLong(0));
                input = raw.path("prompt_tokens").asLong(0);
                output = raw.path("completion_tokens").asLong(0);
                byKind.put("input_tokens", Math.max(0, input - cached));
                byKind.put("output_tokens", output);
                if (cached > 0) {
                    byKind.put("cached_tokens", cached);
                }
            } else if (raw.has("prompt") || raw.has("completion")) {
                input = raw.path("prompt").asLong(0);
                output = raw.path("completion").asLong(0);
                byKind.put("input_tokens", input);
                byKind.put("output_tokens", output);
            } else {
                input = raw.path("input_tokens").asLong(0);
                output = raw.path("output_tokens").asLong(0);
                raw.properties().forEach(e -> {
                    if (e.getValue().isIntegralNumber()) {
                        byKind.put(e.getKey(), e.getValue().asLong());
                    }
                });
            }
            return new TokenUsage(input, output, raw, byKind);
        }
    }

    /** A stream of events; {@link #next()} blocks until the next one, empty at the end. */
    interface ChatStream extends AutoCloseable {
        Optional<ChatEvent> next() throws ProviderException;

        /** Stops reading and releases the connection; safe to call twice. */
        @Override
        void close();
    }
}
