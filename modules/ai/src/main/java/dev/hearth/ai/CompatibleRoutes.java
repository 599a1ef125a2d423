package dev.hearth.ai;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

import dev.hearth.core.Actor;
import dev.hearth.core.AppUnderUserActor;
import dev.hearth.core.HttpAuth;
import dev.hearth.drivers.DriverError;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.Handler;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI- and Anthropic-compatible endpoints (spec 4.10), so that the official SDKs work with a Hearth token as
 * their API key: {@code POST /puterai/openai/v1/chat/completions}, {@code /puterai/openai/v1/completions},
 * {@code /puterai/openai/v1/responses} and {@code POST /puterai/anthropic/v1/messages}, whole or streamed as the SDKs'
 * server-sent events. The Responses endpoint serves any provider's model (upstream: OpenAI's only). They run the same
 * chat pipeline as the driver (concurrency, allowance, fallback, metering) but not the driver's permission layer; app
 * tokens are refused. Errors come in each SDK's own error shape with the HTTP status.
 */
final class CompatibleRoutes implements Service, HttpService {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SSE = "text/event-stream; charset=utf-8";

    private final ServiceContext context;
    private volatile AiChat chat;

    CompatibleRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        chat = context.services().get(AiChat.class);
    }

    @Override
    public void routes(Router router) {
        Router any = router.anyHost();
        any.post("/puterai/openai/v1/chat/completions", openAiErrors(this::chatCompletions));
        any.post("/puterai/openai/v1/completions", openAiErrors(this::completions));
        any.post("/puterai/openai/v1/responses", openAiErrors(this::responses));
        any.post("/puterai/anthropic/v1/messages", anthropicErrors(this::messages));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Errors in each SDK's shape

    private static ApiError clientError(RuntimeException e) {
        if (e instanceof ApiError a) {
            return a;
        }
        if (e instanceof DriverError d && d.getMessage().equals(AiChat.MODEL_NOT_FOUND)) {
            return ApiError.of(404, "model_not_found", d.getMessage());
        }
        if (e instanceof DriverError d) {
            return ApiError.of(400, "bad_request", d.getMessage());
        }
        throw e;
    }

    private static Handler openAiErrors(Handler h) {
        return (req, res) -> {
            try {
                h.handle(req, res);
            } catch (ApiError | DriverError e) {
                ApiError a = clientError(e);
                ObjectNode body = NODES.objectNode();
                body.putObject("error").put("message", a.getMessage()).put("type", a.status() == 401
                        ? "authentication_error" : "invalid_request_error").put("code", a.code());
                res.status(a.status()).json(body);
            }
        };
    }

    private static Handler anthropicErrors(Handler h) {
        return (req, res) -> {
            try {
                h.handle(req, res);
            } catch (ApiError | DriverError e) {
                ApiError a = clientError(e);
                String type = switch (a.status()) {
                    case 401 -> "authentication_error";
                    case 403 -> "permission_error";
                    case 404 -> "not_found_error";
                    case 429 -> "rate_limit_error";
                    default -> a.status() >= 500 ? "api_error" : "invalid_request_error";
                };
                ObjectNode body = NODES.objectNode().put("type", "error");
                body.putObject("error").put("type", type).put("message", a.getMessage());
                res.status(a.status()).json(body);
            }
        };
    }

    /** The caller: any token but an app's (spec 4.10). */
    private static Actor caller() {
        Actor actor = HttpAuth.actor();
        if (actor instanceof AppUnderUserActor) {
            throw ApiError.permissionDenied("driver:" + AiChat.IFACE + ":complete");
        }
        return actor;
    }

    private static String id(String prefix) {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    private static OptionalDouble number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return OptionalDouble.empty();
        }
        if (!n.isNumber()) {
            throw ApiError.fieldInvalid(field, "a number", n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return OptionalDouble.of(n.doubleValue());
    }

    private static OptionalInt integer(JsonNode body, String... fields) {
        for (String f : fields) {
            OptionalDouble d = number(body, f);
            if (d.isPresent()) {
                return OptionalInt.of((int) d.getAsDouble());
            }
        }
        return OptionalInt.empty();
    }

    private static Optional<String> text(JsonNode body, String field) {
        return body.path(field).isString() && !body.get(field).asString().isBlank()
                ? Optional.of(body.get(field).asString()) : Optional.empty();
    }

    private static AiChat.ChatInput input(JsonNode body, JsonNode messages) {
        return new AiChat.ChatInput(messages, body.get("tools"), text(body, "model"), text(body, "provider"),
                number(body, "temperature"), integer(body, "max_tokens", "max_completion_tokens"),
                body.path("stream").asBoolean(false), text(body, "reasoning_effort"), text(body, "verbosity"));
    }

    /** What an answer holds, whatever the provider family's shape. */
    private record Answer(String text, List<ChatEvent.ToolUse> calls) {}

    private static Answer answer(ObjectNode result) {
        JsonNode message = result.path("message");
        StringBuilder text = new StringBuilder();
        List<ChatEvent.ToolUse> calls = new ArrayList<>();
        JsonNode content = message.path("content");
        if (content.isString()) {
            text.append(content.asString());
        }
        for (JsonNode block : content) {
            String type = block.path("type").asString("text");
            if (type.equals("text")) {
                text.append(block.path("text").asString(""));
            } else if (type.equals("tool_use")) {
                calls.add(new ChatEvent.ToolUse(block.path("id").asString(), block.path("name").asString(),
                        Messages.toolInput(block.get("input"))));
            }
        }
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(new ChatEvent.ToolUse(call.path("id").asString(), call.path("function").path("name").asString(),
                    Messages.toolInput(call.path("function").get("arguments"))));
        }
        return new Answer(text.toString(), calls);
    }

    /** A result of Claude's shape in the OpenAI family's: text content, {@code tool_calls}, the same usage. */
    static ObjectNode openAiChoice(ObjectNode result) {
        Answer a = answer(result);
        ObjectNode out = NODES.objectNode().put("index", 0);
        ObjectNode message = out.putObject("message").put("role", "assistant").put("content", a.text());
        if (!a.calls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            a.calls().forEach(c -> calls.add(toolCall(c, -1)));
        }
        message.putNull("refusal");
        message.putArray("annotations");
        out.putNull("logprobs");
        out.put("finish_reason", a.calls().isEmpty() ? "stop" : "tool_calls");
        if (result.has("usage")) {
            out.set("usage", result.get("usage"));
        }
        return out;
    }

    private static void event(OutputStream out, String name, JsonNode data) throws IOException {
        String s = (name == null ? "" : "event: " + name + "\n") + "data: " + Json.mapper().writeValueAsString(data)
                + "\n\n";
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void done(OutputStream out) throws IOException {
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static OutputStream sse(Response res) {
        res.header("Cache-Control", "no-cache, no-transform");
        return res.outputStream(SSE);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // OpenAI: chat completions

    private void chatCompletions(Request req, Response res) throws IOException {
        Actor actor = caller();
        JsonNode body = req.jsonTree();
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            throw ApiError.fieldInvalid("messages", "an array of messages", messages == null ? "nothing"
                    : "a JSON " + messages.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        AiChat.Running run = chat.start(actor, input(body, messages), false);
        String id = id("chatcmpl-");
        long created = System.currentTimeMillis() / 1000;
        String model = text(body, "model").orElse(run.model().id());
        if (run instanceof AiChat.Running.Whole w) {
            Answer a = answer(w.result());
            ObjectNode out = NODES.objectNode().put("id", id).put("object", "chat.completion").put("created", created)
                    .put("model", model);
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", a.text());
            if (!a.calls().isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ChatEvent.ToolUse c : a.calls()) {
                    calls.add(toolCall(c, -1));
                }
            }
            message.putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", !a.calls().isEmpty() ? "tool_calls"
                    : w.result().path("finish_reason").asString("stop").equals("length") ? "length" : "stop");
            out.set("usage", openAiUsage(w.usage()));
            res.json(out);
            return;
        }
        AiChat.Running.Streamed s = (AiChat.Running.Streamed) run;
        try (OutputStream out = sse(res)) {
            int[] toolIndex = {0};
            event(out, null, chunk(id, created, model, NODES.objectNode().put("role", "assistant").put("content", ""),
                    null));
            s.relay(new AiChat.EventSink() {
                @Override
                public void event(ChatEvent e) throws IOException {
                    switch (e) {
                        case ChatEvent.Text t -> CompatibleRoutes.event(out, null, chunk(id, created, model,
                                NODES.objectNode().put("content", t.text()), null));
                        case ChatEvent.ToolUse u -> {
                            ObjectNode delta = NODES.objectNode();
                            delta.putArray("tool_calls").add(toolCall(u, toolIndex[0]++));
                            CompatibleRoutes.event(out, null, chunk(id, created, model, delta, null));
                        }
                        case ChatEvent.Image i -> {
                            ObjectNode delta = NODES.objectNode();
                            delta.putArray("images").add(i.image());
                            CompatibleRoutes.event(out, null, chunk(id, created, model, delta, null));
                        }
                        default -> { }
                    }
                }

                @Override
                public void end(ChatProvider.TokenUsage usage) throws IOException {
                    ObjectNode last = chunk(id, created, model, NODES.objectNode(),
                            toolIndex[0] > 0 ? "tool_calls" : "stop");
                    last.set("usage", openAiUsage(usage));
                    CompatibleRoutes.event(out, null, last);
                    done(out);
                }

                @Override
                public void error(String message) throws IOException {
                    ObjectNode err = NODES.objectNode();
                    err.putObject("error").put("message", message).put("type", "stream_error");
                    CompatibleRoutes.event(out, null, err);
                    done(out);
                }
            });
        }
    }

    private static ObjectNode toolCall(ChatEvent.ToolUse c, int index) {
        ObjectNode call = NODES.objectNode();
        if (index >= 0) {
            call.put("index", index);
        }
        call.put("id", c.id()).put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", Messages.toolArguments(c.input()));
        return call;
    }

    private static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finish) {
        ObjectNode c = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return c;
    }

    private static ObjectNode openAiUsage(ChatProvider.TokenUsage u) {
        return NODES.objectNode().put("prompt_tokens", u.input()).put("completion_tokens", u.output())
                .put("total_tokens", u.input() + u.output());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // OpenAI: legacy text completions

    private void completions(Request req, Response res) throws IOException {
        Actor actor = caller();
        JsonNode body = req.jsonTree();
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            JsonNode prompt = body.get("prompt");
            if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isString()) {
                prompt = prompt.get(0);
            }
            if (prompt == null || !prompt.isString()) {
                throw ApiError.fieldInvalid("prompt", "a string", prompt == null ? "nothing" : "another JSON value");
            }
            messages = NODES.arrayNode().add(NODES.objectNode().put("role", "user").put("content", prompt.asString()));
        }
        ObjectNode noTools = ((ObjectNode) body).deepCopy();
        noTools.remove("tools");
        AiChat.Running run = chat.start(actor, input(noTools, messages), false);
        String id = id("cmpl-");
        long created = System.currentTimeMillis() / 1000;
        String model = text(body, "model").orElse(run.model().id());
        if (run instanceof AiChat.Running.Whole w) {
            ObjectNode out = NODES.objectNode().put("id", id).put("object", "text_completion").put("created", created)
                    .put("model", model);
            out.putArray("choices").addObject().put("text", answer(w.result()).text()).put("index", 0)
                    .putNull("logprobs").put("finish_reason", "stop");
            out.set("usage", openAiUsage(w.usage()));
            res.json(out);
            return;
        }
        AiChat.Running.Streamed s = (AiChat.Running.Streamed) run;
        try (OutputStream out = sse(res)) {
            s.relay(new AiChat.EventSink() {
                private ObjectNode piece(String text, String finish) {
                    ObjectNode c = NODES.objectNode().put("id", id).put("object", "text_completion")
                            .put("created", created).put("model", model);
                    ObjectNode choice = c.putArray("choices").addObject().put("text", text).put("index", 0);
                    choice.putNull("logprobs");
                    if (finish == null) {
                        choice.putNull("finish_reason");
                    } else {
                        choice.put("finish_reason", finish);
                    }
                    return c;
                }

                @Override
                public void event(ChatEvent e) throws IOException {
                    if (e instanceof ChatEvent.Text t) {
                        CompatibleRoutes.event(out, null, piece(t.text(), null));
                    }
                }

                @Override
                public void end(ChatProvider.TokenUsage usage) throws IOException {
                    ObjectNode last = piece("", "stop");
                    last.set("usage", openAiUsage(usage));
                    CompatibleRoutes.event(out, null, last);
                    done(out);
                }

                @Override
                public void error(String message) throws IOException {
                    ObjectNode err = NODES.objectNode();
                    err.putObject("error").put("message", message).put("type", "stream_error");
                    CompatibleRoutes.event(out, null, err);
                    done(out);
                }
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // OpenAI: responses

    /** A Responses API {@code input} (and {@code instructions}) as chat messages. */
    static ArrayNode responsesInput(JsonNode body) {
        ArrayNode messages = NODES.arrayNode();
        if (body.path("instructions").isString()) {
            messages.addObject().put("role", "system").put("content", body.get("instructions").asString());
        }
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw ApiError.fieldMissing("input");
        }
        if (input.isString()) {
            messages.addObject().put("role", "user").put("content", input.asString());
            return messages;
        }
        if (!input.isArray()) {
            throw ApiError.fieldInvalid("input", "a string or an array of items", "another JSON value");
        }
        for (JsonNode item : input) {
            if (item.isString()) {
                messages.addObject().put("role", "user").put("content", item.asString());
                continue;
            }
            switch (item.path("type").asString("message")) {
                case "function_call" -> {
                    ObjectNode m = messages.addObject().put("role", "assistant");
                    m.putNull("content");
                    ObjectNode call = m.putArray("tool_calls").addObject().put("id", item.path("call_id").asString())
                            .put("type", "function");
                    call.putObject("function").put("name", item.path("name").asString())
                            .put("arguments", item.path("arguments").asString("{}"));
                }
                case "function_call_output" -> {
                    JsonNode out = item.get("output");
                    messages.addObject().put("role", "tool").put("tool_call_id", item.path("call_id").asString())
                            .put("content", out == null ? "" : out.isString() ? out.asString() : out.toString());
                }
                case "message" -> {
                    String role = item.path("role").asString("user");
                    ObjectNode m = messages.addObject().put("role", role.equals("developer") ? "system" : role);
                    JsonNode content = item.get("content");
                    if (content == null || content.isString()) {
                        m.put("content", content == null ? "" : content.asString());
                        continue;
                    }
                    ArrayNode parts = m.putArray("content");
                    for (JsonNode p : content) {
                        switch (p.path("type").asString()) {
                            case "input_text", "output_text", "text" -> parts.addObject().put("type", "text")
                                    .put("text", p.path("text").asString(""));
                            case "input_image" -> parts.addObject().put("type", "image_url").putObject("image_url")
                                    .put("url", p.path("image_url").asString(""));
                            default -> parts.add(p.deepCopy());
                        }
                    }
                }
                default -> { }
            }
        }
        return messages;
    }

    private void responses(Request req, Response res) throws IOException {
        Actor actor = caller();
        JsonNode body = req.jsonTree();
        ArrayNode messages = responsesInput(body);
        ObjectNode args = ((ObjectNode) body).deepCopy();
        if (body.has("max_output_tokens")) {
            args.set("max_tokens", body.get("max_output_tokens"));
        }
        if (body.path("reasoning").path("effort").isString()) {
            args.put("reasoning_effort", body.get("reasoning").get("effort").asString());
        }
        AiChat.Running run = chat.start(actor, input(args, messages), false);
        String id = id("resp_");
        long created = System.currentTimeMillis() / 1000;
        String model = text(body, "model").orElse(run.model().id());
        if (run instanceof AiChat.Running.Whole w) {
            Answer a = answer(w.result());
            ObjectNode out = response(id, created, model, "completed", body);
            ArrayNode output = out.putArray("output");
            if (!a.text().isEmpty() || a.calls().isEmpty()) {
                output.add(messageItem(id("msg_"), a.text(), "completed"));
            }
            for (ChatEvent.ToolUse c : a.calls()) {
                output.add(functionItem(c, "completed"));
            }
            out.put("output_text", a.text());
            out.set("usage", responsesUsage(w.usage()));
            res.json(out);
            return;
        }
        AiChat.Running.Streamed s = (AiChat.Running.Streamed) run;
        try (OutputStream out = sse(res)) {
            int[] seq = {0};
            ObjectNode started = response(id, created, model, "in_progress", body);
            started.putArray("output");
            started.putNull("usage");
            responseEvent(out, seq, "response.created", "response", started);
            s.relay(new AiChat.EventSink() {
                private int outputIndex = -1;
                private String messageId;
                private final StringBuilder text = new StringBuilder();
                private final List<JsonNode> items = new ArrayList<>();

                private ObjectNode ev() {
                    return NODES.objectNode();
                }

                private void closeMessage() throws IOException {
                    if (messageId == null) {
                        return;
                    }
                    responseEvent(out, seq, "response.output_text.done", ev().put("item_id", messageId)
                            .put("output_index", outputIndex).put("content_index", 0).put("text", text.toString()));
                    ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text.toString());
                    part.putArray("annotations");
                    ObjectNode done = ev().put("item_id", messageId).put("output_index", outputIndex)
                            .put("content_index", 0);
                    done.set("part", part);
                    responseEvent(out, seq, "response.content_part.done", done);
                    ObjectNode item = messageItem(messageId, text.toString(), "completed");
                    items.add(item);
                    ObjectNode itemDone = ev().put("output_index", outputIndex);
                    itemDone.set("item", item);
                    responseEvent(out, seq, "response.output_item.done", itemDone);
                    messageId = null;
                }

                @Override
                public void event(ChatEvent e) throws IOException {
                    if (e instanceof ChatEvent.Text t) {
                        if (messageId == null) {
                            messageId = id("msg_");
                            outputIndex++;
                            text.setLength(0);
                            ObjectNode added = ev().put("output_index", outputIndex);
                            added.set("item", messageItem(messageId, null, "in_progress"));
                            responseEvent(out, seq, "response.output_item.added", added);
                            ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", "");
                            part.putArray("annotations");
                            ObjectNode partAdded = ev().put("item_id", messageId).put("output_index", outputIndex)
                                    .put("content_index", 0);
                            partAdded.set("part", part);
                            responseEvent(out, seq, "response.content_part.added", partAdded);
                        }
                        text.append(t.text());
                        responseEvent(out, seq, "response.output_text.delta", ev().put("item_id", messageId)
                                .put("output_index", outputIndex).put("content_index", 0).put("delta", t.text()));
                    } else if (e instanceof ChatEvent.ToolUse u) {
                        closeMessage();
                        outputIndex++;
                        ObjectNode added = ev().put("output_index", outputIndex);
                        ObjectNode pending = functionItem(u, "in_progress").put("arguments", "");
                        added.set("item", pending);
                        responseEvent(out, seq, "response.output_item.added", added);
                        String fcId = pending.get("id").asString();
                        String arguments = Messages.toolArguments(u.input());
                        responseEvent(out, seq, "response.function_call_arguments.delta", ev().put("item_id", fcId)
                                .put("output_index", outputIndex).put("delta", arguments));
                        responseEvent(out, seq, "response.function_call_arguments.done", ev().put("item_id", fcId)
                                .put("output_index", outputIndex).put("arguments", arguments));
                        ObjectNode item = functionItem(u, "completed").put("id", fcId);
                        items.add(item);
                        ObjectNode itemDone = ev().put("output_index", outputIndex);
                        itemDone.set("item", item);
                        responseEvent(out, seq, "response.output_item.done", itemDone);
                    }
                }

                @Override
                public void end(ChatProvider.TokenUsage usage) throws IOException {
                    closeMessage();
                    ObjectNode completed = response(id, created, model, "completed", body);
                    ArrayNode output = completed.putArray("output");
                    items.forEach(output::add);
                    StringBuilder all = new StringBuilder();
                    for (JsonNode i : items) {
                        if (i.path("type").asString().equals("message")) {
                            all.append(i.path("content").path(0).path("text").asString(""));
                        }
                    }
                    completed.put("output_text", all.toString());
                    completed.set("usage", responsesUsage(usage));
                    responseEvent(out, seq, "response.completed", "response", completed);
                    done(out);
                }

                @Override
                public void error(String message) throws IOException {
                    responseEvent(out, seq, "error", ev().put("code", "stream_error").put("message", message)
                            .putNull("param"));
                    done(out);
                }
            });
        }
    }

    private static ObjectNode response(String id, long created, String model, String status, JsonNode body) {
        ObjectNode r = NODES.objectNode().put("id", id).put("object", "response").put("created_at", created)
                .put("status", status);
        r.putNull("error");
        r.putNull("incomplete_details");
        if (body.path("instructions").isString()) {
            r.put("instructions", body.get("instructions").asString());
        } else {
            r.putNull("instructions");
        }
        r.putNull("metadata");
        r.put("model", model).put("parallel_tool_calls", false);
        if (body.path("temperature").isNumber()) {
            r.put("temperature", body.get("temperature").doubleValue());
        } else {
            r.putNull("temperature");
        }
        r.put("tool_choice", "auto");
        r.set("tools", body.path("tools").isArray() ? body.get("tools") : NODES.arrayNode());
        r.putNull("top_p");
        return r;
    }

    private static ObjectNode messageItem(String id, String text, String status) {
        ObjectNode item = NODES.objectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("status", status);
        ArrayNode content = item.putArray("content");
        if (text != null) {
            ObjectNode part = content.addObject().put("type", "output_text").put("text", text);
            part.putArray("annotations");
        }
        return item;
    }

    private static ObjectNode functionItem(ChatEvent.ToolUse c, String status) {
        return NODES.objectNode().put("id", id("fc_")).put("type", "function_call").put("call_id", c.id())
                .put("name", c.name()).put("arguments", Messages.toolArguments(c.input())).put("status", status);
    }

    private static ObjectNode responsesUsage(ChatProvider.TokenUsage u) {
        ObjectNode usage = NODES.objectNode().put("input_tokens", u.input());
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", u.output());
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", u.input() + u.output());
        return usage;
    }

    private static void responseEvent(OutputStream out, int[] seq, String type, ObjectNode data) throws IOException {
        ObjectNode e = NODES.objectNode().put("type", type);
        e.setAll(data);
        e.put("sequence_number", seq[0]++);
        event(out, type, e);
    }

    private static void responseEvent(OutputStream out, int[] seq, String type, String field, ObjectNode value)
            throws IOException {
        ObjectNode data = NODES.objectNode();
        data.set(field, value);
        responseEvent(out, seq, type, data);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Anthropic: messages

    private void messages(Request req, Response res) throws IOException {
        Actor actor = caller();
        JsonNode body = req.jsonTree();
        JsonNode given = body.get("messages");
        if (given == null || !given.isArray()) {
            throw ApiError.fieldInvalid("messages", "an array of messages", given == null ? "nothing"
                    : "another JSON value");
        }
        ArrayNode messages = NODES.arrayNode();
        JsonNode system = body.get("system");
        if (system != null && (system.isString() || system.isArray())) {
            String text = system.isString() ? system.asString() : "";
            if (system.isArray()) {
                List<String> parts = new ArrayList<>();
                system.forEach(b -> parts.add(b.path("text").asString("")));
                text = String.join("\n", parts);
            }
            messages.addObject().put("role", "system").put("content", text);
        }
        messages.addAll((ArrayNode) given);
        ObjectNode withModel = ((ObjectNode) body).deepCopy();
        if (!withModel.path("model").isString() && chat.providers().containsKey("claude")) {
            withModel.put("model", chat.providers().get("claude").defaultModel());
        }
        AiChat.Running run = chat.start(actor, input(withModel, messages), false);
        String id = id("msg_");
        String model = text(body, "model").orElse(run.model().id());
        if (run instanceof AiChat.Running.Whole w) {
            Answer a = answer(w.result());
            ObjectNode out = NODES.objectNode().put("id", id).put("type", "message").put("role", "assistant");
            ArrayNode content = out.putArray("content");
            if (!a.text().isEmpty() || a.calls().isEmpty()) {
                content.addObject().put("type", "text").put("text", a.text());
            }
            for (ChatEvent.ToolUse c : a.calls()) {
                ObjectNode u = content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name());
                u.set("input", c.input().isObject() ? c.input() : NODES.objectNode());
            }
            out.put("model", model).put("stop_reason", a.calls().isEmpty() ? "end_turn" : "tool_use")
                    .putNull("stop_sequence");
            out.putObject("usage").put("input_tokens", w.usage().input()).put("output_tokens", w.usage().output());
            res.json(out);
            return;
        }
        AiChat.Running.Streamed s = (AiChat.Running.Streamed) run;
        try (OutputStream out = sse(res)) {
            ObjectNode start = NODES.objectNode().put("type", "message_start");
            ObjectNode msg = start.putObject("message").put("id", id).put("type", "message").put("role", "assistant");
            msg.putArray("content");
            msg.put("model", model).putNull("stop_reason").putNull("stop_sequence");
            msg.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
            event(out, "message_start", start);
            s.relay(new AiChat.EventSink() {
                private int index = -1;
                private boolean textOpen;
                private boolean tools;

                private void stopText() throws IOException {
                    if (textOpen) {
                        CompatibleRoutes.event(out, "content_block_stop", NODES.objectNode()
                                .put("type", "content_block_stop").put("index", index));
                        textOpen = false;
                    }
                }

                @Override
                public void event(ChatEvent e) throws IOException {
                    if (e instanceof ChatEvent.Text t) {
                        if (!textOpen) {
                            index++;
                            textOpen = true;
                            ObjectNode b = NODES.objectNode().put("type", "content_block_start").put("index", index);
                            b.putObject("content_block").put("type", "text").put("text", "");
                            CompatibleRoutes.event(out, "content_block_start", b);
                        }
                        ObjectNode d = NODES.objectNode().put("type", "content_block_delta").put("index", index);
                        d.putObject("delta").put("type", "text_delta").put("text", t.text());
                        CompatibleRoutes.event(out, "content_block_delta", d);
                    } else if (e instanceof ChatEvent.ToolUse u) {
                        stopText();
                        tools = true;
                        index++;
                        ObjectNode b = NODES.objectNode().put("type", "content_block_start").put("index", index);
                        b.putObject("content_block").put("type", "tool_use").put("id", u.id()).put("name", u.name())
                                .putObject("input");
                        CompatibleRoutes.event(out, "content_block_start", b);
                        ObjectNode d = NODES.objectNode().put("type", "content_block_delta").put("index", index);
                        d.putObject("delta").put("type", "input_json_delta").put("partial_json",
                                Messages.toolArguments(u.input()));
                        CompatibleRoutes.event(out, "content_block_delta", d);
                        CompatibleRoutes.event(out, "content_block_stop", NODES.objectNode()
                                .put("type", "content_block_stop").put("index", index));
                    }
                }

                @Override
                public void end(ChatProvider.TokenUsage usage) throws IOException {
                    stopText();
                    ObjectNode d = NODES.objectNode().put("type", "message_delta");
                    d.putObject("delta").put("stop_reason", tools ? "tool_use" : "end_turn").putNull("stop_sequence");
                    d.putObject("usage").put("output_tokens", usage.output());
                    CompatibleRoutes.event(out, "message_delta", d);
                    CompatibleRoutes.event(out, "message_stop", NODES.objectNode().put("type", "message_stop"));
                }

                @Override
                public void error(String message) throws IOException {
                    ObjectNode err = NODES.objectNode().put("type", "error");
                    err.putObject("error").put("type", "api_error").put("message", message);
                    CompatibleRoutes.event(out, "error", err);
                }
            });
        }
    }
}
