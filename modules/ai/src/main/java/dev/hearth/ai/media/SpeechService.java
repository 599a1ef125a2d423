package dev.hearth.ai.media;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.drivers.Args;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.DriverCall;
import dev.hearth.drivers.DriverErrors;
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

/**
 * The {@code ai-tts} service: interface {@code puter-tts} ({@code synthesize}, {@code list_voices},
 * {@code list_engines}; spec 2.5, 5.3). It answers to puter.js 2.6.3's {@code ai-tts} and to the provider names 2.2.14
 * sends ({@code aws-polly}, {@code openai-tts}, {@code elevenlabs-tts}), which pick the provider when it is
 * available. Providers: OpenAI speech when configured, and the local {@code espeak-ng} when installed. A request for a
 * provider Hearth does not have (Polly, ElevenLabs) is served by the default one: OpenAI if configured, else
 * espeak-ng. Test mode answers the sample MP3 without any provider.
 */
final class SpeechService implements Service, DriverProvider, Driver {

    static final String IFACE = "puter-tts";
    static final String SERVICE = "ai-tts";
    /** Longest text accepted (puter.js refuses more than 3000 characters itself). */
    static final int MAX_TEXT = 10_000;

    static final InterfaceSpec INTERFACE = InterfaceSpec.of(IFACE, "Text-to-speech.",
            MethodSpec.of("list_voices", "List available voices.", Param.string("engine"), Param.string("provider")),
            MethodSpec.of("list_engines", "List available engines.", Param.string("provider")),
            MethodSpec.of("synthesize", "Synthesize speech from text.", Param.string("text"), Param.string("voice"),
                    Param.string("language"), Param.flag("ssml"), Param.string("engine"), Param.string("model"),
                    Param.string("response_format"), Param.string("instructions"), Param.string("provider"),
                    Param.string("output_format"), Param.json("voice_settings"), Param.flag("test_mode"))
                    .returning("stream"));

    private final ServiceContext context;
    private volatile List<SpeechProvider> providers = List.of();
    private volatile MediaMeter meter;

    SpeechService(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        MediaSettings settings = context.settings(MediaSettings.class);
        List<SpeechProvider> list = new ArrayList<>();
        ProviderConfig.find(context.config(), OpenAiSpeech.DEFAULT_BASE, "services.openai", "openai")
                .ifPresent(c -> list.add(new OpenAiSpeech(c, settings.http())));
        MediaSettings.Engine espeak = settings.espeak();
        LocalTool tool = new LocalTool("espeak-ng", espeak.binary(), Duration.ofSeconds(espeak.timeoutSeconds()),
                1L << 20);
        if (espeak.enabled() && tool.locate().isPresent()) {
            list.add(new EspeakSpeech(tool));
        }
        providers = List.copyOf(list);
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
        return List.of("aws-polly", "openai-tts", "elevenlabs-tts", EspeakSpeech.NAME);
    }

    @Override
    public DriverResult call(DriverCall call) {
        Args args = call.args();
        return switch (call.method()) {
            case "list_voices" -> DriverResult.of(listed(args, SpeechProvider::voices));
            case "list_engines" -> DriverResult.of(listed(args, SpeechProvider::engines));
            case "synthesize" -> synthesize(call);
            default -> throw DriverErrors.methodNotFound(IFACE, call.method());
        };
    }

    private List<Map<String, Object>> listed(Args args,
            java.util.function.Function<SpeechProvider, List<Map<String, Object>>> what) {
        Optional<String> wanted = args.string("provider").filter(p -> !p.isBlank()).map(SpeechService::canonical);
        List<Map<String, Object>> out = new ArrayList<>();
        for (SpeechProvider p : providers) {
            if (wanted.isEmpty() || wanted.get().equals(p.name())) {
                out.addAll(what.apply(p));
            }
        }
        return out;
    }

    /** A provider name as clients spell it ({@code openai-tts}, {@code espeak}, {@code local}...) → Hearth's. */
    static String canonical(String name) {
        return switch (ProviderConfig.lower(name)) {
            case "openai", "openai-tts" -> OpenAiSpeech.NAME;
            case "espeak", "espeak-ng", "local" -> EspeakSpeech.NAME;
            case "aws", "polly", "aws-polly" -> "aws-polly";
            case "elevenlabs", "eleven", "11labs", "elevenlabs-tts" -> "elevenlabs";
            default -> ProviderConfig.lower(name);
        };
    }

    private DriverResult synthesize(DriverCall call) {
        Args args = call.args();
        String text = args.string("text").filter(t -> !t.isBlank())
                .orElseThrow(() -> ApiError.of(400, "field_required", "Field `text` is required.").with("key", "text"));
        if (text.length() > MAX_TEXT) {
            throw ApiError.fieldInvalid("text", "at most " + MAX_TEXT + " characters", text.length() + " characters");
        }
        if (call.testMode() || args.flag("test_mode")) {
            byte[] mp3 = Samples.mp3();
            return new DriverResult.Stream("audio/mpeg", mp3.length, new ByteArrayInputStream(mp3));
        }
        SpeechProvider provider = provider(call);
        SpeechProvider.SpeechRequest request = new SpeechProvider.SpeechRequest(text, args.string("voice").orElse(null),
                args.string("language").orElse(null), args.string("model").or(() -> args.string("engine")
                        .filter(e -> provider instanceof OpenAiSpeech && OpenAiSpeech.MODELS.contains(e)))
                .orElse(null),
                args.string("response_format").or(() -> args.string("output_format")
                        .filter(OpenAiSpeech.FORMATS::containsKey)).orElse(null),
                args.string("instructions").orElse(null), args.flag("ssml"));
        String usage = provider.usageType(request);
        meter.check(call.actor(), usage, text.length());
        DriverResult.Stream audio = provider.synthesize(request);
        meter.record(call.actor(), usage, text.length());
        return audio;
    }

    /** The provider named by {@code provider} or by the driver name used, else OpenAI, else espeak-ng. */
    private SpeechProvider provider(DriverCall call) {
        Optional<String> hint = call.args().string("provider").filter(p -> !p.isBlank())
                .or(() -> Optional.of(call.intendedService()).filter(s -> !s.equals(SERVICE) && !s.equals(IFACE)))
                .map(SpeechService::canonical);
        List<SpeechProvider> all = providers;
        if (hint.isPresent()) {
            for (SpeechProvider p : all) {
                if (p.name().equals(hint.get())) {
                    return p;
                }
            }
        }
        if (all.isEmpty()) {
            throw DriverErrors.noImplementationAvailable(IFACE);
        }
        return all.getFirst();
    }
}
