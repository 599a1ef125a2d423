package dev.hearth.ai;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import tools.jackson.databind.node.ArrayNode;

/**
 * A chat request in the common format, as providers receive it.
 *
 * @param messages normalised messages ({@link Messages#normalize})
 * @param tools normalised tools ({@link Tools#normalize}), possibly empty
 * @param model the model as the provider names it
 * @param temperature sent whenever the client gave one, 0 included
 * @param reasoningEffort {@code low}, {@code medium}, {@code high}... for models that reason
 * @param user an opaque, stable id of the end user (OpenAI's {@code user}), never a username
 */
record ChatRequest(ArrayNode messages, ArrayNode tools, String model, OptionalDouble temperature,
        OptionalInt maxTokens, Optional<String> reasoningEffort, Optional<String> verbosity, Optional<String> user) {

    ChatRequest {
        Objects.requireNonNull(messages);
        Objects.requireNonNull(tools);
        Objects.requireNonNull(model);
    }

    ChatRequest withModel(String other) {
        return new ChatRequest(messages, tools, other, temperature, maxTokens, reasoningEffort, verbosity, user);
    }

    ChatRequest withMaxTokens(OptionalInt other) {
        return new ChatRequest(messages, tools, model, temperature, other, reasoningEffort, verbosity, user);
    }
}
