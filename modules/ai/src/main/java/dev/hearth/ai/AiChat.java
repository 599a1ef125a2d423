package dev.hearth.ai;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Actor;
import dev.hearth.core.SystemActor;
import dev.hearth.core.User;
import dev.hearth.drivers.Allowance;
import dev.hearth.drivers.Args;
import dev.hearth.drivers.Driver;
import dev.hearth.drivers.DriverCall;
import dev.hearth.drivers.DriverError;
import dev.hearth.drivers.DriverResult;
import dev.hearth.drivers.InterfaceSpec;
import dev.hearth.drivers.Metering;
import dev.hearth.drivers.MethodSpec;
import dev.hearth.drivers.Param;
import dev.hearth.drivers.spi.DriverProvider;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.ConfigException;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code ai-chat} service (spec 4): the {@code puter-chat-completion} driver and the chat pipeline every chat
 * entry point shares (the driver, the OpenAI- and Anthropic-compatible endpoints): provider and model resolution,
 * the per-user concurrency limit, moderation, the monthly allowance, fallback to another provider of the same model
 * on transient failures, metering.
 *
 * <p>Streams are relayed as the provider sends them: each event is written and flushed as soon as it is read,
 * never gathered; a provider failing mid-stream ends the stream with an {@code error} line.
 */
final class AiChat implements Service, DriverProvider {

