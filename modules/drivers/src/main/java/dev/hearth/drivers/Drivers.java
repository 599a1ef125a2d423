package dev.hearth.drivers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.AccessTokenActor;
import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.Permissions;
import dev.hearth.core.SystemActor;
import dev.hearth.core.User;
import dev.hearth.drivers.spi.DriverFileResolver;
import dev.hearth.drivers.spi.DriverProvider;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.databind.JsonNode;

/**
 * The {@code drivers} service: the registry of driver interfaces and their implementations, and the call pipeline
 * of {@code /drivers/call} (spec 1.2): process the arguments against the interface's declared parameters, resolve the
 * implementation, check the permission {@code service:<impl>:ii:<iface>}, apply the rate-limit policy, invoke.
 *
 * <p>Resolution of the implementation: the client's {@code driver} (or {@code service}), else the configured default
 * ({@code services.drivers.defaults.<iface>}), else upstream's legacy default table, else the interface's name;
 * {@code puter-apps}, {@code puter-subdomains} and {@code puter-notifications} are rewritten to {@code crud-q};
 * an implementation answers to its service name and its aliases. When the client named no implementation and the
 * default is not registered, the first implementation of the interface serves (Hearth is more permissive than
 * upstream's {@code no_implementation_available} there).
 *
 * <p>The service is itself a provider: interface {@code driver}, method {@code usage}; and it declares the
 * {@link CrudQ crud-q} interface, which the entity stores of other modules implement. An interface may be declared
 * more than once only with the same declaration.
 */
public final class Drivers implements Service, DriverProvider {

    private static final Logger LOG = LoggerFactory.getLogger(Drivers.class);

    /** Upstream's default implementation per interface (spec 1.2 step 4, with Hearth's two rows). */
    static final Map<String, String> LEGACY_DEFAULTS = Map.ofEntries(
            Map.entry("puter-ocr", "aws-textract"), Map.entry("puter-tts", "aws-polly"),
            Map.entry("puter-speech2speech", "elevenlabs-voice-changer"),
            Map.entry("puter-speech2txt", "openai-speech2txt"),
            Map.entry("puter-chat-completion", "openai-completion"),
            Map.entry("puter-image-generation", "openai-image-generation"),
            Map.entry("puter-video-generation", "ai-video"), Map.entry("puter-apps", "es:app"),
            Map.entry("puter-subdomains", "es:subdomain"), Map.entry("puter-notifications", "es:notification"),
            Map.entry("convert-files", "local-convert"), Map.entry("puter-exec", "judge0"));

    static final Map<String, String> REWRITES = Map.of("puter-apps", "crud-q", "puter-subdomains", "crud-q",
            "puter-notifications", "crud-q");

    /** A call as a client asks for it. */
    public record CallRequest(String interfaceName, Optional<String> driver, String method, JsonNode args,
            boolean testMode) {
        public CallRequest {
            Objects.requireNonNull(interfaceName);
            Objects.requireNonNull(driver);
            Objects.requireNonNull(method);
        }
    }

    /** A call that succeeded: the implementation that served it, its result and the response metadata. */
    public record Outcome(String serviceName, Optional<String> serviceVersion, DriverResult result,
            Map<String, Object> metadata) {}

    private final ServiceContext context;
    private volatile Map<String, InterfaceSpec> interfaces = Map.of();
    private volatile List<Driver> drivers = List.of();
    private volatile Map<String, String> configuredDefaults = Map.of();
    private volatile Permissions permissions;
    private volatile RateLimits rateLimits;
    private volatile Metering metering;
    private volatile List<DriverFileResolver> resolvers = List.of();

