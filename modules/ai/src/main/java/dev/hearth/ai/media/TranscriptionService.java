package dev.hearth.ai.media;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.drivers.Args;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.DriverCall;
import dev.hearth.drivers.DriverErrors;
import dev.hearth.drivers.DriverFile;
import dev.hearth.drivers.DriverResult;
import dev.hearth.drivers.InterfaceSpec;
import dev.hearth.drivers.Allowance;
import dev.hearth.drivers.Metering;
import dev.hearth.drivers.MethodSpec;
import dev.hearth.drivers.Param;
import dev.hearth.drivers.spi.DriverProvider;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.databind.JsonNode;

/**
 * The {@code ai-speech2txt} service: interface {@code puter-speech2txt} ({@code transcribe}, {@code translate},
 * {@code list_models}; spec 2.7, 5.5), answering also to {@code openai-speech2txt}. The provider is OpenAI (or a
 * compatible server) when {@code services.openai} has a key; test mode answers the sample transcription without it.
 */
final class TranscriptionService implements Service, DriverProvider, Driver {

    static final String IFACE = "puter-speech2txt";
    static final String SERVICE = "ai-speech2txt";

    private static final List<Param> COMMON = List.of(Param.file("file"), Param.string("model"),
            Param.string("response_format"), Param.string("prompt"), Param.number("temperature").nullAsAbsent(),
            Param.flag("logprobs"), Param.json("timestamp_granularities"), Param.flag("stream"),
            Param.json("extra_body"), Param.flag("test_mode"));

    static final InterfaceSpec INTERFACE = InterfaceSpec.of(IFACE,
            "Speech to text transcription and translation.",
            MethodSpec.of("list_models", "List the transcription and translation models.").returning("json"),
            new MethodSpec("transcribe", "Transcribe audio into text.", concat(COMMON, Param.string("language"),
                    Param.string("chunking_strategy"), Param.json("known_speaker_names"),
                    Param.json("known_speaker_references")), Optional.of("json")),
            new MethodSpec("translate", "Translate audio into English text.", COMMON, Optional.of("json")));

