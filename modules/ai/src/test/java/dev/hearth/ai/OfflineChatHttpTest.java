package dev.hearth.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.drivers.testing.TestHttp;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/** {@code puter-chat-completion} with no provider configured: the offline provider answers everything. */
class OfflineChatHttpTest extends DriverHttpFixture {

    static final String CHAT = "puter-chat-completion";

    @Override
    protected boolean postgres() {
        return false;
    }

    @Override
    protected List<Module> modules() {
        return List.of(new AiModule());
    }

    @Override
    protected Config configure(Config config) {
        return config.with("services.ai-chat.providers.ollama.enabled", false);
    }

    /** The body puter.js sends, with the token in it and {@code text/plain;actually=json}. */
    TestHttp.Reply puterjs(String token, Object args, boolean testMode) throws IOException {
        return http.send("POST", "/drivers/call", json(obj("interface", CHAT, "driver", "ai-chat", "test_mode",
                testMode, "method", "complete", "args", args, "auth_token", token)),
                "Content-Type: text/plain;actually=json", "Origin: " + http.origin());
    }

    static List<JsonNode> lines(TestHttp.Reply r) {
        return Arrays.stream(r.text().split("\n")).filter(l -> !l.isEmpty()).map(l -> Json.mapper().readTree(l))
                .toList();
    }

    @Test
    void testModeAnswersInClaudesShapeWithMetadata() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = puterjs(t, obj("messages", List.of(obj("content", "Say hi")), "model", "gpt-5-nano"), true);
        JsonNode body = r.json();
        assertThat(body.get("success").asBoolean()).as(r.toString()).isTrue();
        assertThat(body.get("service").get("name").asString()).isEqualTo("ai-chat");
        assertThat(body.get("metadata")).isEqualTo(Json.mapper().readTree(
                "{\"service_used\":\"fake-chat\",\"providerUsed\":\"fake\"}"));
        JsonNode result = body.get("result");
        assertThat(result.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(result.get("via_ai_chat_service").asBoolean()).isTrue();
        JsonNode message = result.get("message");
        assertThat(message.get("role").asString()).isEqualTo("assistant");
        assertThat(message.get("content").get(0).get("text").asString())
                .isEqualTo("This is Hearth's offline model. You said: Say hi");
        assertThat(message.get("stop_reason").asString()).isEqualTo("end_turn");
        assertThat(result.get("usage").get("output_tokens").asLong()).isPositive();
    }

    @Test
    void withoutAnyProviderTheOfflineModelIsTheDefault() throws IOException {
        String t = signup().token();
        JsonNode r = result(t, CHAT, "complete", obj("messages", List.of("hello there")));
        assertThat(r.get("message").get("content").get(0).get("text").asString()).endsWith("You said: hello there");
        JsonNode fake = result(t, CHAT, "complete", obj("messages", List.of("x"), "model", "FAKE "));
        assertThat(fake.get("message").get("model").asString()).isEqualTo("fake");
    }

