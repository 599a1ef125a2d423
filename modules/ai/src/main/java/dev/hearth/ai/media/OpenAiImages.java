package dev.hearth.ai.media;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.ai.ProviderHttp;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's image API ({@code POST /images/generations}), or any server speaking it ({@code baseUrl}). GPT image models
 * always answer base64; DALL·E models are asked for base64 too, so that no URL has to be fetched, but a server that
 * answers with a URL anyway is followed (it is the operator's configured server). Sizes are normalised to what each
 * model accepts; a model named only in the configuration ({@code models}) gets the size asked for.
 */
final class OpenAiImages implements ImageProvider {

    static final String NAME = "openai-image-generation";
    static final String DEFAULT_BASE = "https://api.openai.com/v1";
    private static final List<String> OWN = List.of("dall-e-2", "dall-e-3", "gpt-image-1", "gpt-image-1-mini");

    private final ProviderConfig config;
    private final ProviderHttp http;

    OpenAiImages(ProviderConfig config, ProviderHttp http) {
        this.config = config;
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultModel() {
        return config.customBase(DEFAULT_BASE) && !config.models().isEmpty() ? config.models().getFirst() : "dall-e-2";
    }

    @Override
    public List<String> models() {
        List<String> all = new ArrayList<>(OWN);
        config.models().stream().filter(m -> !all.contains(m)).forEach(all::add);
        return all;
    }

    /** The quality levels of a model, the default first; empty when the model has none. */
    static List<String> qualities(String model) {
        if (model.startsWith("gpt-image")) {
            return List.of("low", "medium", "high");
        }
        if (model.equals("dall-e-3")) {
            return List.of("standard", "hd");
        }
        return List.of();
    }

    @Override
    public String usageType(ImageRequest r) {
        if (r.model().startsWith("gpt-image")) {
            return "openai:" + r.model() + ":" + r.quality() + ":image";
        }
        if (r.model().equals("dall-e-3") && r.quality().equals("hd")) {
            return "openai:dall-e-3:hd:image";
        }
        return "openai:" + r.model() + ":image";
    }

    /** The size the model accepts that is closest to the one asked for. */
    static String size(String model, int w, int h) {
        double aspect = (double) w / h;
        if (model.equals("dall-e-2")) {
            int side = Math.max(w, h);
            return side <= 256 ? "256x256" : side <= 512 ? "512x512" : "1024x1024";
        }
        if (model.equals("dall-e-3")) {
            return aspect > 1.2 ? "1792x1024" : aspect < 1 / 1.2 ? "1024x1792" : "1024x1024";
        }
        if (model.startsWith("gpt-image")) {
            return aspect > 1.2 ? "1536x1024" : aspect < 1 / 1.2 ? "1024x1536" : "1024x1024";
        }
        return w + "x" + h;
    }

    @Override
    public Image generate(ImageRequest r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", r.model());
        body.put("prompt", r.prompt());
        body.put("n", 1);
        body.put("size", size(r.model(), r.width(), r.height()));
        if (!r.quality().isEmpty()) {
            body.put("quality", r.quality());
        }
        if (!r.model().startsWith("gpt-image")) {
            body.put("response_format", "b64_json");
        }
        JsonNode answer = http.sendJson("openai", http.request(config.baseUrl() + "/images/generations")
                .header("Authorization", "Bearer " + config.apiKey()).header("Content-Type", "application/json")
                .POST(ProviderHttp.json(body)).build(), List.of(config.apiKey()));
        JsonNode first = answer.path("data").path(0);
        if (first.path("b64_json").isString()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(first.path("b64_json").asString());
            } catch (IllegalArgumentException e) {
                throw ProviderHttp.badAnswer("openai");
            }
            return new Image(sniff(bytes), bytes.length, new ByteArrayInputStream(bytes));
        }
        if (first.path("url").isString()) {
            HttpResponse<InputStream> image = http.send("openai", http.request(first.path("url").asString()).GET()
                    .build(), List.of(config.apiKey()));
            String type = image.headers().firstValue("content-type").filter(t -> t.startsWith("image/"))
                    .orElse("image/png");
            return new Image(type, image.headers().firstValueAsLong("content-length").orElse(-1),
                    new ProviderHttp.Limited(image.body(), ProviderHttp.MAX_JSON_BYTES, "openai image"));
        }
        throw ProviderHttp.badAnswer("openai");
    }

    /** The media type of image bytes from their first bytes (PNG, JPEG, WebP, GIF), PNG when unsure. */
    static String sniff(byte[] b) {
        if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
            return "image/jpeg";
        }
        if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
            return "image/webp";
        }
        if (b.length > 3 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return "image/gif";
        }
        return "image/png";
    }
}
