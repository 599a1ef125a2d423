package dev.hearth.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chat model of one provider (spec 4.2): its canonical id (lower case), aliases, limits and costs. Costs are
 * US cents per million tokens, which is µ¢ per token; a missing cost key counts as 0, never as "not a number".
 *
 * @param description the whole catalogue entry, shown by {@code /puterai/chat/models/details}
 */
record ModelInfo(String id, String provider, Optional<String> puterId, List<String> aliases, int context,
        int maxTokens, Map<String, Double> costs, String inputCostKey, String outputCostKey, ObjectNode description) {

    ModelInfo {
        Objects.requireNonNull(id);
        Objects.requireNonNull(provider);
        aliases = List.copyOf(aliases);
        costs = Map.copyOf(costs);
    }

    /** Reads a catalogue entry: an object with at least {@code id}, or just the id as a string. */
    static ModelInfo parse(JsonNode entry, String provider) {
        ObjectNode d = entry.isString() ? JsonNodeFactory.instance.objectNode().put("id", entry.asString())
                : ((ObjectNode) entry).deepCopy();
        if (!d.path("id").isString() || d.get("id").asString().isBlank()) {
            throw new IllegalArgumentException("a model needs an `id`: " + entry);
        }
        String id = d.get("id").asString().strip().toLowerCase(Locale.ROOT);
        d.put("id", id);
        List<String> aliases = new ArrayList<>();
        d.path("aliases").forEach(a -> {
            if (a.isString()) {
                aliases.add(a.asString());
            }
        });
        Optional<String> puterId = d.path("puterId").isString() ? Optional.of(d.get("puterId").asString())
                : Optional.empty();
        puterId.filter(p -> !aliases.contains(p)).ifPresent(aliases::add);
        Map<String, Double> costs = new LinkedHashMap<>();
        d.path("costs").properties().forEach(e -> {
            if (e.getValue().isNumber() && !e.getKey().equals("tokens")) {
                costs.put(e.getKey(), e.getValue().doubleValue());
            }
        });
        d.put("provider", provider);
        return new ModelInfo(id, provider, puterId, aliases, d.path("context").asInt(0),
                d.path("max_tokens").asInt(8192), costs, d.path("input_cost_key").asString("input_tokens"),
                d.path("output_cost_key").asString("output_tokens"), d);
    }

    double inputCost() {
        return costs.getOrDefault(inputCostKey, 0.0);
    }

    double outputCost() {
        return costs.getOrDefault(outputCostKey, 0.0);
    }

    boolean free() {
        return costs.values().stream().allMatch(c -> c == 0);
    }

    /** The µ¢ a completion cost: each usage kind times its cost per token (unknown kinds cost nothing). */
    long costOf(Map<String, Long> byKind) {
        double total = 0;
        for (Map.Entry<String, Long> e : byKind.entrySet()) {
            String key = e.getKey().equals("input_tokens") ? inputCostKey
                    : e.getKey().equals("output_tokens") ? outputCostKey : e.getKey();
            total += costs.getOrDefault(key, 0.0) * e.getValue();
        }
        return (long) Math.ceil(total);
    }

    /** The same model as another provider serves it (OpenAI's Responses API for a chat model). */
    ModelInfo servedBy(String other) {
        ObjectNode d = description.deepCopy().put("provider", other);
        return new ModelInfo(id, other, puterId, aliases, context, maxTokens, costs, inputCostKey, outputCostKey, d);
    }

    /** The name clients list: the {@code puterId} if any, else the id. */
    String listedName() {
        return puterId.orElse(id);
    }
}