    Drivers(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        permissions = context.services().get(Permissions.class);
        rateLimits = context.services().get(RateLimits.class);
        metering = context.services().get(Metering.class);
        resolvers = context.services().all(DriverFileResolver.class);
        Map<String, String> defaults = new LinkedHashMap<>();
        context.config().node("services.drivers.defaults").filter(JsonNode::isObject).ifPresent(n -> n.properties()
                .forEach(e -> {
                    if (!e.getValue().isString()) {
                        throw dev.hearth.kernel.ConfigException.invalid("services.drivers.defaults." + e.getKey(),
                                e.getValue(), "the name of an implementation");
                    }
                    defaults.put(e.getKey(), e.getValue().asString());
                }));
        configuredDefaults = Map.copyOf(defaults);
    }

    /** Collects every provider's interfaces and implementations (every service has been initialised by now). */
    @Override
    public void consolidate() {
        Map<String, InterfaceSpec> ifaces = new LinkedHashMap<>();
        List<Driver> impls = new ArrayList<>();
        for (DriverProvider p : context.services().all(DriverProvider.class)) {
            for (InterfaceSpec spec : p.driverInterfaces()) {
                InterfaceSpec earlier = ifaces.putIfAbsent(spec.name(), spec);
                // The same declaration twice is harmless (a module may repeat a shared one such as crud-q).
                if (earlier != null && !earlier.equals(spec)) {
                    throw new IllegalStateException("driver interface `" + spec.name() + "` is declared twice");
                }
            }
            impls.addAll(p.drivers());
        }
        interfaces = Collections.unmodifiableMap(ifaces);
        drivers = List.copyOf(impls);
        LOG.debug("driver interfaces: {}; implementations: {}", ifaces.keySet(),
                impls.stream().map(d -> d.serviceName() + ":" + d.interfaceName()).toList());
    }

    /** Every registered interface by name, in registration order. */
    public Map<String, InterfaceSpec> interfaces() {
        return interfaces;
    }

    /** The implementations of an interface (after rewriting), in registration order. */
    public List<Driver> implementations(String interfaceName) {
        String iface = REWRITES.getOrDefault(interfaceName, interfaceName);
        return drivers.stream().filter(d -> d.interfaceName().equals(iface)).toList();
    }

    /** {@code service:<service>:ii:<interface>}, with {@code :} inside a component escaped as {@code \C}. */
    public static String permissionFor(String serviceName, String interfaceName) {
        return "service:" + escape(serviceName) + ":ii:" + escape(interfaceName);
    }

    private static String escape(String component) {
        return component.replace("\\", "\\\\").replace(":", "\\C");
    }

    /** Whether the actor may invoke {@code driver} (for {@code /lsmod}). */
    public boolean mayInvoke(Actor actor, Driver driver) {
        return permissions.check(actor, permissionFor(driver.serviceName(), driver.interfaceName()));
    }

    /**
     * Runs a call. Failures are thrown: an {@link ApiError} or {@link DriverError} for the error envelope; anything
     * else is a bug.
     */
    public Outcome call(Actor actor, CallRequest request) throws Exception {
        Objects.requireNonNull(actor, "actor not found in context");
        InterfaceSpec spec = interfaces.get(request.interfaceName());
        if (spec == null) {
            throw DriverErrors.interfaceNotFound(request.interfaceName());
        }
        MethodSpec method = spec.method(request.method())
                .orElseThrow(() -> DriverErrors.methodNotFound(request.interfaceName(), request.method()));
        Args args = ArgumentTypes.process(spec, method, request.args(), actor, resolvers);

        String intended = request.driver().filter(d -> !d.isEmpty())
                .or(() -> Optional.ofNullable(configuredDefaults.get(request.interfaceName())))
                .or(() -> Optional.ofNullable(LEGACY_DEFAULTS.get(request.interfaceName())))
                .orElse(request.interfaceName());
        String iface = REWRITES.getOrDefault(request.interfaceName(), request.interfaceName());
        Driver driver = resolve(iface, intended)
                .or(() -> request.driver().filter(d -> !d.isEmpty()).isPresent() ? Optional.empty()
                        : implementations(iface).stream().findFirst())
                .orElseThrow(() -> DriverErrors.noImplementationAvailable(iface));

        Optional<Map<String, Object>> grant = permission(actor, driver, request.interfaceName(), method.name());
        limit(actor, driver, method.name(), grant.orElse(Map.of()));

        Map<String, Object> metadata = new LinkedHashMap<>();
        DriverCall call = new DriverCall(iface, driver.serviceName(), intended, method.name(), args, actor,
                request.testMode(), metadata);
        DriverResult result = driver.call(call);
        return new Outcome(driver.serviceName(), driver.version(), result == null ? DriverResult.empty() : result,
                metadata);
    }

