package dev.hearth.drivers;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.hearth.drivers.spi.DriverProvider;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.databind.JsonNode;

/** A module above drivers contributing the test interface {@code test-echo} with two implementations. */
final class EchoModule implements Module {

    static final InterfaceSpec ECHO = InterfaceSpec.of("test-echo", "Echoes its arguments.",
            MethodSpec.of("echo", "Echo the processed arguments.", Param.string("s"), Param.flag("f"),
                    Param.number("n"), Param.json("j"), Param.json("arr").subtype("array"),
                    Param.number("opt").nullAsAbsent(), Param.number("u").unsignedNumber()).returning("json"),
            MethodSpec.of("need", "A required argument.", Param.string("req").asRequired()),
            MethodSpec.of("nothing", "Returns nothing."),
            MethodSpec.of("fail", "Fails as asked.", Param.string("kind")),
            MethodSpec.of("limited", "Three calls a minute."),
            MethodSpec.of("upload", "Digests a file.", Param.file("source"), Param.string("label")),
            MethodSpec.of("stream", "Raw bytes."),
            MethodSpec.of("ndjson", "Lines written as they come."),
            MethodSpec.of("bare", "A bare value."),
            MethodSpec.of("charge", "Charges the monthly allowance.", Param.number("cost")));

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("test-echo", Provider::new);
    }

    static final class Provider implements Service, DriverProvider {
        private final ServiceContext context;

        Provider(ServiceContext context) {
            this.context = context;
        }

        @Override
        public List<InterfaceSpec> driverInterfaces() {
            return List.of(ECHO, InterfaceSpec.of("test-hidden", "Not for SDKs.",
                    MethodSpec.of("x", "x")).hiddenFromSdk());
        }

        @Override
        public List<Driver> drivers() {
            Supplier<Allowance> allowance = () -> context.services().get(Allowance.class);
            return List.of(new Echo("echo", List.of(), allowance), new Echo("echo-two", List.of("twin"), allowance));
        }
    }

    record Echo(String serviceName, List<String> aliases, Supplier<Allowance> allowance) implements Driver {
        @Override
        public String interfaceName() {
            return "test-echo";
        }

        @Override
        public Optional<String> version() {
            return serviceName.equals("echo-two") ? Optional.of("v1.0.0") : Optional.empty();
        }

        @Override
        public Optional<RateLimit> rateLimit(String method) {
            return method.equals("limited") ? Optional.of(new RateLimit(3, 60_000)) : Optional.empty();
        }

        @Override
        public DriverResult call(DriverCall call) throws Exception {
            return switch (call.method()) {
                case "echo", "need" -> {
                    Map<String, Object> out = new LinkedHashMap<>(call.args().asMap());
                    out.put("intended", call.intendedService());
                    out.put("test_mode", call.testMode());
                    call.metadata().put("seen_by", serviceName);
                    yield DriverResult.of(out);
                }
                case "nothing" -> DriverResult.empty();
                case "charge" -> {
                    allowance.get().check(call.actor(), call.args().number("cost").map(JsonNode::asLong).orElse(0L), "usage-limited-echo");
                    allowance.get().charge(call.actor(), "test-echo", call.args().number("cost").map(JsonNode::asLong).orElse(0L));
                    yield DriverResult.empty();
                }
                case "fail" -> {
                    String kind = call.args().string("kind").orElse("");
                    if (kind.equals("api")) {
                        throw ApiError.of(422, "something_off", "Something is off.").with("detail", 1);
                    }
                    if (kind.equals("plain")) {
                        throw new DriverError("a plain failure");
                    }
                    throw new IllegalStateException("a bug with a secret inside");
                }
                case "upload" -> {
                    DriverFile f = call.args().file("source").orElseThrow();
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    long n = 0;
                    try (InputStream in = f.open()) {
                        byte[] buf = new byte[65536];
                        int r;
                        while ((r = in.read(buf)) >= 0) {
                            sha.update(buf, 0, r);
                            n += r;
                        }
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("bytes", n);
                    out.put("sha256", HexFormat.of().formatHex(sha.digest()));
                    out.put("type", f.contentType().orElse(null));
                    out.put("declared", f.size().isPresent() ? f.size().getAsLong() : null);
                    out.put("label", call.args().string("label").orElse(null));
                    yield DriverResult.of(out);
                }
                case "stream" -> new DriverResult.Stream("application/x-ndjson", -1,
                        new ByteArrayInputStream("{\"type\":\"text\",\"text\":\"hi\"}\n"
                                .getBytes(StandardCharsets.UTF_8)));
                case "ndjson" -> new DriverResult.Written("application/x-ndjson", out -> {
                    for (String line : List.of("{\"type\":\"text\",\"text\":\"a\"}\n",
                            "{\"type\":\"usage\",\"usage\":{}}\n")) {
                        out.write(line.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                });
                case "bare" -> new DriverResult.Bare("https://example.org/video.mp4");
                default -> DriverResult.of(call.method());
            };
        }
    }
}
