package dev.hearth.ai.media;

import java.time.Duration;
import java.util.ArrayList;
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

/**
 * The {@code ai-ocr} service: interface {@code puter-ocr}, method {@code recognize} (spec 2.8, 5.6), answering also
 * to {@code aws-textract} (puter.js 2.2.14's default), {@code mistral} and {@code tesseract}. Providers: Mistral OCR
 * when configured, the local {@code tesseract} when installed; a request for one Hearth does not have (Textract) is
 * served by the first available. Test mode answers the spec's sample (Textract's, or Mistral's when asked for).
 */
final class OcrService implements Service, DriverProvider, Driver {

    static final String IFACE = "puter-ocr";
    static final String SERVICE = "ai-ocr";

    static final InterfaceSpec INTERFACE = InterfaceSpec.of(IFACE, "Optical character recognition",
            MethodSpec.of("recognize", "Recognize text in an image or document.", Param.file("source").asRequired(),
                    Param.string("model"), Param.json("pages").subtype("array"), Param.flag("includeImageBase64"),
                    Param.number("imageLimit").nullAsAbsent(), Param.number("imageMinSize").nullAsAbsent(),
                    Param.json("bboxAnnotationFormat"), Param.json("documentAnnotationFormat"),
                    Param.string("provider"), Param.flag("test_mode")).returning("json"));

    private final ServiceContext context;
    private volatile List<OcrProvider> providers = List.of();
    private volatile MediaMeter meter;

    OcrService(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        MediaSettings settings = context.settings(MediaSettings.class);
        List<OcrProvider> list = new ArrayList<>();
        ProviderConfig.find(context.config(), MistralOcr.DEFAULT_BASE, "services.ai-ocr.providers.mistral",
                "services.mistral").ifPresent(c -> list.add(new MistralOcr(c, settings.http())));
        MediaSettings.Engine t = settings.tesseract();
        LocalTool tool = new LocalTool("tesseract", t.binary(), Duration.ofSeconds(t.timeoutSeconds()), 16L << 20);
        if (t.enabled() && tool.locate().isPresent()) {
            list.add(new TesseractOcr(tool, t.languages()));
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
        return List.of("aws-textract", MistralOcr.NAME, TesseractOcr.NAME);
    }

    @Override
    public DriverResult call(DriverCall call) {
        Args args = call.args();
        DriverFile source = args.file("source").orElseThrow(() -> ApiError.fieldMissing("source"));
        Optional<String> hint = args.string("provider").filter(p -> !p.isBlank()).map(ProviderConfig::lower)
                .or(() -> Optional.of(call.intendedService()).filter(s -> !s.equals(SERVICE) && !s.equals(IFACE)))
                .or(() -> args.string("model").map(ProviderConfig::lower).filter(m -> m.startsWith("mistral"))
                        .map(m -> MistralOcr.NAME));
        if (call.testMode() || args.flag("test_mode")) {
            return DriverResult.of(hint.filter(MistralOcr.NAME::equals).isPresent() ? Samples.mistralOcr()
                    : Samples.ocr());
        }
        OcrProvider provider = provider(hint);
        String usage = provider.usageType(args);
        meter.check(call.actor(), usage, 1);
        Map<String, Object> result = provider.recognize(source, args);
        meter.record(call.actor(), usage, provider instanceof MistralOcr ? MistralOcr.pages(result) : 1);
        return DriverResult.of(result);
    }

    private OcrProvider provider(Optional<String> hint) {
        List<OcrProvider> all = providers;
        if (hint.isPresent()) {
            for (OcrProvider p : all) {
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