    private Optional<Driver> resolve(String iface, String name) {
        for (Driver d : drivers) {
            if (d.interfaceName().equals(iface) && d.serviceName().equals(name)) {
                return Optional.of(d);
            }
        }
        for (Driver d : drivers) {
            if (d.interfaceName().equals(iface) && d.aliases().contains(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * The grant's data, or {@code permission_denied} (in the envelope, so that puter.js 2.6.3 asks the user for
     * {@code driver:<iface>:<method>} and retries). Apps and access tokens may also hold the legacy
     * {@code driver:<iface>[:<method>]} permission that the prompt grants.
     */
    private Optional<Map<String, Object>> permission(Actor actor, Driver driver, String requestedIface, String method) {
        Optional<Map<String, Object>> data = permissions.option(actor,
                permissionFor(driver.serviceName(), driver.interfaceName()));
        String legacy = "driver:" + escape(requestedIface) + ":" + escape(method);
        if (data.isEmpty() && (actor instanceof AppUnderUserActor || actor instanceof AccessTokenActor)) {
            data = permissions.option(actor, legacy);
        }
        if (data.isEmpty()) {
            throw ApiError.permissionDenied(legacy);
        }
        return data;
    }

    private void limit(Actor actor, Driver driver, String method, Map<String, Object> grant) {
        if (actor instanceof SystemActor || actor.actingUser().isEmpty()) {
            return;
        }
        User holder = actor.actingUser().get();
        Optional<RateLimit> limit = driver.rateLimit(method).or(() -> policy(grant));
        if (limit.isEmpty()) {
            return;
        }
        String name = "V1:" + driver.serviceName() + ":" + driver.interfaceName() + ":" + method;
        if (!rateLimits.tryAcquire("user:" + holder.id() + ":" + name, limit.get())) {
            throw DriverErrors.rateLimitExceeded(name, limit.get());
        }
    }

    private static Optional<RateLimit> policy(Map<String, Object> grant) {
        if (grant.get("policy") instanceof Map<?, ?> policy && policy.get("rate-limit") instanceof Map<?, ?> rl
                && rl.get("max") instanceof Number max && rl.get("period") instanceof Number period
                && period.longValue() > 0) {
            return Optional.of(new RateLimit(max.intValue(), period.longValue()));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The `driver` interface (spec 2.10)

    @Override
    public List<InterfaceSpec> driverInterfaces() {
        List<InterfaceSpec> out = new ArrayList<>(List.of(InterfaceSpec.of("driver",
                "provides functions for managing Puter drivers", MethodSpec.of("usage", "Get driver usage")
                        .returning("json"))));
        out.addAll(CrudQ.interfaces());
        return out;
    }

    @Override
    public List<Driver> drivers() {
        return List.of(new Driver() {
            @Override
            public String serviceName() {
                return "driver";
            }

            @Override
            public String interfaceName() {
                return "driver";
            }

            @Override
            public DriverResult call(DriverCall call) {
                return DriverResult.of(Map.of("usages", usages(call.actor())));
            }
        });
    }

    /** The actor's user's metered usage this month, as {@code /drivers/usage} and {@code driver.usage} show it. */
    List<Map<String, Object>> usages(Actor actor) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Metering.Usage u : metering.usage(actor)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("usage_type", u.usageType());
            m.put("units", u.units());
            m.put("count", u.count());
            out.add(m);
        }
        return out;
    }
}
