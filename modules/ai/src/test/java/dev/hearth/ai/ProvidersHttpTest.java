package dev.hearth.ai;

import static dev.hearth.ai.FakeProviderServer.data;
import static dev.hearth.ai.FakeProviderServer.event;
import static dev.hearth.ai.FakeProviderServer.answer;
import static dev.hearth.ai.FakeProviderServer.sse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.drivers.testing.TestHttp;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI, Anthropic and generic OpenAI-compatible providers against in-process fakes of their wire formats:
 * requests checked field by field, recorded-style answers and streams, every failure a clear error.
 */
class ProvidersHttpTest extends DriverHttpFixture {

    static final String CHAT = "puter-chat-completion";
    static final String OPENAI_KEY = "sk-test-SECRETKEY1234567890";
    static final String CLAUDE_KEY = "sk-ant-test-SECRET999888777";

    final FakeProviderServer openai;
    final FakeProviderServer claude;
    final FakeProviderServer backup;

    ProvidersHttpTest() throws IOException {
        openai = new FakeProviderServer();
        claude = new FakeProviderServer();
        backup = new FakeProviderServer();
    }

    @Override
    protected boolean postgres() {
        return false;
    }

    @Override
    protected List<Module> modules() {
        return List.of(new AiModule(), new TestFilesModule());
    }

    @Override
    protected Config configure(Config config) {
        return config.with("services.ai-chat.providers.ollama.enabled", false)
                .with("services.openai-completion", Map.of("apiKey", OPENAI_KEY, "base_url", openai.baseUrl()))
                .with("services.claude", Map.of("apiKey", CLAUDE_KEY, "base_url", claude.baseUrl()))
                .with("services.ai-chat.providers.backup", Map.of("type", "openai-compatible", "base_url",
                        backup.baseUrl(), "models", List.of(Map.of("id", "gpt-5-nano", "costs",
                                Map.of("input_tokens", 1000, "output_tokens", 1000)))))
                .with("services.ai-chat.stream_idle_timeout_seconds", 1)
                .with("services.ai-chat.request_timeout_seconds", 2)
                .with("extensions.metering.unlimitedAllowList", List.of())
                .with("services.ai-chat.concurrentRequests.limit", 1);
    }

    @BeforeEach
    void resetFakes() {
        openai.reset();
        claude.reset();
        backup.reset();
    }

    @AfterAll
    void stopFakes() {
        openai.close();
        claude.close();
        backup.close();
    }

    static List<JsonNode> lines(TestHttp.Reply r) {
        return OfflineChatHttpTest.lines(r);
    }

    TestHttp.Reply chat(String token, Object args) throws IOException {
        return call(token, CHAT, "complete", args);
    }

