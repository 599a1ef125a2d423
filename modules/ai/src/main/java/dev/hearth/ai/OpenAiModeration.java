package dev.hearth.ai;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Moderation by OpenAI's {@code POST <base>/moderations} ({@code omni-moderation-latest}): flagged when any category
 * scores above 0.8, as upstream. If the moderator cannot be reached the prompt passes (logged).
 */
final class OpenAiModeration implements Moderation {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiModeration.class);
    static final double THRESHOLD = 0.8;

    private final ProviderHttp http;
    private final URI endpoint;
    private final String key;

    OpenAiModeration(ProviderHttp http, URI base, String key) {
        this.http = http;
        String b = base.toString();
        this.endpoint = URI.create((b.endsWith("/") ? b : b + "/") + "moderations");
        this.key = key;
    }

    @Override
    public void check(String text) {
        if (text.isBlank()) {
            return;
        }
        JsonNode r;
        try {
            r = http.postJson(endpoint, Map.of("Authorization", "Bearer " + key), JsonNodeFactory.instance.objectNode()
                    .put("model", "omni-moderation-latest").put("input", text), "omni-moderation-latest", List.of());
        } catch (ProviderException e) {
            LOG.warn("moderation unavailable, the prompt passes: {}", e.getMessage());
            return;
        }
        for (JsonNode result : r.path("results")) {
            for (var e : result.path("category_scores").properties()) {
                if (e.getValue().asDouble(0) > THRESHOLD) {
                    throw Moderation.failed();
                }
            }
        }
    }
}
