package dev.hearth.ai.media;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.ai.ProviderHttp;
import tools.jackson.databind.JsonNode;

/**
 * Gemini's image models through {@code POST /models/<model>:generateContent} (the Generative Language API), asking
 * for an image part; the aspect ratio is the supported one closest to the size asked for. The key travels in the
 * {@code x-goog-api-key} header, never in the URL, so that it cannot end up in a log of URLs.
 */
final class GeminiImages implements ImageProvider {

    static final String NAME = "gemini-image-generation";
    static final String DEFAULT_BASE = "https://generativelanguage.googleapis.com/v1beta";
    private static final List<String> OWN = List.of("gemini-2.5-flash-image", "gemini-2.5-flash-image-preview",
            "gemini-3-pro-image-preview");
    private static final String[] RATIOS = {"1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"};

    private final ProviderConfig config;
    private final ProviderHttp http;

    GeminiImages(ProviderConfig config, ProviderHttp http) {
        this.config = config;
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultModel() {
        return "gemini-2.5-flash-image";
    }

    @Override
    public List<String> models() {
        List<String> all = new ArrayList<>(OWN);
        config.models().stream().filter(m -> !all.contains(m)).forEach(all::add);
        return all;
    }

    @Override
    public String usageType(ImageRequest r) {
        return "gemini:" + r.model() + ":image";
    }

    static String aspectRatio(int w, int h) {
        double want = (double) w / h;
        String best = "1:1";
        double bestDistance = Double.MAX_VALUE;
        for (String r : RATIOS) {
            String[] p = r.split(":");
            double d = Math.abs(Math.log(Double.parseDouble(p[0]) / Double.parseDouble(p[1])) - Math.log(want));
            if (d < bestDistance) {
                bestDistance = d;
                best = r;
            }
        }
        return best;
    }

    @Override
    public Image generate(ImageRequest r) {
        Map<String, Object> generation = new LinkedHashMap<>();
        generation.put("responseModalities", List.of("TEXT", "IMAGE"));
        generation.put("imageConfig", Map.of("aspectRatio", aspectRatio(r.width(), r.height())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contents", List.of(Map.of("role", "user", "parts", List.of(Map.of("text", r.prompt())))));
        body.put("generationConfig", generation);
        JsonNode answer = http.sendJson("gemini", http.request(config.baseUrl() + "/models/" + r.model()
                        + ":generateContent").header("x-goog-api-key", config.apiKey())
                .header("Content-Type", "application/json").POST(ProviderHttp.json(body)).build(),
                List.of(config.apiKey()));
        for (JsonNode candidate : answer.path("candidates")) {
            for (JsonNode part : candidate.path("content").path("parts")) {
                JsonNode inline = part.has("inlineData") ? part.get("inlineData") : part.get("inline_data");
                if (inline != null && inline.path("data").isString()) {
                    byte[] bytes;
                    try {
                        bytes = Base64.getDecoder().decode(inline.path("data").asString());
                    } catch (IllegalArgumentException e) {
                        throw ProviderHttp.badAnswer("gemini");
                    }
                    String type = inline.has("mimeType") ? inline.path("mimeType").asString()
                            : inline.path("mime_type").asString("image/png");
                    return new Image(type.startsWith("image/") ? type : OpenAiImages.sniff(bytes), bytes.length,
                            new ByteArrayInputStream(bytes));
                }
            }
        }
        String reason = answer.path("promptFeedback").path("blockReason").asString("");
        throw dev.hearth.kernel.ApiError.of(400, "error_400_from_delegate", "Error 400 from delegate `gemini`: "
                + (reason.isEmpty() ? "the model answered without an image." : "the prompt was blocked (" + reason
                + ").")).with("delegate", "gemini");
    }
}
