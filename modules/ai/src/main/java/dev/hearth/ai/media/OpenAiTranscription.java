package dev.hearth.ai.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.hearth.ai.ProviderHttp;
import dev.hearth.drivers.DriverFile;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's transcription and translation endpoints ({@code POST /audio/transcriptions}, {@code /audio/translations}),
 * or any server speaking them ({@code services.openai.baseUrl}, e.g. a self-hosted Whisper server). The audio is
 * streamed from the file argument into the multipart request as it is sent (chunked), through a counter that stops at
 * the 25 MiB limit, so an upload is never held whole.
 */
final class OpenAiTranscription {

    static final String DEFAULT_BASE = "https://api.openai.com/v1";
    static final long MAX_BYTES = 25L << 20;

    /** A model's rules (spec 5.5): response formats (the default first) and whether it takes a prompt and logprobs. */
    record ModelRules(List<String> formats, boolean prompt, boolean logprobs, boolean translation) {}

    static final Map<String, ModelRules> MODELS = Map.of(
            "gpt-4o-mini-transcribe", new ModelRules(List.of("json", "text"), true, true, false),
            "gpt-4o-transcribe", new ModelRules(List.of("json", "text"), true, true, false),
            "gpt-4o-transcribe-diarize", new ModelRules(List.of("diarized_json", "json", "text"), false, false, false),
            "whisper-1", new ModelRules(List.of("json", "text", "srt", "verbose_json", "vtt"), true, false, true));

    private final ProviderConfig config;
    private final ProviderHttp http;

    OpenAiTranscription(ProviderConfig config, ProviderHttp http) {
        this.config = config;
        this.http = http;
    }

    /** The rules of a model, or of any model the operator listed for a compatible server (Whisper's). */
    ModelRules rules(String model) {
        ModelRules r = MODELS.get(model);
        if (r == null && config.models().contains(model)) {
            return MODELS.get("whisper-1");
        }
        return r;
    }

    /** One request's fields, in the order they are sent; values are strings or lists of strings (sent as {@code k[]}). */
    record Fields(List<Map.Entry<String, Object>> entries) {}

    /**
     * Sends the audio and answers the provider's JSON, or its text as a JSON string for the text formats.
     *
     * @param counted receives the number of audio bytes sent, for metering
     */
    JsonNode send(boolean translate, DriverFile file, String filename, Fields fields, long[] counted) {
        String boundary = "hearth-" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        for (Map.Entry<String, Object> e : fields.entries()) {
            if (e.getValue() instanceof List<?> list) {
                for (Object v : list) {
                    part(head, boundary, e.getKey() + "[]", String.valueOf(v));
                }
            } else {
                part(head, boundary, e.getKey(), String.valueOf(e.getValue()));
            }
        }
        String type = file.contentType().filter(t -> t.matches("[\\w.+-]+/[\\w.+-]+")).orElse("application/octet-stream");
        head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(filename).append("\"\r\n")
                .append("Content-Type: ").append(type).append("\r\n\r\n");
        byte[] prefix = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] suffix = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        ProviderHttp.Limited[] audio = new ProviderHttp.Limited[1];
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                audio[0] = new ProviderHttp.Limited(file.open(), MAX_BYTES, "the audio");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new SequenceInputStream(Collections.enumeration(List.<InputStream>of(
                    new ByteArrayInputStream(prefix), audio[0], new ByteArrayInputStream(suffix))));
        });
        String format = fields.entries().stream().filter(e -> e.getKey().equals("response_format"))
                .map(e -> String.valueOf(e.getValue())).findFirst().orElse("json");
        HttpRequest request = http.request(config.baseUrl() + (translate ? "/audio/translations"
                        : "/audio/transcriptions"))
                .header("Authorization", "Bearer " + config.apiKey())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build();
        try {
            if (format.equals("text") || format.equals("srt") || format.equals("vtt")) {
                return Json.mapper().getNodeFactory().stringNode(http.sendText("openai", request,
                        List.of(config.apiKey())));
            }
            return http.sendJson("openai", request, List.of(config.apiKey()));
        } catch (ApiError e) {
            if (audio[0] != null && audio[0].count() > MAX_BYTES) {
                throw AiMedia.fileTooLarge(MAX_BYTES);
            }
            throw e;
        } finally {
            counted[0] = audio[0] == null ? 0 : audio[0].count();
        }
    }

    private static void part(StringBuilder out, String boundary, String name, String value) {
        out.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n");
    }
}