    static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1745000000,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null,"annotations":[]},
                         "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11,
                      "prompt_tokens_details":{"cached_tokens":2}}}""";

    static final Map<String, Object> WEATHER = OfflineChatHttpTest.WEATHER;

    @Test
    void openAiRequestsAreCheckedFieldByFieldAndAnswerInTheOpenAiShape() throws IOException {
        openai.then(answer(200, OPENAI_ANSWER));
        String t = signup().token();
        TestHttp.Reply r = chat(t, obj("model", "GPT-4o-mini", "temperature", 0, "max_tokens", 100, "tools",
                List.of(WEATHER), "messages", List.of(obj("role", "system", "content", "Be brief."),
                        obj("role", "user", "content", List.of("Look", obj("image_url", obj("url",
                                "data:image/png;base64,AAAA")))),
                        obj("role", "assistant", "content", null, "tool_calls", List.of(obj("id", "call_1", "type",
                                "function", "function", obj("name", "get_weather", "arguments",
                                        "{\"location\":\"Vancouver\"}")))),
                        obj("role", "tool", "tool_call_id", "call_1", "content", "Sunny"))));
        JsonNode body = r.json();
        assertThat(body.get("success").asBoolean()).as(r.toString()).isTrue();
        assertThat(body.get("metadata").toString())
                .isEqualTo("{\"service_used\":\"openai-completion\",\"providerUsed\":\"gpt-4o-mini\"}");
        JsonNode result = body.get("result");
        assertThat(result.get("message").get("content").asString()).isEqualTo("Hello!");
        assertThat(result.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(result.get("usage").toString())
                .isEqualTo("{\"prompt_tokens\":6,\"completion_tokens\":3,\"cached_tokens\":2}");
        assertThat(result.get("via_ai_chat_service").asBoolean()).isTrue();

        FakeProviderServer.Seen seen = openai.last();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/v1/chat/completions");
        assertThat(seen.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        assertThat(seen.header("content-type")).isEqualTo("application/json");
        JsonNode sent = seen.body();
        assertThat(sent.get("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(sent.get("temperature").asDouble()).isZero();
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(100);
        assertThat(sent.get("stream").asBoolean()).isFalse();
        assertThat(sent.has("stream_options")).isFalse();
        assertThat(sent.get("user").asString()).hasSize(32).doesNotContain(signup().uuid());
        assertThat(sent.get("tools")).isEqualTo(Json.mapper().valueToTree(List.of(WEATHER)));
        assertThat(sent.get("messages")).isEqualTo(Json.mapper().readTree("""
                [{"role":"system","content":"Be brief."},
                 {"role":"user","content":[{"type":"text","text":"Look"},{"image_url":{"url":"data:image/png;base64,AAAA"},"type":"image_url"}]},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Vancouver\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"Sunny"}]"""));
    }

    @Test
    void openAiStreamsWithSplitLinesAndParallelToolCalls() throws IOException {
        String c1 = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"Let me\"},\"finish_reason\":null}]}";
        String c2 = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" check ✓\"},\"finish_reason\":null}]}";
        String c3 = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"loc\"}},"
                + "{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"\"}}]},\"finish_reason\":null}]}";
        String c4 = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":"
                + "{\"arguments\":\"{\\\"location\\\":\\\"Paris\\\"}\"}},{\"index\":0,\"function\":{\"arguments\":"
                + "\"ation\\\":\\\"Oslo\\\"}\"}}]},\"finish_reason\":null}]}";
        String c5 = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}";
        String c6 = "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":71,\"completion_tokens\":17,"
                + "\"total_tokens\":88}}";
        String all = ": keep-alive\n\n" + data(c1) + data(c2) + data(c3) + data(c4) + data(c5) + data(c6)
                + "data: [DONE]\n\n";
        // split into small pieces, cutting lines and a multi-byte character anywhere
        List<String> pieces = new java.util.ArrayList<>();
        for (int i = 0; i < all.length(); i += 7) {
            pieces.add(all.substring(i, Math.min(all.length(), i + 7)));
        }
        openai.then(sse(pieces.toArray(String[]::new)));
        String t = signup().token();
        TestHttp.Reply r = chat(t, obj("model", "gpt-4o-mini", "stream", true, "tools", List.of(WEATHER),
                "messages", List.of("weather?")));
        assertThat(r.header("content-type")).contains(AiChat.NDJSON);
        List<JsonNode> lines = lines(r);
        assertThat(lines).extracting(l -> l.get("type").asString())
                .containsExactly("text", "text", "tool_use", "tool_use", "usage");
        assertThat(lines.get(0).get("text").asString() + lines.get(1).get("text").asString())
                .isEqualTo("Let me check ✓");
        assertThat(lines.get(2).toString()).isEqualTo("{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":"
                + "\"get_weather\",\"input\":{\"location\":\"Oslo\"},\"text\":\"\"}");
        assertThat(lines.get(3).get("input").get("location").asString()).isEqualTo("Paris");
        assertThat(lines.get(4).toString()).isEqualTo("{\"type\":\"usage\",\"usage\":{\"prompt_tokens\":71,"
                + "\"completion_tokens\":17,\"cached_tokens\":0}}");
        JsonNode sent = openai.last().body();
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    }

    @Test
    void aStreamIsRelayedAsItArrivesNotBuffered() throws Exception {
        CountDownLatch firstLineSeen = new CountDownLatch(1);
        String c1 = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"},\"finish_reason\":null}]}";
        String c2 = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" second\"},\"finish_reason\":\"stop\"}]}";
        openai.then(FakeProviderServer.sseGated(firstLineSeen, 1, data(c1), data(c2), "data: [DONE]\n\n"));
        String t = signup().token();
        HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(http.origin() + "/drivers/call")).header("Content-Type", "text/plain;actually=json")
                .POST(HttpRequest.BodyPublishers.ofString(json(obj("interface", CHAT, "driver", "ai-chat", "method",
                        "complete", "auth_token", t, "args", obj("model", "gpt-4o-mini", "stream", true,
                                "messages", List.of("hi")))))).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.headers().firstValue("content-type")).contains("application/x-ndjson");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            long start = System.nanoTime();
            String first = in.readLine();
            assertThat((System.nanoTime() - start) / 1_000_000).as("the first line came before the rest was sent")
                    .isLessThan(4000);
            assertThat(first).isEqualTo("{\"type\":\"text\",\"text\":\"first\"}");
            assertThat(chat(t, obj("model", "fake", "messages", List.of("meanwhile"))).json().get("error").get("code")
                    .asString()).as("one chat at a time for this user").isEqualTo("too_many_requests");
            firstLineSeen.countDown();
            assertThat(in.readLine()).isEqualTo("{\"type\":\"text\",\"text\":\" second\"}");
            assertThat(in.readLine()).startsWith("{\"type\":\"usage\"");
            assertThat(in.readLine()).isNull();
        }
    }

    @Test
    void aClientLeavingMidStreamClosesTheProvidersConnection() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        CountDownLatch providerSawTheClose = new CountDownLatch(1);
        String delta = data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick \"},\"finish_reason\":null}]}");
        openai.then(ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            java.io.OutputStream out = ex.getResponseBody();
            out.write(delta.getBytes(StandardCharsets.UTF_8));
            out.flush();
            clientGone.await(5, java.util.concurrent.TimeUnit.SECONDS);
            try {
                for (int i = 0; i < 100; i++) {
                    Thread.sleep(50);
                    out.write(delta.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                providerSawTheClose.countDown();
            }
        });
        String t = signup().token();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", kernel.services().get(
                dev.hearth.web.WebServer.class).port())) {
            byte[] body = json(obj("interface", CHAT, "method", "complete", "auth_token", t, "args", obj("model",
                    "gpt-4o-mini", "stream", true, "messages", List.of("hi")))).getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /drivers/call HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("\"type\":\"text\"")) {
                // the status line, the headers, a chunk size
            }
            assertThat(line).contains("tick");
        }
        clientGone.countDown();
        assertThat(providerSawTheClose.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("Hearth hung up on the provider once its client was gone").isTrue();
    }

    @Test
    void providerFailuresAreClearErrorsWithoutTheKey() throws IOException {
        String t = signup().token();
        openai.then(answer(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + OPENAI_KEY
                + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        TestHttp.Reply auth = chat(t, obj("model", "gpt-4o-mini", "messages", List.of("hi")));
        assertThat(auth.text()).doesNotContain(OPENAI_KEY).doesNotContain("SECRETKEY");
        assertThat(auth.json().get("error").get("code").asString()).isEqualTo("ai_provider_auth_failed");

        openai.then(answer(429, "{\"error\":{\"message\":\"Rate limit reached\"}}"));
        assertThat(chat(t, obj("model", "gpt-4o-mini", "messages", List.of("hi"))).json().get("error")
                .get("code").asString()).isEqualTo("ai_provider_rate_limited");

        openai.then(answer(404, "{\"error\":{\"message\":\"The model `gpt-4o-mini` does not exist\"}}"));
        JsonNode missing = chat(t, obj("model", "gpt-4o-mini", "messages", List.of("hi"))).json().get("error");
        assertThat(missing.get("code").asString()).isEqualTo("model_not_found");
        assertThat(missing.get("message").asString()).contains("Available models: gpt-5-nano", "gpt-4o-mini");

        openai.then(answer(400, "{\"error\":{\"message\":\"Invalid 'messages[0].role'\",\"type\":"
                + "\"invalid_request_error\"}}"));
        JsonNode bad = chat(t, obj("model", "gpt-4o-mini", "messages", List.of("hi"))).json().get("error");
        assertThat(bad.get("code").asString()).isEqualTo("error_400_from_delegate");
        assertThat(bad.get("message").asString())
                .isEqualTo("Error 400 from delegate `openai-completion`: Invalid 'messages[0].role'");

        openai.then(FakeProviderServer.slow(3500, answer(200, OPENAI_ANSWER)));
        assertThat(chat(t, obj("model", "gpt-4o-mini", "messages", List.of("hi"))).json().get("error")
                .get("code").asString()).isEqualTo("ai_provider_timeout");
    }

    @Test
    void aTransientFailureFallsBackToAnotherProviderOfTheModelButTheCallersErrorDoesNot() throws IOException {
        String t = signup().token();
        openai.then(answer(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        backup.then(answer(200, OPENAI_ANSWER));
        TestHttp.Reply r = chat(t, obj("model", "gpt-5-nano", "provider", "openai-completion", "messages",
                List.of("hi")));
        assertThat(r.json().get("metadata").get("service_used").asString()).as(r.toString()).isEqualTo("backup");
        assertThat(openai.seen()).hasSize(1);
        assertThat(backup.last().header("authorization")).isNull();
        assertThat(backup.last().body().has("max_completion_tokens")).isFalse();

        openai.then(answer(400, "{\"error\":{\"message\":\"bad\"}}"));
        assertThat(chat(t, obj("model", "gpt-5-nano", "provider", "openai-completion", "messages", List.of("hi")))
                .json().get("error").get("code").asString()).isEqualTo("error_400_from_delegate");
        assertThat(backup.seen()).hasSize(1);

        openai.then(answer(500, "{}"));
        backup.then(answer(502, "{}"));
        JsonNode all = chat(t, obj("model", "gpt-5-nano", "provider", "openai-completion", "messages",
                List.of("hi"))).json().get("error");
        assertThat(all.get("code").asString()).isEqualTo("ai_chat_all_providers_failed");
        assertThat(all.get("attempts")).hasSize(2);
    }

    @Test
    void aProviderFailingMidStreamGivesAnErrorLineNotAHungConnection() throws IOException {
        String t = signup().token();
        String c1 = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":null}]}";
        openai.then(sse(data(c1)));
        List<JsonNode> broken = lines(chat(t, obj("model", "gpt-4o-mini", "stream", true, "messages",
                List.of("hi"))));
        assertThat(broken).extracting(l -> l.get("type").asString()).containsExactly("text", "error");
        assertThat(broken.get(1).get("message").asString()).contains("ended before it was complete");

        openai.then(FakeProviderServer.stall(5000, data(c1)));
        long start = System.nanoTime();
        List<JsonNode> stalled = lines(chat(t, obj("model", "gpt-4o-mini", "stream", true, "messages",
                List.of("hi"))));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4500);
        assertThat(stalled).extracting(l -> l.get("type").asString()).containsExactly("text", "error");
        assertThat(stalled.get(1).get("message").asString()).contains("sent nothing for 1 s");

        openai.then(sse(data("{\"error\":{\"message\":\"server had an error\"}}")));
        assertThat(lines(chat(t, obj("model", "gpt-4o-mini", "stream", true, "messages", List.of("hi")))).getFirst()
                .get("message").asString()).isEqualTo("server had an error");
    }

    static final String CLAUDE_ANSWER = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
             "content":[{"type":"text","text":"Hello!"},{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"location":"Vancouver"}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":40,
             "cache_read_input_tokens":0,"cache_creation_input_tokens":0}}""";

    @Test
    void anthropicRequestsAndAnswersKeepClaudesShape() throws IOException {
        claude.then(answer(200, CLAUDE_ANSWER));
        String t = signup().token();
        TestHttp.Reply r = call(t, CHAT, "complete", obj("model", "claude-haiku-4-5", "max_tokens", 256,
                "temperature", 0.5, "tools", List.of(WEATHER), "messages", List.of(
                        obj("role", "system", "content", "Be brief."),
                        obj("role", "user", "content", "Weather in Vancouver?"),
                        obj("role", "assistant", "content", null, "tool_calls", List.of(obj("id", "toolu_0", "type",
                                "function", "function", obj("name", "get_weather", "arguments",
                                        "{\"location\":\"Vancouver\"}")))),
                        obj("role", "tool", "tool_call_id", "toolu_0", "content", "Sunny"),
                        obj("role", "user", "content", "And tomorrow?"))));
        JsonNode body = r.json();
        assertThat(body.get("metadata").get("service_used").asString()).as(r.toString()).isEqualTo("claude");
        JsonNode result = body.get("result");
        assertThat(result.get("message")).isEqualTo(Json.mapper().readTree(CLAUDE_ANSWER));
        assertThat(result.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(result.get("usage").get("input_tokens").asLong()).isEqualTo(12);
        FakeProviderServer.Seen seen = claude.last();
        assertThat(seen.path()).isEqualTo("/v1/messages");
        assertThat(seen.header("x-api-key")).isEqualTo(CLAUDE_KEY);
        assertThat(seen.header("anthropic-version")).isEqualTo(AnthropicProvider.VERSION);
        assertThat(seen.header("authorization")).isNull();
        JsonNode sent = seen.body();
        assertThat(sent.get("model").asString()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(sent.get("system").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"Be brief.\"}]");
        assertThat(sent.get("tools").get(0).toString()).isEqualTo("{\"name\":\"get_weather\",\"description\":"
                + "\"weather\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":"
                + "\"string\"},\"days\":{\"type\":\"integer\"}},\"required\":[\"location\"]}}");
        assertThat(sent.get("messages")).isEqualTo(Json.mapper().readTree("""
                [{"role":"user","content":[{"type":"text","text":"Weather in Vancouver?"}]},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_0","name":"get_weather","input":{"location":"Vancouver"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_0","content":"Sunny"},{"type":"text","text":"And tomorrow?"}]}]"""));
    }

    @Test
    void anthropicStreamsTextThinkingAndToolCalls() throws IOException {
        claude.then(sse(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":"
                        + "{\"input_tokens\":25,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"thinking\",\"thinking\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                        + "\"thinking_delta\",\"thinking\":\"hmm\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("ping", "{\"type\":\"ping\"}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                        + "{\"type\":\"text\",\"text\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
                        + "\"text_delta\",\"text\":\"Checking\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"get_weather\",\"input\":{}}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":"
                        + "\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"Van\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":"
                        + "\"input_json_delta\",\"partial_json\":\"couver\\\"}\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":89}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        String t = signup().token();
        List<JsonNode> lines = lines(call(t, CHAT, "complete", obj("model", "claude-haiku-4-5", "stream", true,
                "reasoning_effort", "low", "messages", List.of("weather?"))));
        assertThat(lines).extracting(l -> l.get("type").asString())
                .containsExactly("reasoning", "text", "tool_use", "usage");
        assertThat(lines.get(0).get("reasoning").asString()).isEqualTo("hmm");
        assertThat(lines.get(2).get("input").toString()).isEqualTo("{\"location\":\"Vancouver\"}");
        assertThat(lines.get(3).get("usage").get("input_tokens").asLong()).isEqualTo(25);
        assertThat(lines.get(3).get("usage").get("output_tokens").asLong()).isEqualTo(89);
        JsonNode sent = claude.last().body();
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("thinking").toString()).isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":1024}");

        claude.then(sse(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{}}}"),
                event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
                        + "\"Overloaded\"}}")));
        List<JsonNode> failed = lines(call(t, CHAT, "complete", obj("model", "claude-haiku-4-5", "stream", true,
                "messages", List.of("x"))));
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().toString()).isEqualTo("{\"type\":\"error\",\"message\":\"Overloaded\"}");
    }

    @Test
    void theModelListsShowTheConfiguredProviders() throws IOException {
        JsonNode models = http.send("GET", "/puterai/chat/models", null).json().get("models");
        assertThat(models.toString()).contains("\"gpt-5-nano\"", "\"anthropic:anthropic/claude-haiku-4-5\"")
                .doesNotContain("\"fake\"");
        JsonNode details = http.send("GET", "/puterai/chat/models/details", null).json().get("models");
        JsonNode haiku = null;
        for (JsonNode m : details) {
            if (m.get("id").asString().equals("claude-haiku-4-5-20251001")) {
                haiku = m;
            }
        }
        assertThat(haiku).isNotNull();
        assertThat(haiku.get("provider").asString()).isEqualTo("claude");
        assertThat(haiku.get("costs").get("input_tokens").asInt()).isEqualTo(100);
        assertThat(haiku.get("max_tokens").asInt()).isEqualTo(64000);
    }

    @Test
    void theAllowanceRunsOutWithInsufficientFunds() throws IOException {
        String t = signup().token();
        // at the backup's 1000 µ¢ per token, the estimate of this prompt alone exceeds the 25 000 000 µ¢ allowance
        String big = "word ".repeat(40_000);
        JsonNode e = chat(t, obj("model", "gpt-5-nano", "provider", "backup", "messages", List.of(big))).json()
                .get("error");
        assertThat(e.get("code").asString()).isEqualTo("insufficient_funds");
        assertThat(e.get("status").asInt()).isEqualTo(402);
        assertThat(e.get("delegate").asString()).isEqualTo("usage-limited-chat");
        assertThat(backup.seen()).isEmpty();
    }

    @Test
    void openAiResponsesApiForItsModelsAndForTheWebSearchTool() throws IOException {
        openai.then(answer(200, """
                {"id":"resp_1","object":"response","status":"completed","output":[
                  {"id":"rs_1","type":"reasoning","summary":[]},
                  {"id":"msg_1","type":"message","role":"assistant","status":"completed",
                   "content":[{"type":"output_text","text":"Deep answer","annotations":[]}]},
                  {"id":"fc_1","type":"function_call","call_id":"call_1","name":"get_weather",
                   "arguments":"{\\"location\\":\\"Rome\\"}","status":"completed"}],
                 "usage":{"input_tokens":30,"input_tokens_details":{"cached_tokens":10},"output_tokens":7}}"""));
        String t = signup().token();
        TestHttp.Reply r = chat(t, obj("model", "o3-pro", "reasoning_effort", "high", "max_tokens", 500, "tools",
                List.of(WEATHER), "messages", List.of(obj("role", "system", "content", "Think."),
                        obj("role", "user", "content", "Rome?"),
                        obj("role", "assistant", "content", null, "tool_calls", List.of(
                                obj("id", "c1", "type", "function", "function", obj("name", "get_weather",
                                        "arguments", "{}")),
                                obj("id", "c2", "type", "function", "function", obj("name", "get_weather",
                                        "arguments", "{}")))),
                        obj("role", "tool", "tool_call_id", "c1", "content", "a"),
                        obj("role", "tool", "tool_call_id", "c2", "content", "b"))));
        JsonNode result = r.json().get("result");
        assertThat(r.json().get("metadata").get("service_used").asString()).as(r.toString())
                .isEqualTo("openai-responses");
        assertThat(result.get("message").get("content").asString()).isEqualTo("Deep answer");
        assertThat(result.get("message").get("tool_calls").get(0).get("id").asString()).isEqualTo("call_1");
        assertThat(result.get("message").get("tool_calls").get(0).get("canonical_id").asString()).isEqualTo("fc_1");
        assertThat(result.get("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(result.get("usage").toString())
                .isEqualTo("{\"prompt_tokens\":20,\"completion_tokens\":7,\"cached_tokens\":10}");
        FakeProviderServer.Seen seen = openai.last();
        assertThat(seen.path()).isEqualTo("/v1/responses");
        assertThat(seen.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        JsonNode sent = seen.body();
        assertThat(sent.get("max_output_tokens").asInt()).isEqualTo(500);
        assertThat(sent.get("reasoning").get("effort").asString()).isEqualTo("high");
        assertThat(sent.get("tools").get(0).get("name").asString()).isEqualTo("get_weather");
        assertThat(sent.get("input")).isEqualTo(Json.mapper().readTree("""
                [{"role":"system","content":[{"type":"input_text","text":"Think."}]},
                 {"role":"user","content":[{"type":"input_text","text":"Rome?"}]},
                 {"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{}"},
                 {"type":"function_call","call_id":"c2","name":"get_weather","arguments":"{}"},
                 {"type":"function_call_output","call_id":"c1","output":"a"},
                 {"type":"function_call_output","call_id":"c2","output":"b"}]"""));

        openai.then(sse(
                event("response.created", "{\"type\":\"response.created\",\"sequence_number\":0}"),
                event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"Searched \"}"),
                event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"the web\"}"),
                event("response.output_item.done", "{\"type\":\"response.output_item.done\",\"item\":{\"id\":"
                        + "\"fc_2\",\"type\":\"function_call\",\"call_id\":\"call_2\",\"name\":\"get_weather\","
                        + "\"arguments\":\"{\\\"location\\\":\\\"Oslo\\\"}\"}}"),
                event("response.completed", "{\"type\":\"response.completed\",\"response\":{\"usage\":"
                        + "{\"input_tokens\":5,\"output_tokens\":3}}}")));
        List<JsonNode> lines = lines(chat(t, obj("model", "gpt-4o-mini", "stream", true, "tools",
                List.of(obj("type", "web_search"), WEATHER), "messages", List.of("news?"))));
        assertThat(lines).extracting(l -> l.get("type").asString()).containsExactly("text", "text", "tool_use",
                "usage");
        assertThat(lines.get(2).get("input").get("location").asString()).isEqualTo("Oslo");
        assertThat(openai.last().path()).as("web_search goes to the Responses API").isEqualTo("/v1/responses");
        assertThat(openai.last().body().get("tools").get(0).toString()).isEqualTo("{\"type\":\"web_search\"}");
    }

    @Test
    void puterFilesInMessagesAreReadWithTheCallersRightsAndInlined() throws IOException {
        openai.then(answer(200, OPENAI_ANSWER));
        String t = signup().token();
        TestHttp.Reply r = chat(t, obj("model", "gpt-4o-mini", "messages", List.of(obj("role", "user", "content",
                List.of("What is this?", obj("puter_path", "/alice/cat.png"), obj("puter_path",
                        "/alice/notes.txt"))))));
        assertThat(r.json().get("success").asBoolean()).as(r.toString()).isTrue();
        JsonNode parts = openai.last().body().get("messages").get(0).get("content");
        assertThat(parts.get(1).toString()).isEqualTo("{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(TestFilesModule.PNG)
                + "\"}}");
        assertThat(parts.get(2).toString()).isEqualTo("{\"type\":\"text\",\"text\":\"remember the milk\"}");

        JsonNode missing = chat(t, obj("model", "gpt-4o-mini", "messages", List.of(obj("content", List.of(
                obj("puter_path", "/alice/nothing.png")))))).json().get("error");
        assertThat(missing.get("code").asString()).isEqualTo("subject_does_not_exist");
        assertThat(openai.seen()).hasSize(1);
    }
}
