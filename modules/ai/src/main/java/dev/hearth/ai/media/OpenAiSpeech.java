package dev.hearth.ai.media;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.ai.ProviderHttp;
import dev.hearth.drivers.DriverResult;
import dev.hearth.kernel.ApiError;

/**
 * OpenAI's speech endpoint ({@code POST /audio/speech}), or any server speaking it ({@code services.openai.baseUrl}).
 * The audio is passed on as the provider sends it, without being held in memory.
 */
final class OpenAiSpeech implements SpeechProvider {

    static final String NAME = "openai";
    static final String DEFAULT_BASE = "https://api.openai.com/v1";
    static final List<String> MODELS = List.of("gpt-4o-mini-tts", "tts-1", "tts-1-hd");
    static final List<String> VOICES = List.of("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx",
            "sage", "shimmer");
    static final Map<String, String> FORMATS = Map.of("mp3", "audio/mpeg", "opus", "audio/opus", "aac", "audio/aac",
            "flac", "audio/flac", "wav", "audio/wav", "pcm", "audio/pcm");
    /** How many bytes of audio one answer may carry. */
    static final long MAX_AUDIO_BYTES = 256L << 20;

    private final ProviderConfig config;
    private final ProviderHttp http;

    OpenAiSpeech(ProviderConfig config, ProviderHttp http) {
        this.config = config;
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    private List<String> models() {
        List<String> all = new ArrayList<>(MODELS);
        config.models().stream().filter(m -> !all.contains(m)).forEach(all::add);
        return all;
    }

    @Override
    public List<Map<String, Object>> voices() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String v : VOICES) {
            Map<String, Object> voice = new LinkedHashMap<>();
            voice.put("id", v);
            voice.put("name", Character.toUpperCase(v.charAt(0)) + v.substring(1));
            voice.put("language", Map.of("name", "English", "code", "en"));
            voice.put("provider", NAME);
            voice.put("supported_models", models());
            out.add(voice);
        }
        return out;
    }

    @Override
    public List<Map<String, Object>> engines() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String m : models()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", m);
            e.put("name", m);
            e.put("pricing_per_million_chars", m.equals("tts-1-hd") ? 30 : 15);
            e.put("provider", NAME);
            out.add(e);
        }
        return out;
    }

    private String model(SpeechRequest r) {
        String m = r.model() == null || r.model().isBlank() ? "gpt-4o-mini-tts" : ProviderConfig.lower(r.model());
        if (!models().contains(m)) {
            throw ApiError.fieldInvalid("model", "one of " + String.join(", ", models()), m);
        }
        return m;
    }

    @Override
    public String usageType(SpeechRequest r) {
        return "openai:" + model(r) + ":character";
    }

    @Override
    public DriverResult.Stream synthesize(SpeechRequest r) {
        String format = r.responseFormat() == null || r.responseFormat().isBlank() ? "mp3"
                : ProviderConfig.lower(r.responseFormat());
        if (!FORMATS.containsKey(format)) {
            throw ApiError.fieldInvalid("response_format", "one of mp3, opus, aac, flac, wav, pcm", format);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model(r));
        body.put("input", r.text());
        body.put("voice", r.voice() == null || r.voice().isBlank() ? "alloy" : r.voice());
        body.put("response_format", format);
        if (r.instructions() != null && !r.instructions().isBlank()) {
            body.put("instructions", r.instructions());
        }
        HttpResponse<InputStream> audio = http.send("openai", http.request(config.baseUrl() + "/audio/speech")
                .header("Authorization", "Bearer " + config.apiKey()).header("Content-Type", "application/json")
                .POST(ProviderHttp.json(body)).build(), List.of(config.apiKey()));
        return new DriverResult.Stream(FORMATS.get(format), audio.headers().firstValueAsLong("content-length")
                .orElse(-1), new ProviderHttp.Limited(audio.body(), MAX_AUDIO_BYTES, "openai audio"));
    }
}
