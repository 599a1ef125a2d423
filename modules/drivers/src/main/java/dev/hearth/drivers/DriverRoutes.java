package dev.hearth.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Actor;
import dev.hearth.core.Authenticator;
import dev.hearth.core.HttpAuth;
import dev.hearth.core.UserActor;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.MultipartReader;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code drivers-http} service: {@code POST /drivers/call} (spec 1.1, 1.5, 1.6), {@code GET
 * /drivers/list-interfaces}, {@code GET /drivers/usage} (1.8), {@code GET /metering/usage} (6) and {@code /lsmod}.
 *
 * <p>Bodies: JSON, puter.js's {@code text/plain;actually=json}, no {@code Content-Type} at all (read as JSON), and
 * {@code multipart/form-data}, whose non-file parts are JSON objects merged into the request (dotted keys such as
 * {@code args.source} set nested members) and whose file placeholders {@code {"$":"file","size":n,"type":...}} take
 * the file parts in order; the call starts at the first file part, so the driver reads the upload from the socket.
 *
 * <p>Every failure inside the call is HTTP 200 {@code {"success":false,"error":...}}; authentication and body
 * parsing fail with their HTTP status.
 */
final class DriverRoutes implements Service, HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(DriverRoutes.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_FIELD_BYTES = 10 * 1024 * 1024;

    private final ServiceContext context;
    private volatile Drivers drivers;
    private volatile Authenticator authenticator;
    private volatile Allowance allowance;

    DriverRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        drivers = context.services().get(Drivers.class);
        authenticator = context.services().get(Authenticator.class);
        allowance = context.services().get(Allowance.class);
    }

    @Override
    public void routes(Router router) {
        Router api = router.api();
        api.post("/drivers/call", this::call);
        api.get("/drivers/list-interfaces", HttpAuth.required(this::listInterfaces));
        api.get("/drivers/usage", HttpAuth.required(this::usage));
        api.get("/metering/usage", HttpAuth.required(this::monthlyUsage));
        router.anyHost().get("/lsmod", HttpAuth.required(this::lsmod));
        router.anyHost().post("/lsmod", HttpAuth.required(this::lsmod));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // POST /drivers/call

    private void call(Request req, Response res) throws Exception {
        String type = req.contentType().orElse("").toLowerCase(Locale.ROOT).strip();
        ObjectNode body;
        MultipartFiles files = null;
        if (type.startsWith("multipart/")) {
            MultipartReader reader = MultipartReader.of(req);
            files = new MultipartFiles(reader);
            body = readMultipart(reader, files);
        } else if (type.isEmpty()) {
            body = parseObject(req.body().readNBytes(MAX_FIELD_BYTES + 1));
        } else {
            JsonNode tree = req.jsonTree();
            if (!tree.isObject()) {
                throw ApiError.badRequest("The request body must be a JSON object.");
            }
            body = (ObjectNode) tree;
        }
        Actor actor = actor(body);

        Object outcome;
        try {
            Drivers.CallRequest request = new Drivers.CallRequest(text(body, "interface").orElse(""),
                    text(body, "driver").or(() -> text(body, "service")), text(body, "method").orElse(""),
                    body.get("args"), ArgumentTypes.truthy(body.get("test_mode")));
            outcome = drivers.call(actor, request);
        } catch (ApiError e) {
            outcome = e;
        } catch (DriverError e) {
            outcome = e;
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.error("driver call failed (request {})", req.requestId(), e);
            outcome = ApiError.internal(req.requestId());
        } finally {
            if (files != null) {
                files.drain();
            }
        }
        switch (outcome) {
            case ApiError e -> res.json(failure(DriverErrors.serialize(e)));
            case DriverError e -> res.json(failure(e.getMessage()));
            case Drivers.Outcome o -> write(o, res);
            default -> throw new IllegalStateException();
        }
    }

    private static Map<String, Object> failure(Object error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", false);
        out.put("error", error);
        return out;
    }

    private static void write(Drivers.Outcome o, Response res) throws IOException {
        switch (o.result()) {
            case DriverResult.Stream s -> res.stream(s.contentType(), s.length(), s.body());
            case DriverResult.Written w -> {
                try (java.io.OutputStream out = res.outputStream(w.contentType())) {
                    w.writer().writeTo(out);
                }
            }
            case DriverResult.Bare b -> res.json(b.value() == null ? NODES.nullNode() : b.value());
            case DriverResult.Value v -> res.json(envelope(o, true, v.value()));
            case DriverResult.Empty e -> res.json(envelope(o, false, null));
        }
    }

    private static Map<String, Object> envelope(Drivers.Outcome o, boolean withResult, Object result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("name", o.serviceName());
        o.serviceVersion().ifPresent(v -> service.put("version", v));
        out.put("service", service);
        if (withResult) {
            out.put("result", result == null ? NODES.nullNode() : result);
        }
        out.put("metadata", o.metadata());
        return out;
    }

    /**
     * The authenticated actor. The middleware has read a JSON body's {@code auth_token}; a multipart body's, or a body
     * sent without a {@code Content-Type}, is read here.
     */
    private Actor actor(ObjectNode body) {
        Optional<Actor> bound = HttpAuth.optionalActor();
        if (bound.isPresent()) {
            return bound.get();
        }
        JsonNode token = body.get("auth_token");
        if (token != null && token.isString() && !Authenticator.isAbsent(token.asString())) {
            return authenticator.authenticate(token.asString());
        }
        throw ApiError.tokenMissing();
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n != null && n.isString() ? Optional.of(n.asString()) : Optional.empty();
    }

    private static ObjectNode parseObject(byte[] bytes) {
        if (bytes.length > MAX_FIELD_BYTES) {
            throw ApiError.payloadTooLarge(MAX_FIELD_BYTES);
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return NODES.objectNode();
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(bytes);
        } catch (RuntimeException e) {
            throw ApiError.badRequest("The request body is not valid JSON.");
        }
        if (!tree.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.");
        }
        return (ObjectNode) tree;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Multipart (spec 1.1.1)

    private static ObjectNode readMultipart(MultipartReader reader, MultipartFiles files) throws IOException {
        ObjectNode params = NODES.objectNode();
        while (true) {
            Optional<MultipartReader.Part> next = reader.next();
            if (next.isEmpty()) {
                return params;
            }
            MultipartReader.Part part = next.get();
            if (part.filename().isPresent()) {
                files.first(part);
                return params;
            }
            byte[] raw = part.content().readNBytes(MAX_FIELD_BYTES + 1);
            ObjectNode value;
            try {
                value = parseObject(raw);
            } catch (ApiError e) {
                throw ApiError.badRequest("Multipart field `" + part.name() + "` must be a JSON object.");
            }
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(value.properties())) {
                merge(params, e.getKey(), placeholders(e.getValue(), files), part.name());
            }
        }
    }

    /** Replaces file placeholders, at any depth, by handles on the next file parts, in order. */
    private static JsonNode placeholders(JsonNode value, MultipartFiles files) {
        if (value.isObject()) {
            JsonNode marker = value.get("$");
            if (marker != null && marker.isString() && marker.asString().equals("file")) {
                JsonNode size = value.get("size");
                if (size != null && !size.isNull() && (!size.isNumber() || size.doubleValue() < 0)) {
                    throw ApiError.of(400, "invalid_file_metadata", "Invalid file metadata.");
                }
                JsonNode type = value.get("type");
                return NODES.pojoNode(files.placeholder(type != null && type.isString() ? type.asString() : null,
                        size != null && size.isNumber() ? OptionalLong.of(size.longValue()) : OptionalLong.empty()));
            }
            ObjectNode copy = NODES.objectNode();
            value.properties().forEach(e -> copy.set(e.getKey(), placeholders(e.getValue(), files)));
            return copy;
        }
        return value;
    }

    private static void merge(ObjectNode params, String key, JsonNode value, String field) {
        String[] path = key.split("\\.");
        ObjectNode at = params;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = at.get(path[i]);
            if (child == null) {
                child = at.putObject(path[i]);
            }
            if (!child.isObject()) {
                throw ApiError.badRequest("Tried to set member of non-object: " + path[i] + " in " + field);
            }
            at = (ObjectNode) child;
        }
        String leaf = path[path.length - 1];
        JsonNode existing = at.get(leaf);
        if (existing == null) {
            at.set(leaf, value);
        } else if (existing.isArray()) {
            ((tools.jackson.databind.node.ArrayNode) existing).add(value);
        } else {
            at.set(leaf, NODES.arrayNode().add(existing).add(value));
        }
    }

    /** The file parts of a multipart call, handed out in order to the placeholders. */
    static final class MultipartFiles {
        private final MultipartReader reader;
        private final List<Placeholder> placeholders = new ArrayList<>();
        private MultipartReader.Part current;
        private int currentIndex = -1;
        private boolean ended;

        MultipartFiles(MultipartReader reader) {
            this.reader = reader;
        }

        Placeholder placeholder(String type, OptionalLong size) {
            Placeholder p = new Placeholder(placeholders.size(), Optional.ofNullable(type), size);
            placeholders.add(p);
            return p;
        }

        void first(MultipartReader.Part part) {
            current = part;
            currentIndex = 0;
        }

        synchronized InputStream open(int index) throws IOException {
            if (index < currentIndex || ended && index >= currentIndex) {
                throw new IOException("file " + index + " was already read, or the body has no such file part");
            }
            while (currentIndex < index) {
                Optional<MultipartReader.Part> next = reader.next();
                if (next.isEmpty() || next.get().filename().isEmpty()) {
                    ended = true;
                    throw ApiError.badRequest("Missing file part for file argument " + index + ".");
                }
                current = next.get();
                currentIndex++;
            }
            if (current == null) {
                throw ApiError.badRequest("Missing file part for file argument " + index + ".");
            }
            return current.content();
        }

        /** Reads what the driver left of the body, so that the response is not written over an unread request. */
        void drain() {
            try {
                while (reader.next().isPresent()) {
                    // skip
                }
            } catch (IOException | RuntimeException e) {
                // The client's body was malformed or cut short; the response still goes out.
            }
        }

        final class Placeholder implements DriverFile {
            private final int index;
            private final Optional<String> type;
            private final OptionalLong size;

            Placeholder(int index, Optional<String> type, OptionalLong size) {
                this.index = index;
                this.type = type;
                this.size = size;
            }

            @Override
            public Optional<String> contentType() {
                return type;
            }

            @Override
            public OptionalLong size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return MultipartFiles.this.open(index);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Listings

    /** Spec 1.8: every interface but those marked {@code no_sdk}, with parameter types only. */
    private void listInterfaces(Request req, Response res) {
        Map<String, Object> out = new LinkedHashMap<>();
        drivers.interfaces().forEach((name, spec) -> {
            if (!spec.noSdk()) {
                out.put(name, describe(spec));
            }
        });
        res.json(out);
    }

    private static Map<String, Object> describe(InterfaceSpec spec) {
        Map<String, Object> methods = new LinkedHashMap<>();
        spec.methods().forEach((m, method) -> {
            Map<String, Object> params = new LinkedHashMap<>();
            method.parameters().forEach(p -> params.put(p.name(), Map.of("type", p.type().wireName())));
            Map<String, Object> desc = new LinkedHashMap<>();
            desc.put("description", method.description());
            desc.put("parameters", params);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("type", method.resultType().orElse(null));
            desc.put("result", result);
            methods.put(m, desc);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", spec.description());
        out.put("methods", methods);
        return out;
    }

    /** Spec 1.8: user actors only; upstream's shape, with this month's metered usage in {@code usages}. */
    private void usage(Request req, Response res) {
        if (!(HttpAuth.actor() instanceof UserActor)) {
            throw ApiError.forbidden();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", List.of());
        out.put("apps", Map.of());
        out.put("app_objects", Map.of());
        out.put("usages", drivers.usages(HttpAuth.actor()));
        res.json(out);
    }

    /** {@code puter.auth.getMonthlyUsage()} (spec 6, "HTTP"): the user's month and allowance, apps included. */
    private void monthlyUsage(Request req, Response res) {
        if (HttpAuth.actor().actingUser().isEmpty()) {
            throw ApiError.forbidden();
        }
        res.json(allowance.report(HttpAuth.actor()));
    }

    /** {@code puter.drivers.list()}: interfaces with the implementations the actor may invoke. */
    private void lsmod(Request req, Response res) {
        Actor actor = HttpAuth.actor();
        Map<String, Object> interfaces = new LinkedHashMap<>();
        drivers.interfaces().forEach((name, spec) -> {
            Map<String, Object> implementors = new LinkedHashMap<>();
            for (Driver d : drivers.implementations(name)) {
                if (drivers.mayInvoke(actor, d)) {
                    implementors.put(d.serviceName(), Map.of());
                }
            }
            if (!implementors.isEmpty()) {
                interfaces.put(name, Map.of("spec", describe(spec), "implementors", implementors));
            }
        });
        res.json(Map.of("interfaces", interfaces));
    }
}