    private static final Logger LOG = LoggerFactory.getLogger(AiChat.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final String IFACE = "puter-chat-completion";
    static final String SERVICE = "ai-chat";
    static final String NDJSON = "application/x-ndjson";
    static final String MODEL_NOT_FOUND = "Model not found, please try one of the following models listed here: "
            + "https://developer.puter.com/ai/models/";
    /** What chats cost is charged to the allowance under {@code ai-chat:microcents}. */
    static final String COST_SOURCE = "ai-chat";
    static final String COST_USAGE_TYPE = COST_SOURCE + Allowance.COST_SUFFIX;

    static final InterfaceSpec INTERFACE = InterfaceSpec.of(IFACE, "Chatbot.",
            MethodSpec.of("models", "List supported models and their details.").returning("json"),
            MethodSpec.of("list", "List supported models").returning("json"),
            MethodSpec.of("complete", "Get completions for a chat log.", Param.json("messages").asRequired(),
                    Param.json("tools"), Param.flag("vision"), Param.flag("stream"), Param.json("response"),
                    Param.json("reasoning"), Param.string("reasoning_effort"), Param.json("text"),
                    Param.string("verbosity"), Param.string("model"), Param.string("provider"),
                    Param.number("temperature").nullAsAbsent(), Param.number("max_tokens").nullAsAbsent(),
                    Param.json("image_config"), Param.flag("test_mode"), Param.json("normalize")).returning("json"));

    private final ServiceContext context;
    private final AiChatSettings settings;
    private final ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private volatile Map<String, ChatProvider> providers = Map.of();
    private volatile ModelRegistry registry = new ModelRegistry(List.of());
    private volatile Metering metering;
    private volatile Allowance allowance;
    private volatile Moderation moderation = Moderation.NONE;
    private volatile List<dev.hearth.drivers.spi.DriverFileResolver> files = List.of();

    AiChat(ServiceContext context) {
        this.context = context;
        this.settings = context.settings(AiChatSettings.class);
        for (String moved : List.of("monthly_allowance_microcents", "unlimitedAllowList", "unlimitedUsage")) {
            // one allowance for every paid service now: a forgotten chat-only key must not pass silently
            context.config().node("services.ai-chat." + moved).ifPresent(v -> {
                throw ConfigException.invalid("services.ai-chat." + moved, v.toString(),
                        "nothing: the allowance is configured in extensions.metering." + moved);
            });
        }
    }

    @Override
    public void init() {
        metering = context.services().get(Metering.class);
        allowance = context.services().get(Allowance.class);
        files = context.services().all(dev.hearth.drivers.spi.DriverFileResolver.class);
        ChatProviders built = ChatProviders.fromConfig(context.config(), settings);
        Map<String, ChatProvider> byName = new LinkedHashMap<>();
        for (ChatProvider p : built.providers()) {
            byName.put(p.name(), p);
        }
        OfflineProvider offline = new OfflineProvider();
        byName.put(offline.name(), offline);
        providers = Map.copyOf(byName);
        registry = new ModelRegistry(List.copyOf(byName.values()));
        moderation = built.moderation();
        LOG.info("AI chat providers: {}", byName.keySet());
    }

    Map<String, ChatProvider> providers() {
        return providers;
    }

    ModelRegistry registry() {
        return registry;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The driver

    @Override
    public List<InterfaceSpec> driverInterfaces() {
        return List.of(INTERFACE);
    }

    @Override
    public List<Driver> drivers() {
        return List.of(new Driver() {
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
                return List.copyOf(providers.keySet());
            }

            @Override
            public DriverResult call(DriverCall call) {
                return switch (call.method()) {
                    case "models" -> DriverResult.of(registry.all().stream().map(ModelInfo::description).toList());
                    case "list" -> DriverResult.of(registry.all().stream().map(ModelInfo::listedName).distinct()
                            .sorted().toList());
                    default -> complete(call);
                };
            }
        });
    }

    private DriverResult complete(DriverCall call) {
        Args a = call.args();
        String legacy = call.intendedService();
        Optional<String> hint = legacy.equals(SERVICE) || legacy.equals(IFACE) ? Optional.empty()
                : Optional.of(legacy);
        ChatInput in = new ChatInput(a.json("messages").orElse(null), a.json("tools").orElse(null),
                a.string("model").filter(s -> !s.isBlank()), a.string("provider").filter(s -> !s.isBlank()).or(() -> hint),
                a.number("temperature").map(n -> OptionalDouble.of(n.doubleValue())).orElse(OptionalDouble.empty()),
                a.number("max_tokens").map(n -> OptionalInt.of(n.intValue())).orElse(OptionalInt.empty()),
                a.flag("stream"),
                a.string("reasoning_effort").or(() -> a.json("reasoning").map(r -> r.path("effort"))
                        .filter(JsonNode::isString).map(JsonNode::asString)),
                a.string("verbosity").or(() -> a.json("text").map(r -> r.path("verbosity"))
                        .filter(JsonNode::isString).map(JsonNode::asString)));
        boolean normalize = a.json("response").map(r -> r.path("normalize").asBoolean(false)).orElse(false);
        Running run = start(call.actor(), in, call.testMode() || a.flag("test_mode"));
        call.metadata().put("service_used", run.model().provider());
        call.metadata().put("providerUsed", run.model().id());
        if (run instanceof Running.Streamed s) {
            return new DriverResult.Written(NDJSON, out -> relayNdjson(s, out));
        }
        ObjectNode result = ((Running.Whole) run).result().deepCopy();
        if (a.json("normalize").map(JsonNode::isBoolean).orElse(false) && a.json("normalize").get().asBoolean()
                && providers.get(run.model().provider()).family() == ChatProvider.Family.CLAUDE) {
            // puter.js 2.6's `normalize: true`: the OpenAI family's shape whatever the provider
            result = CompatibleRoutes.openAiChoice(result);
        }
        if (normalize && result.has("message")) {
            result.set("message", Messages.normalizeOne(result.get("message")));
            result.put("normalized", true);
        }
        result.put("via_ai_chat_service", true);
        return DriverResult.of(result);
    }

    /** Writes a stream as NDJSON lines, each flushed at once; the usage line last, or an error line. */
    private static void relayNdjson(Running.Streamed s, OutputStream out) throws IOException {
        s.relay(new EventSink() {
            @Override
            public void event(ChatEvent e) throws IOException {
                line(out, e.toLine());
            }

            @Override
            public void end(ChatProvider.TokenUsage usage) throws IOException {
                line(out, new ChatEvent.Usage(usage.raw()).toLine());
            }

            @Override
            public void error(String message) throws IOException {
                line(out, new ChatEvent.Error(message).toLine());
            }
        });
    }

    private static void line(OutputStream out, ObjectNode line) throws IOException {
        out.write(Json.mapper().writeValueAsBytes(line));
        out.write('\n');
        out.flush();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The pipeline

    /** A chat as an entry point asks for it, before normalisation. */
    record ChatInput(JsonNode messages, JsonNode tools, Optional<String> model, Optional<String> provider,
            OptionalDouble temperature, OptionalInt maxTokens, boolean stream, Optional<String> reasoningEffort,
            Optional<String> verbosity) {}

    /** Where a relayed stream goes: events as they come, then the end with the usage, or an error. */
    interface EventSink {
        void event(ChatEvent e) throws IOException;

        void end(ChatProvider.TokenUsage usage) throws IOException;

        void error(String message) throws IOException;
    }

    /** A chat that the provider accepted. */
    sealed interface Running {
        ModelInfo model();

        record Whole(ModelInfo model, ObjectNode result, ChatProvider.TokenUsage usage) implements Running {}

        /** An open stream; {@link #relay} must be called exactly once (it closes the stream, meters, frees). */
        final class Streamed implements Running {
            private final ModelInfo model;
            private final ChatProvider.ChatStream stream;
            private final java.util.function.Consumer<ChatProvider.TokenUsage> done;

            Streamed(ModelInfo model, ChatProvider.ChatStream stream,
                    java.util.function.Consumer<ChatProvider.TokenUsage> done) {
                this.model = model;
                this.stream = stream;
                this.done = done;
            }

            @Override
            public ModelInfo model() {
                return model;
            }

            void relay(EventSink sink) throws IOException {
                ChatProvider.TokenUsage usage = ChatProvider.TokenUsage.NONE;
                try {
                    while (true) {
                        Optional<ChatEvent> next;
                        try {
                            next = stream.next();
                        } catch (ProviderException e) {
                            LOG.warn("chat stream of {} ({}) failed: {}", model.provider(), model.id(), e.getMessage());
                            sink.error(e.getMessage());
                            return;
                        }
                        if (next.isEmpty()) {
                            break;
                        }
                        if (next.get() instanceof ChatEvent.Usage u) {
                            usage = ChatProvider.TokenUsage.of(u.usage());
                        } else if (next.get() instanceof ChatEvent.Error err) {
                            sink.error(err.message());
                            return;
                        } else {
                            sink.event(next.get());
                        }
                    }
                    sink.end(usage);
                } finally {
                    stream.close();
                    done.accept(usage);
                }
            }
        }
    }

    /**
     * Starts a chat: resolves the model, takes a concurrency permit, moderates, checks the allowance, and calls the
     * providers serving the model until one accepts. Throws {@link ApiError}s and {@link DriverError}s for the client.
     */
    Running start(Actor actor, ChatInput in, boolean testMode) {
        Optional<User> user = actor.actingUser();
        if (user.isEmpty() && !(actor instanceof SystemActor)) {
            throw ApiError.permissionDenied("driver:" + IFACE + ":complete");
        }
        if (user.isPresent() && user.get().suspended()) {
            throw ApiError.of(403, "account_suspended", "Account suspended.");
        }
        ArrayNode messages = Messages.normalize(in.messages());
        PuterFiles.inline(messages, actor, files);
        ArrayNode tools = Tools.normalize(in.tools());
        List<ModelInfo> candidates = candidates(in, testMode);
        ModelInfo first = candidates.getFirst();

        Runnable release = acquire(user);
        AtomicBoolean released = new AtomicBoolean();
        Runnable releaseOnce = () -> {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        };
        try {
            if (!testMode && !first.provider().equals(OfflineProvider.NAME) && !first.provider().equals("ollama")) {
                moderation.check(Messages.allText(messages));
            }
            OptionalInt maxTokens = allowance(actor, first, messages, in.maxTokens());
            ChatRequest request = new ChatRequest(messages, tools, first.id(), in.temperature(), maxTokens,
                    in.reasoningEffort(), in.verbosity(), user.map(u -> u.uuid()));
            List<Map<String, Object>> failures = new ArrayList<>();
            List<ProviderException> errors = new ArrayList<>();
            for (ModelInfo candidate : candidates) {
                if (failures.size() >= settings.maxAttempts()) {
                    break;
                }
                // OpenAI's built-in tools (web_search) exist only in its Responses API (spec 4.5)
                ModelInfo m = candidate.provider().equals("openai-completion") && builtInTools(tools)
                        && providers.containsKey(OpenAiResponsesProvider.NAME)
                        ? candidate.servedBy(OpenAiResponsesProvider.NAME) : candidate;
                ChatProvider p = providers.get(m.provider());
                try {
                    ChatRequest r = request.withModel(m.id());
                    if (in.stream()) {
                        ChatProvider.ChatStream s = p.stream(r);
                        return new Running.Streamed(m, s, usage -> {
                            try {
                                meter(actor, m, usage);
                            } finally {
                                releaseOnce.run();
                            }
                        });
                    }
                    ChatProvider.Completion c = p.complete(r);
                    meter(actor, m, c.usage());
                    releaseOnce.run();
                    return new Running.Whole(m, c.result(), c.usage());
                } catch (ProviderException e) {
                    LOG.warn("chat with {} ({}) failed: {}: {}", m.provider(), m.id(), e.kind(), e.getMessage());
                    if (!e.kind().transientFailure()) {
                        throw ApiError.of(400, "error_400_from_delegate", "Error 400 from delegate `" + m.provider()
                                + "`: " + e.getMessage()).with("delegate", m.provider());
                    }
                    Map<String, Object> attempt = new LinkedHashMap<>();
                    attempt.put("model", m.id());
                    attempt.put("provider", m.provider());
                    attempt.put("error", e.getMessage());
                    failures.add(attempt);
                    errors.add(e);
                    if (settings.disableFallback() || m.provider().equals(OfflineProvider.NAME)) {
                        break;
                    }
                }
            }
            throw failed(errors, failures);
        } catch (RuntimeException e) {
            releaseOnce.run();
            throw e;
        }
    }

    private static boolean builtInTools(ArrayNode tools) {
        for (JsonNode t : tools) {
            if (!t.path("type").asString().equals("function")) {
                return true;
            }
        }
        return false;
    }

    /** The models to try, in order (spec 4.2, with Hearth's fallback to a configured provider). */
    private List<ModelInfo> candidates(ChatInput in, boolean testMode) {
        if (testMode) {
            return registry.candidates("fake", Optional.of(OfflineProvider.NAME));
        }
        Optional<String> provider = in.provider();
        String model = in.model().orElse(null);
        if (model == null) {
            ChatProvider p = provider.map(providers::get).orElseGet(() -> providers.values().stream()
                    .filter(x -> !x.name().equals(OfflineProvider.NAME)).findFirst()
                    .orElse(providers.get(OfflineProvider.NAME)));
            model = p.defaultModel();
            provider = Optional.of(p.name());
        }
        List<ModelInfo> found = registry.candidates(model, provider);
        if (found.isEmpty()) {
            throw new DriverError(MODEL_NOT_FOUND);
        }
        return found;
    }

    private static ApiError failed(List<ProviderException> errors, List<Map<String, Object>> attempts) {
        if (errors.size() == 1) {
            ProviderException e = errors.getFirst();
            String p = e.provider();
            return switch (e.kind()) {
                case AUTH -> ApiError.of(502, "ai_provider_auth_failed", "The AI provider `" + p
                        + "` refused Hearth's credentials (authentication failed): " + e.getMessage())
                        .with("provider", p);
                case RATE_LIMITED -> ApiError.of(429, "ai_provider_rate_limited", "The AI provider `" + p
                        + "` is rate limiting requests: " + e.getMessage()).with("provider", p);
                case MODEL_NOT_FOUND -> ApiError.of(404, "model_not_found", e.getMessage()).with("provider", p);
                case TIMEOUT -> ApiError.of(504, "ai_provider_timeout", "The AI provider `" + p
                        + "` did not answer in time.").with("provider", p);
                default -> ApiError.of(502, "ai_provider_unavailable", "The AI provider `" + p + "` failed: "
                        + e.getMessage()).with("provider", p);
            };
        }
        return ApiError.of(502, "ai_chat_all_providers_failed", "All AI chat providers failed (" + attempts.size()
                + " attempt(s))").with("attempts", attempts);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Concurrency, allowance, metering

    private Runnable acquire(Optional<User> user) {
        if (user.isEmpty()) {
            return () -> {};
        }
        int limit = user.get().isTemp() ? settings.concurrentRequests().tempLimit()
                : settings.concurrentRequests().limit();
        AtomicInteger n = running.computeIfAbsent(user.get().uuid(), k -> new AtomicInteger());
        if (n.incrementAndGet() > limit) {
            n.decrementAndGet();
            throw ApiError.of(429, "too_many_requests", "Too many requests.");
        }
        return n::decrementAndGet;
    }

    /**
     * The credit pre-check of spec 4.3 step 8 against the one monthly {@link Allowance} (what media calls cost
     * counts too): an estimate of the prompt's cost must fit in what is left, and the output is capped at what the
     * rest can pay. Free models always pass.
     */
    private OptionalInt allowance(Actor actor, ModelInfo model, ArrayNode messages, OptionalInt maxTokens) {
        if (model.free() || allowance.unlimited(actor)) {
            return maxTokens;
        }
        String text = Messages.allText(messages);
        long words = text.isBlank() ? 0 : text.strip().split("\\s+").length;
        long approxTokens = (long) Math.floor((text.length() / 4.0 + words * 4.0 / 3.0) / 2);
        double approxInputCost = approxTokens * model.inputCost();
        allowance.check(actor, (long) Math.ceil(Math.max(approxInputCost, 1)), "usage-limited-chat");
        long remaining = allowance.remaining(actor);
        if (model.outputCost() > 0) {
            long maxOut = (long) Math.floor((remaining - approxInputCost) / model.outputCost());
            long cap = Math.min(maxTokens.isPresent() ? maxTokens.getAsInt() : Long.MAX_VALUE,
                    Math.min(maxOut, model.maxTokens() - approxTokens));
            return cap < 1 ? OptionalInt.empty() : OptionalInt.of((int) Math.min(cap, Integer.MAX_VALUE));
        }
        return maxTokens;
    }

    /** Records the tokens by kind ({@code <provider>:<model>:<kind>}) and the cost against the allowance. */
    private void meter(Actor actor, ModelInfo model, ChatProvider.TokenUsage usage) {
        try {
            String prefix = model.provider() + ":" + model.id() + ":";
            usage.byKind().forEach((kind, n) -> {
                if (n > 0) {
                    metering.record(actor, prefix + kind, n);
                }
            });
            long cost = model.costOf(usage.byKind());
            allowance.charge(actor, COST_SOURCE, cost);
            PromptCompleted done = new PromptCompleted(actor.actingUser().map(User::username).orElse(""),
                    model.provider(), model.id(), usage.input(), usage.output(), cost);
            // on its own thread: listeners must not hold back the end of the client's response
            Thread.ofVirtual().name("ai-prompt-complete").start(dev.hearth.kernel.Context.carry(
                    () -> context.events().emit(PromptCompleted.EVENT, done)));
        } catch (RuntimeException e) {
            LOG.warn("metering a chat failed: {}", e.getMessage());
        }
    }
}
