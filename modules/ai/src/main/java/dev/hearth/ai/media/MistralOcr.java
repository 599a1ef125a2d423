package dev.hearth.ai.media;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.ai.ProviderHttp;
import dev.hearth.drivers.Args;
import dev.hearth.drivers.DriverFile;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * Mistral's OCR endpoint ({@code POST /ocr}, model {@code mistral-ocr-latest}), answered in the shape spec 5.6 gives
 * the unregistered upstream class: {@code {model, pages, usage_info, blocks: [{type: 'text/mistral:LINE', text,
 * page}], text}} (plus {@code document_annotation} when asked for). The document travels inside the JSON body as a
 * data URL, so it is read into memory, within a 20 MiB limit.
 */
final class MistralOcr implements OcrProvider {

    static final String NAME = "mistral";
    static final String DEFAULT_BASE = "https://api.mistral.ai/v1";
    static final long MAX_BYTES = 20L << 20;

    private final ProviderConfig config;
    private final ProviderHttp http;

    MistralOcr(ProviderConfig config, ProviderHttp http) {
        this.config = config;
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    private static String model(Args args) {
        return args.string("model").map(ProviderConfig::lower).filter(m -> m.startsWith("mistral-ocr"))
                .orElse("mistral-ocr-latest");
    }

    @Override
    public String usageType(Args args) {
        return "mistral:" + model(args) + ":page";
    }

    @Override
    public Map<String, Object> recognize(DriverFile source, Args args) {
        if (source.size().isPresent() && source.size().getAsLong() > MAX_BYTES) {
            throw AiMedia.fileTooLarge(MAX_BYTES);
        }
        byte[] bytes;
        try (InputStream in = source.open()) {
            bytes = ProviderHttp.readAll(in, MAX_BYTES, "the document");
        } catch (ProviderHttp.TooLarge e) {
            throw AiMedia.fileTooLarge(MAX_BYTES);
        } catch (IOException e) {
            throw ApiError.fieldInvalid("source", "a readable file", null);
        }
        if (bytes.length == 0) {
            throw ApiError.fieldInvalid("source", "a non-empty file", null);
        }
        String type = source.contentType().orElse(OpenAiImages.sniff(bytes));
        String dataUrl = "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
        Map<String, Object> document = type.equals("application/pdf")
                ? Map.of("type", "document_url", "document_url", dataUrl)
                : Map.of("type", "image_url", "image_url", dataUrl);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model(args));
        body.put("document", document);
        args.json("pages").filter(JsonNode::isArray).ifPresent(p -> body.put("pages", p));
        if (args.flag("includeImageBase64")) {
            body.put("include_image_base64", true);
        }
        args.number("imageLimit").ifPresent(n -> body.put("image_limit", n));
        args.number("imageMinSize").ifPresent(n -> body.put("image_min_size", n));
        args.json("bboxAnnotationFormat").filter(JsonNode::isObject).ifPresent(f -> body.put("bbox_annotation_format", f));
        args.json("documentAnnotationFormat").filter(JsonNode::isObject)
                .ifPresent(f -> body.put("document_annotation_format", f));
        JsonNode answer = http.sendJson("mistral", http.request(config.baseUrl() + "/ocr")
                .header("Authorization", "Bearer " + config.apiKey()).header("Content-Type", "application/json")
                .POST(ProviderHttp.json(body)).build(), List.of(config.apiKey()));
        List<Map<String, Object>> blocks = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode page : answer.path("pages")) {
            String markdown = page.path("markdown").asString("");
            if (!markdown.isBlank()) {
                texts.add(markdown.strip());
            }
            for (String line : markdown.lines().toList()) {
                if (!line.isBlank()) {
                    Map<String, Object> block = new LinkedHashMap<>();
                    block.put("type", "text/mistral:LINE");
                    block.put("text", line.strip());
                    block.put("page", page.path("index").asInt(0));
                    blocks.add(block);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", answer.path("model").asString(model(args)));
        out.put("pages", answer.path("pages"));
        if (answer.has("usage_info")) {
            out.put("usage_info", answer.get("usage_info"));
        }
        if (answer.has("document_annotation")) {
            out.put("document_annotation", answer.get("document_annotation"));
        }
        out.put("blocks", blocks);
        out.put("text", String.join("\n\n", texts));
        return out;
    }

    /** Pages Mistral says it processed, for metering (at least one). */
    static long pages(Map<String, Object> result) {
        if (result.get("usage_info") instanceof JsonNode u && u.path("pages_processed").isNumber()) {
            return Math.max(1, u.path("pages_processed").asLong());
        }
        return Math.max(1, ((JsonNode) Json.mapper().valueToTree(result.get("pages"))).size());
    }
}
