package dev.hearth.ai.media;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.hearth.ai.ProviderHttp;
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
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * The {@code ai-image} service: interface {@code puter-image-generation}, method {@code generate} (spec 2.3, 5.1).
 * Providers: OpenAI (or any server speaking its image API) and Gemini when configured; the offline provider when none
 * is (or when asked for by name). The picture is answered as raw bytes with its media type, as puter.js expects.
 * Test mode answers the sample PNG without any provider.
 */
final class ImageService implements Service, DriverProvider, Driver {

    static final String IFACE = "puter-image-generation";
    static final String SERVICE = "ai-image";
    /** Upstream's provider names, which clients may send as {@code driver} (spec 5.1). */
    static final List<String> ALIASES = List.of(OpenAiImages.NAME, GeminiImages.NAME, "together-image-generation",
            "xai-image-generation", "cloudflare-image-generation", "replicate-image-generation", OfflineImages.NAME);

    static final InterfaceSpec INTERFACE = InterfaceSpec.of(IFACE, "AI Image Generation.",
            MethodSpec.of("generate", "Generate an image from a prompt.", Param.string("prompt"),
                    Param.string("quality"), Param.string("model"), Param.string("provider"), Param.json("ratio"),
                    Param.number("width").nullAsAbsent(), Param.number("height").nullAsAbsent(),
                    Param.string("aspect_ratio"), Param.number("steps").nullAsAbsent(),
                    Param.number("seed").nullAsAbsent(), Param.string("negative_prompt"),
                    Param.number("n").nullAsAbsent(), Param.string("input_image"),
                    Param.string("input_image_mime_type"), Param.json("input_images"), Param.string("image_url"),
                    Param.string("image_base64"), Param.string("mask_image_url"), Param.string("mask_image_base64"),
                    Param.number("prompt_strength").nullAsAbsent(), Param.number("guidance").nullAsAbsent(),
                    Param.number("output_quality").nullAsAbsent(), Param.string("output_megapixels"),
                    Param.json("go_fast"), Param.flag("disable_safety_checker"), Param.string("response_format"),
                    Param.flag("test_mode")).returning("stream"));

    private final ServiceContext context;
    private volatile List<ImageProvider> providers = List.of();
    private volatile boolean offlineByDefault;
    private volatile MediaMeter meter;

    ImageService(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        MediaSettings settings = context.settings(MediaSettings.class);
        ProviderHttp http = settings.http();
        List<ImageProvider> list = new ArrayList<>();
        ProviderConfig.find(context.config(), OpenAiImages.DEFAULT_BASE,
                        "services.ai-image.providers.openai-image-generation", "services.openai", "openai")
                .ifPresent(c -> list.add(new OpenAiImages(c, http)));
        ProviderConfig.find(context.config(), GeminiImages.DEFAULT_BASE,
                        "services.ai-image.providers.gemini-image-generation", "services.gemini")
                .ifPresent(c -> list.add(new GeminiImages(c, http)));
        offlineByDefault = list.isEmpty() && settings.offline();
        list.add(new OfflineImages());
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
        return ALIASES;
    }

    @Override
    public DriverResult call(DriverCall call) {
        Args args = call.args();
        if (call.testMode() || args.flag("test_mode")) {
            byte[] png = Samples.png();
            return new DriverResult.Stream("image/png", png.length, new ByteArrayInputStream(png));
        }
        String prompt = args.string("prompt").filter(p -> !p.isBlank())
                .orElseThrow(() -> ApiError.fieldMissing("prompt"));
        Optional<String> model = args.string("model").map(ProviderConfig::lower).filter(m -> !m.isEmpty());
        ImageProvider provider = provider(hint(call), model);
        String chosen = model.orElse(provider.defaultModel());
        if (!provider.models().contains(chosen)) {
            throw invalidModel();
        }
        int[] size = size(args);
        List<String> levels = OpenAiImages.qualities(chosen);
        String quality = args.string("quality").map(ProviderConfig::lower).filter(levels::contains)
                .orElse(levels.isEmpty() ? "" : levels.getFirst());
        ImageProvider.ImageRequest request = new ImageProvider.ImageRequest(prompt, chosen, quality, size[0], size[1]);
        String usage = provider.usageType(request);
        meter.check(call.actor(), usage, 1);
        ImageProvider.Image image = provider.generate(request);
        meter.record(call.actor(), usage, 1);
        return new DriverResult.Stream(image.contentType(), image.length(), image.body());
    }

    /** The provider the client hinted at: {@code provider}, else the driver name it used unless {@code ai-image}. */
    private static Optional<String> hint(DriverCall call) {
        Optional<String> h = call.args().string("provider").map(ProviderConfig::lower).filter(p -> !p.isEmpty())
                .or(() -> Optional.of(call.intendedService()).filter(s -> !s.equals(SERVICE) && !s.equals(IFACE)));
        return h.map(p -> switch (p) {
            case "openai" -> OpenAiImages.NAME;
            case "gemini", "google" -> GeminiImages.NAME;
            case "xai" -> "xai-image-generation";
            default -> p;
        });
    }

    /**
     * Spec 5.1 step 3: the hinted provider if configured (and offering the model asked for); else, with a model, the first provider offering it; else
     * OpenAI if configured, else the first configured. The offline provider serves by default only when nothing is
     * configured (and {@code services.ai-image.offline} allows it), or when asked for by name or model.
     */
    private ImageProvider provider(Optional<String> hint, Optional<String> model) {
        List<ImageProvider> all = providers;
        Optional<ImageProvider> named = hint.flatMap(h -> all.stream().filter(p -> p.name().equals(h)).findFirst());
        // the hint may be puter.js 2.2's default driver name rather than a choice: a model it lacks wins over it
        if (named.isPresent() && (model.isEmpty() || named.get().models().contains(model.get()))) {
            return named.get();
        }
        if (model.isPresent()) {
            return all.stream().filter(p -> p.models().contains(model.get())).findFirst()
                    .orElseThrow(this::invalidModel);
        }
        List<ImageProvider> cloud = all.stream().filter(p -> !(p instanceof OfflineImages)).toList();
        if (!cloud.isEmpty()) {
            return cloud.getFirst();
        }
        if (offlineByDefault) {
            return all.getLast();
        }
        throw DriverErrors.noImplementationAvailable(IFACE);
    }

    private ApiError invalidModel() {
        String origin = context.services().find(WebServer.class).map(w -> w.urls().origin()).orElse("");
        return ApiError.fieldInvalid("model", "a valid model name from " + origin + "/puterai/image/models", null);
    }

    /** {@code ratio} ({@code {w,h}}), else {@code width}/{@code height}, else 1024 × 1024; sides in 64..4096. */
    static int[] size(Args args) {
        int w = 1024;
        int h = 1024;
        Optional<JsonNode> ratio = args.json("ratio").filter(JsonNode::isObject);
        if (ratio.isPresent() && ratio.get().path("w").isNumber() && ratio.get().path("h").isNumber()) {
            w = ratio.get().path("w").asInt();
            h = ratio.get().path("h").asInt();
        } else if (args.number("width").isPresent() || args.number("height").isPresent()) {
            w = args.number("width").map(JsonNode::asInt).orElse(args.number("height").get().asInt());
            h = args.number("height").map(JsonNode::asInt).orElse(w);
        }
        if (w < 1 || h < 1) {
            throw ApiError.fieldInvalid("ratio", "positive width and height", null);
        }
        return new int[] {Math.clamp(w, 64, 4096), Math.clamp(h, 64, 4096)};
    }
}