    @Test
    void streamingIsNdjsonWithExactlyTheContentTypePuterJsChecks() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = puterjs(t, obj("messages", List.of(obj("role", "system", "content", "Be brief."),
                obj("content", "Tell me a joke")), "stream", true), true);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).contains("application/x-ndjson");
        List<JsonNode> lines = lines(r);
        assertThat(lines.size()).isGreaterThan(3);
        StringBuilder text = new StringBuilder();
        for (JsonNode l : lines.subList(0, lines.size() - 1)) {
            assertThat(l.get("type").asString()).isEqualTo("text");
            text.append(l.get("text").asString());
        }
        assertThat(text.toString()).isEqualTo("This is Hearth's offline model. You said: Tell me a joke");
        assertThat(lines.getLast().get("type").asString()).isEqualTo("usage");
        assertThat(lines.getLast().get("usage").get("input_tokens").asLong()).isPositive();
    }

    static final Map<String, Object> WEATHER = obj("type", "function", "function", obj("name", "get_weather",
            "description", "weather", "parameters", obj("type", "object", "properties",
                    obj("location", obj("type", "string"), "days", obj("type", "integer")), "required",
                    List.of("location"))));

    @Test
    void toolsGiveToolCallsAndToolResultsAnAnswer() throws IOException {
        String t = signup().token();
        JsonNode r = result(t, CHAT, "complete", obj("messages", List.of("Vancouver"), "tools", List.of(WEATHER),
                "test_mode", true));
        JsonNode use = r.get("message").get("content").get(0);
        assertThat(use.get("type").asString()).isEqualTo("tool_use");
        assertThat(use.get("name").asString()).isEqualTo("get_weather");
        assertThat(use.get("input")).isEqualTo(Json.mapper().readTree("{\"location\":\"Vancouver\",\"days\":1}"));
        assertThat(r.get("message").get("stop_reason").asString()).isEqualTo("tool_use");

        TestHttp.Reply s = puterjs(t, obj("messages", List.of("Vancouver"), "tools", List.of(WEATHER), "stream",
                true), true);
        List<JsonNode> lines = lines(s);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("type").asString()).isEqualTo("tool_use");
        assertThat(lines.get(0).get("id").asString()).isEqualTo(use.get("id").asString());
        assertThat(lines.get(0).get("input").get("location").asString()).isEqualTo("Vancouver");
        assertThat(lines.get(0).get("text").asString()).isEmpty();
        assertThat(lines.get(1).get("type").asString()).isEqualTo("usage");

        // the OpenAI-style history of spec 8.4
        JsonNode done = result(t, CHAT, "complete", obj("test_mode", true, "tools", List.of(WEATHER), "messages",
                List.of(obj("role", "user", "content", "What's the weather in Vancouver?"),
                        obj("role", "assistant", "content", null, "tool_calls", List.of(obj("id", "call_1", "type",
                                "function", "function", obj("name", "get_weather", "arguments",
                                        "{\"location\":\"Vancouver\"}")))),
                        obj("role", "tool", "tool_call_id", "call_1", "content", "Sunny"))));
        assertThat(done.get("message").get("content").get(0).get("text").asString())
                .isEqualTo("The tool `get_weather` returned: Sunny");
    }

    @Test
    void normalizeTheResponseOnRequest() throws IOException {
        String t = signup().token();
        JsonNode r = result(t, CHAT, "complete", obj("messages", List.of("x"), "response", obj("normalize", true)));
        assertThat(r.get("normalized").asBoolean()).isTrue();
        assertThat(r.get("message").get("content").get(0).get("type").asString()).isEqualTo("text");
    }

    @Test
    void puterJs26NormalizeGivesTheOpenAiShape() throws IOException {
        String t = signup().token();
        JsonNode r = result(t, CHAT, "complete", obj("messages", List.of("x"), "normalize", true));
        assertThat(r.get("message").get("content").asString()).endsWith("You said: x");
        assertThat(r.get("finish_reason").asString()).isEqualTo("stop");
        JsonNode tools = result(t, CHAT, "complete", obj("messages", List.of("x"), "normalize", true, "tools",
                List.of(WEATHER)));
        assertThat(tools.get("message").get("tool_calls").get(0).get("function").get("arguments").asString())
                .isEqualTo("{\"location\":\"x\",\"days\":1}");
        assertThat(tools.get("finish_reason").asString()).isEqualTo("tool_calls");
    }

    @Test
    void errorsBeforeTheStreamAreEnvelopes() throws IOException {
        String t = signup().token();
        assertThat(error(t, CHAT, "complete", obj("messages", List.of("x"), "model", "no-such-model", "stream",
                true)).asString()).isEqualTo(AiChat.MODEL_NOT_FOUND);
        assertThat(error(t, CHAT, "complete", obj("messages", "x")).get("code").asString())
                .isEqualTo("field_invalid");
        assertThat(error(t, CHAT, "complete", obj()).get("code").asString()).isEqualTo("missing_required_argument");
    }

    @Test
    void modelListsHideTheTestModelsButTheDriverShowsThem() throws IOException {
        TestHttp.Reply models = http.send("GET", "/puterai/chat/models", null);
        assertThat(models.status()).isEqualTo(200);
        assertThat(models.json().get("models").isArray()).isTrue();
        assertThat(models.text()).doesNotContain("\"fake\"");
        TestHttp.Reply details = http.send("GET", "/puterai/chat/models/details", null);
        assertThat(details.json().get("models").isArray()).isTrue();
        String t = signup().token();
        assertThat(result(t, CHAT, "list", null).toString()).contains("\"fake\"", "\"costly\"", "\"abuse\"");
        JsonNode fake = result(t, CHAT, "models", null).get(0);
        assertThat(fake.get("provider").asString()).isEqualTo("fake-chat");
        assertThat(fake.get("costs").get("input_tokens").asInt()).isZero();
    }

    @Test
    void theProviderNameIsADriverAlias() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", CHAT, "driver", "fake-chat",
                "method", "complete", "args", obj("messages", List.of("x")))), bearer(t));
        assertThat(r.json().get("service").get("name").asString()).isEqualTo("ai-chat");
        assertThat(r.json().get("metadata").get("service_used").asString()).isEqualTo("fake-chat");
    }

    @Test
    void everyAnsweredChatRaisesPromptCompleteStreamsIncluded() throws Exception {
        Account a = signup();
        java.util.concurrent.CompletableFuture<PromptCompleted> seen = new java.util.concurrent.CompletableFuture<>();
        var sub = kernel.events().on(PromptCompleted.EVENT, (key, data, meta) -> {
            if (data instanceof PromptCompleted p && p.username().equals(a.username())) {
                seen.complete(p);
            }
        });
        try {
            puterjs(a.token(), obj("messages", List.of("count me"), "model", "costly", "stream", true), false);
            PromptCompleted p = seen.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(p.serviceUsed()).isEqualTo("fake-chat");
            assertThat(p.modelUsed()).isEqualTo("costly");
            assertThat(p.inputTokens()).isPositive();
            assertThat(p.costMicrocents()).isPositive();
        } finally {
            sub.close();
        }
    }

    @Test
    void chatUsageIsMeteredAndVisible() throws IOException {
        String t = signup().token();
        result(t, CHAT, "complete", obj("messages", List.of("count me"), "model", "costly"));
        TestHttp.Reply usage = http.send("GET", "/drivers/usage", null, bearer(t));
        assertThat(usage.text()).contains("fake-chat:costly:input_tokens", "fake-chat:costly:output_tokens",
                AiChat.COST_USAGE_TYPE);
    }

    @Test
    void theOpenAiCompatibleEndpointWholeAndStreamed() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/puterai/openai/v1/chat/completions", json(obj("model", "fake",
                "messages", List.of(obj("role", "user", "content", "hi")))), bearer(t));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("id").asString()).startsWith("chatcmpl-");
        assertThat(body.get("choices").get(0).get("message").get("content").asString()).endsWith("You said: hi");
        assertThat(body.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(body.get("usage").get("total_tokens").asLong()).isPositive();

        TestHttp.Reply s = http.send("POST", "/puterai/openai/v1/chat/completions", json(obj("model", "fake",
                "stream", true, "tools", List.of(WEATHER), "messages", List.of("Oslo"))), bearer(t));
        assertThat(s.header("content-type")).contains("text/event-stream; charset=utf-8");
        String[] events = s.text().split("\n\n");
        assertThat(events[0]).contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(s.text()).contains("\"tool_calls\":[{\"index\":0,", "\"name\":\"get_weather\"",
                "\"finish_reason\":\"tool_calls\"");
        assertThat(events[events.length - 1].strip()).isEqualTo("data: [DONE]");

        TestHttp.Reply legacy = http.send("POST", "/puterai/openai/v1/completions", json(obj("model", "fake",
                "prompt", "hello")), bearer(t));
        assertThat(legacy.json().get("choices").get(0).get("text").asString()).endsWith("You said: hello");
    }

    @Test
    void theOpenAiResponsesEndpointWholeAndStreamed() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/puterai/openai/v1/responses", json(obj("model", "fake",
                "instructions", "Be brief.", "input", List.of(obj("role", "developer", "content", "Really."),
                        obj("role", "user", "content", List.of(obj("type", "input_text", "text", "hi")))))),
                bearer(t));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("object").asString()).isEqualTo("response");
        assertThat(body.get("status").asString()).isEqualTo("completed");
        assertThat(body.get("instructions").asString()).isEqualTo("Be brief.");
        assertThat(body.get("output_text").asString()).endsWith("You said: hi");
        assertThat(body.get("output").get(0).get("content").get(0).get("type").asString()).isEqualTo("output_text");
        assertThat(body.get("usage").get("total_tokens").asLong()).isPositive();

        Map<String, Object> fn = obj("type", "function", "name", "get_weather", "parameters", obj("type", "object",
                "properties", obj("location", obj("type", "string"))));
        TestHttp.Reply called = http.send("POST", "/puterai/openai/v1/responses", json(obj("model", "fake",
                "tools", List.of(fn), "input", "Oslo")), bearer(t));
        JsonNode call = called.json().get("output").get(0);
        assertThat(call.get("type").asString()).isEqualTo("function_call");
        assertThat(call.get("arguments").asString()).isEqualTo("{\"location\":\"Oslo\"}");
        TestHttp.Reply answered = http.send("POST", "/puterai/openai/v1/responses", json(obj("model", "fake",
                "tools", List.of(fn), "input", List.of("Oslo", obj("type", "function_call", "call_id",
                        call.get("call_id").asString(), "name", "get_weather", "arguments", "{}"),
                        obj("type", "function_call_output", "call_id", call.get("call_id").asString(), "output",
                                "Rain")))), bearer(t));
        assertThat(answered.json().get("output_text").asString()).isEqualTo("The tool `get_weather` returned: Rain");

        TestHttp.Reply s = http.send("POST", "/puterai/openai/v1/responses", json(obj("model", "fake", "stream",
                true, "input", "stream")), bearer(t));
        String text = s.text();
        assertThat(text).startsWith("event: response.created\n").contains("event: response.output_item.added",
                "event: response.content_part.added", "event: response.output_text.delta",
                "event: response.output_text.done", "event: response.output_item.done",
                "event: response.completed", "\"sequence_number\":0").endsWith("data: [DONE]\n\n");
        assertThat(text.indexOf("response.output_text.done")).isLessThan(text.indexOf("response.completed"));
    }

    @Test
    void theAnthropicCompatibleEndpointWholeAndStreamed() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/puterai/anthropic/v1/messages", json(obj("model", "fake",
                "max_tokens", 64, "system", "Be brief.", "messages", List.of(obj("role", "user", "content", "hi")))),
                "x-api-key: " + t);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("type").asString()).isEqualTo("message");
        assertThat(body.get("content").get(0).get("text").asString()).endsWith("You said: hi");
        assertThat(body.get("stop_reason").asString()).isEqualTo("end_turn");

        TestHttp.Reply s = http.send("POST", "/puterai/anthropic/v1/messages", json(obj("model", "fake",
                "max_tokens", 64, "stream", true, "messages", List.of(obj("role", "user", "content", "hi")))),
                "x-api-key: " + t);
        assertThat(s.text()).startsWith("event: message_start\n").contains("event: content_block_delta",
                "\"type\":\"text_delta\"").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Test
    void theCompatibleEndpointsAnswerErrorsInTheSdksShapes() throws IOException {
        TestHttp.Reply none = http.send("POST", "/puterai/openai/v1/chat/completions", json(obj("messages",
                List.of("x"))));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").get("code").asString()).isEqualTo("token_missing");
        String t = signup().token();
        TestHttp.Reply missing = http.send("POST", "/puterai/openai/v1/chat/completions", json(obj("model",
                "no-such-model", "messages", List.of("x"))), bearer(t));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(missing.json().get("error").get("code").asString()).isEqualTo("model_not_found");
        TestHttp.Reply bad = http.send("POST", "/puterai/anthropic/v1/messages", json(obj("messages", "x")),
                "x-api-key: " + t);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("type").asString()).isEqualTo("error");
        assertThat(bad.json().get("error").get("message").asString()).contains("Field `messages` is invalid");
        String app = appToken(signup(), "https://app.example.org").getKey();
        assertThat(http.send("POST", "/puterai/openai/v1/chat/completions", json(obj("messages", List.of("x"))),
                bearer(app)).status()).isEqualTo(403);
    }
}