    private static List<Param> concat(List<Param> a, Param... more) {
        List<Param> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    private final ServiceContext context;
    private volatile Optional<OpenAiTranscription> openai = Optional.empty();
    private volatile MediaMeter meter;

    TranscriptionService(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        MediaSettings settings = context.settings(MediaSettings.class);
        openai = ProviderConfig.find(context.config(), OpenAiTranscription.DEFAULT_BASE, "services.openai", "openai")
                .map(c -> new OpenAiTranscription(c, settings.http()));
        meter = new MediaMeter(context.services().get(Metering.class), context.services().get(Allowance.class));
    }

    @Override
    public List<InterfaceSpec> driverInterfaces() {
        return List.of(INTERFACE);
    }

    @Override
    public List<Driver> drivers() {
        return List.of(this);
    }

    @Override
    public String serviceName() {
        return SERVICE;
    }

    @Override
    public String interfaceName() {
        return IFACE;
    }

    @Override
    public List<String> aliases() {
        return List.of("openai-speech2txt");
    }

    @Override
    public DriverResult call(DriverCall call) {
        return switch (call.method()) {
            case "list_models" -> DriverResult.of(models());
            case "transcribe" -> DriverResult.of(run(call, false));
            case "translate" -> DriverResult.of(run(call, true));
            default -> throw DriverErrors.methodNotFound(IFACE, call.method());
        };
    }

    private static List<Map<String, Object>> models() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : List.of("gpt-4o-mini-transcribe", "gpt-4o-transcribe", "gpt-4o-transcribe-diarize",
                "whisper-1")) {
            OpenAiTranscription.ModelRules r = OpenAiTranscription.MODELS.get(id);
            for (String type : r.translation() ? List.of("transcription", "translation") : List.of("transcription")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", id);
                m.put("name", id);
                m.put("type", type);
                m.put("response_formats", r.formats());
                m.put("supports_prompt", r.prompt());
                m.put("supports_logprobs", r.logprobs());
                m.put("provider", "openai");
                out.add(m);
            }
        }
        return out;
    }

    private Object run(DriverCall call, boolean translate) {
        Args args = call.args();
        DriverFile file = args.file("file").orElseThrow(() -> ApiError.fieldMissing("file"));
        if (file.size().isPresent() && file.size().getAsLong() > OpenAiTranscription.MAX_BYTES) {
            throw AiMedia.fileTooLarge(OpenAiTranscription.MAX_BYTES);
        }
        if (file.size().isPresent() && file.size().getAsLong() == 0) {
            throw ApiError.fieldInvalid("file", "a non-empty audio file", null);
        }
        String model = args.string("model").map(ProviderConfig::lower).filter(m -> !m.isEmpty())
                .orElse(translate ? "whisper-1" : "gpt-4o-mini-transcribe");
        if (call.testMode() || args.flag("test_mode")) {
            return Samples.transcription(model);
        }
        if (args.flag("stream")) {
            throw ApiError.of(400, "not_yet_supported", "Streaming transcriptions are not supported yet.");
        }
        OpenAiTranscription provider = openai.orElseThrow(() -> DriverErrors.noImplementationAvailable(IFACE));
        OpenAiTranscription.ModelRules rules = provider.rules(model);
        if (rules == null || translate && !rules.translation()) {
            throw ApiError.fieldInvalid("model", "one of " + String.join(", ", translate ? List.of("whisper-1")
                    : List.copyOf(OpenAiTranscription.MODELS.keySet()).stream().sorted().toList()), model);
        }
        String format = args.string("response_format").map(ProviderConfig::lower).filter(f -> !f.isEmpty())
                .orElse(rules.formats().getFirst());
        if (!rules.formats().contains(format)) {
            throw ApiError.fieldInvalid("response_format", "one of " + String.join(", ", rules.formats())
                    + " for " + model, format);
        }
        List<Map.Entry<String, Object>> fields = new ArrayList<>();
        fields.add(entry("model", model));
        fields.add(entry("response_format", format));
        args.string("language").filter(l -> !translate && !l.isBlank()).ifPresent(l -> fields.add(entry("language", l)));
        if (args.string("prompt").filter(p -> !p.isBlank()).isPresent()) {
            if (!rules.prompt()) {
                throw ApiError.fieldInvalid("prompt", "no prompt with " + model, null);
            }
            fields.add(entry("prompt", args.string("prompt").get()));
        }
        args.number("temperature").ifPresent(t -> fields.add(entry("temperature", t.asString())));
        if (args.flag("logprobs")) {
            if (!rules.logprobs()) {
                throw ApiError.fieldInvalid("logprobs", "no logprobs with " + model, null);
            }
            fields.add(entry("include", List.of("logprobs")));
        }
        args.json("timestamp_granularities").filter(JsonNode::isArray).ifPresent(g -> {
            List<String> values = new ArrayList<>();
            g.forEach(v -> values.add(v.asString()));
            fields.add(entry("timestamp_granularities", values));
        });
        if (!translate) {
            args.string("chunking_strategy").filter(s -> !s.isBlank())
                    .or(() -> model.equals("gpt-4o-transcribe-diarize") ? Optional.of("auto") : Optional.empty())
                    .ifPresent(s -> fields.add(entry("chunking_strategy", s)));
            args.json("known_speaker_names").filter(JsonNode::isArray).ifPresent(g -> {
                List<String> values = new ArrayList<>();
                g.forEach(v -> values.add(v.asString()));
                fields.add(entry("known_speaker_names", values));
            });
        }
        String usage = "openai:" + model + ":second";
        long estimate = Math.max(1, (file.size().orElse(16_000) + 15_999) / 16_000);
        meter.check(call.actor(), usage, estimate);
        long[] sent = new long[1];
        JsonNode answer = provider.send(translate, file, filename(file), new OpenAiTranscription.Fields(fields), sent);
        if (sent[0] == 0) {
            throw ApiError.fieldInvalid("file", "a non-empty audio file", null);
        }
        meter.record(call.actor(), usage, seconds(answer, sent[0]));
        return answer;
    }

    /** The audio's length: the provider's {@code duration} or {@code usage.seconds}, else 16 kB per second. */
    static long seconds(JsonNode answer, long bytes) {
        if (answer.path("duration").isNumber()) {
            return (long) Math.ceil(answer.path("duration").asDouble());
        }
        if (answer.path("usage").path("seconds").isNumber()) {
            return (long) Math.ceil(answer.path("usage").path("seconds").asDouble());
        }
        return Math.max(1, (bytes + 15_999) / 16_000);
    }

    /** A file name whose extension tells OpenAI the container, which it reads from the name. */
    static String filename(DriverFile file) {
        String type = file.contentType().orElse("").toLowerCase(java.util.Locale.ROOT);
        String ext = switch (type) {
            case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave" -> "wav";
            case "audio/webm", "video/webm" -> "webm";
            case "audio/ogg", "audio/opus" -> "ogg";
            case "audio/flac", "audio/x-flac" -> "flac";
            case "audio/mp4", "audio/m4a", "audio/x-m4a" -> "m4a";
            case "video/mp4" -> "mp4";
            default -> "mp3";
        };
        return "audio." + ext;
    }

    private static Map.Entry<String, Object> entry(String k, Object v) {
        return new AbstractMap.SimpleImmutableEntry<>(k, v);
    }
}
