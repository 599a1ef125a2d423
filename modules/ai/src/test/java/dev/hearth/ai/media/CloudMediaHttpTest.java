package dev.hearth.ai.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.hearth.ai.AiModule;
import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.drivers.testing.TestHttp;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/**
 * The cloud adapters through {@code POST /drivers/call}, each against an in-process fake speaking its wire format:
 * OpenAI images, speech, transcription and translation; Gemini images; Mistral OCR. Requests are checked field by
 * field; provider failures (bad key, rate limit, time-out, bad request) become driver errors that never carry the key.
 */
class CloudMediaHttpTest extends DriverHttpFixture {

    static final String KEY = "sk-test-SECRETKEY1234567890";
    static final String GEMINI_KEY = "AIzaFAKEGEMINIKEY0123456789";
    static final String MISTRAL_KEY = "mistral-secret-key-42";

    private FakeProviders fake;

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
        try {
            fake = new FakeProviders();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return config.with("services.openai.apiKey", KEY).with("services.openai.baseUrl", fake.url("/v1"))
                .with("services.gemini.apiKey", GEMINI_KEY).with("services.gemini.baseUrl", fake.url("/gemini/v1beta"))
                .with("services.mistral.apiKey", MISTRAL_KEY).with("services.mistral.baseUrl", fake.url("/mistral/v1"))
                .with("services.openai.models", List.of("flux-local"))
                .with("services.ai-tts.request_timeout_seconds", 1)
                .with("extensions.metering.monthly_allowance_microcents", 10_000_000);
    }

    @AfterAll
    void stopFake() {
        fake.close();
    }

    static byte[] pngBytes() {
        return Samples.picture("fake provider picture", 64, 32);
    }

    String noKeys(TestHttp.Reply r) {
        assertThat(r.text()).doesNotContain(KEY).doesNotContain(GEMINI_KEY).doesNotContain(MISTRAL_KEY)
                .doesNotContain("SECRETKEY");
        return r.text();
    }

    // -------------------------------------------------------------------------------------------------------------
    // Images

    @Test
    void openAiGptImageRequestAndRawPngAnswer() throws IOException {
        String t = signup().token();
        byte[] png = pngBytes();
        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(200, Map.of("created", 1,
                "data", List.of(Map.of("b64_json", Base64.getEncoder().encodeToString(png))),
                "usage", Map.of("total_tokens", 100))));
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-image-generation",
                "driver", "ai-image", "method", "generate", "test_mode", false, "args", obj("prompt",
                        "a teapot made of cheese", "model", "GPT-Image-1", "quality", "low", "ratio",
                        obj("w", 1536, "h", 1024)), "auth_token", t)), "Content-Type: text/plain;actually=json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).contains("image/png");
        assertThat(r.body()).isEqualTo(png);
        FakeProviders.Recorded req = fake.last("/v1/images/generations");
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.header("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(req.header("content-type")).isEqualTo("application/json");
        JsonNode body = req.json();
        assertThat(body.get("model").asString()).isEqualTo("gpt-image-1");
        assertThat(body.get("prompt").asString()).isEqualTo("a teapot made of cheese");
        assertThat(body.get("n").asInt()).isEqualTo(1);
        assertThat(body.get("size").asString()).isEqualTo("1536x1024");
        assertThat(body.get("quality").asString()).isEqualTo("low");
        assertThat(body.has("response_format")).as("gpt-image models refuse it").isFalse();
        JsonNode usage = result(t, "driver", "usage", obj()).get("usages");
        assertThat(usage.toString()).contains("\"usage_type\":\"openai:gpt-image-1:low:image\",\"units\":1")
                .contains("\"usage_type\":\"ai-media:microcents\",\"units\":1100000");
    }

    @Test
    void dallEIsAskedForBase64AndAUrlAnswerIsFollowed() throws IOException {
        String t = signup().token();
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};
        fake.on("/files/picture", r -> FakeProviders.Canned.bytes("image/jpeg", jpeg));
        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(200, Map.of("created", 1,
                "data", List.of(Map.of("url", fake.url("/files/picture"))))));
        TestHttp.Reply r = call(t, "puter-image-generation", "generate", obj("prompt", "a fox", "model", "dall-e-3",
                "quality", "hd", "width", 1024, "height", 1800));
        assertThat(r.header("content-type")).contains("image/jpeg");
        assertThat(r.body()).isEqualTo(jpeg);
        JsonNode body = fake.last("/v1/images/generations").json();
        assertThat(body.get("response_format").asString()).isEqualTo("b64_json");
        assertThat(body.get("size").asString()).isEqualTo("1024x1792");
        assertThat(body.get("quality").asString()).isEqualTo("hd");
    }

    @Test
    void geminiImageModelsGoToGenerateContentWithTheKeyInAHeader() throws IOException {
        String t = signup().token();
        byte[] png = pngBytes();
        fake.on("/gemini/v1beta/models/gemini-2.5-flash-image:generateContent", r -> FakeProviders.Canned.json(200,
                Map.of("candidates", List.of(Map.of("content", Map.of("role", "model", "parts", List.of(
                        Map.of("text", "Here is your image"),
                        Map.of("inlineData", Map.of("mimeType", "image/png", "data",
                                Base64.getEncoder().encodeToString(png))))))),
                        "usageMetadata", Map.of("promptTokenCount", 7))));
        TestHttp.Reply r = call(t, "puter-image-generation", "generate", obj("prompt", "a banana", "model",
                "gemini-2.5-flash-image", "ratio", obj("w", 1792, "h", 1024)));
        assertThat(r.header("content-type")).as(r.toString()).contains("image/png");
        assertThat(r.body()).isEqualTo(png);
        FakeProviders.Recorded req = fake.last("/gemini/v1beta/models/gemini-2.5-flash-image:generateContent");
        assertThat(req.header("x-goog-api-key")).isEqualTo(GEMINI_KEY);
        assertThat(req.query()).as("no key in the URL").isNull();
        JsonNode body = req.json();
        assertThat(body.at("/contents/0/parts/0/text").asString()).isEqualTo("a banana");
        assertThat(body.at("/generationConfig/responseModalities").toString()).isEqualTo("[\"TEXT\",\"IMAGE\"]");
        assertThat(body.at("/generationConfig/imageConfig/aspectRatio").asString()).isEqualTo("16:9");
        fake.on("/gemini/v1beta/models/gemini-2.5-flash-image:generateContent", req2 -> FakeProviders.Canned.json(400,
                Map.of("error", Map.of("code", 400, "message", "API key not valid. Please pass a valid API key.",
                        "status", "INVALID_ARGUMENT", "details", List.of(Map.of("reason", "API_KEY_INVALID"))))));
        TestHttp.Reply bad = call(t, "puter-image-generation", "generate", obj("prompt", "x", "provider", "gemini"));
        assertThat(bad.json().at("/error/code").asString()).isEqualTo("provider_auth_failed");
        noKeys(bad);
    }

    @Test
    void providerFailuresBecomeClearDriverErrorsWithoutKeys() throws IOException {
        String t = signup().token();
        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(401, Map.of("error", obj("message",
                "Incorrect API key provided: " + KEY + ". You can find your API key at https://platform.openai.com.",
                "type", "invalid_request_error", "param", null, "code", "invalid_api_key"))));
        TestHttp.Reply auth = call(t, "puter-image-generation", "generate", obj("prompt", "x", "model", "dall-e-2"));
        assertThat(auth.json().get("success").asBoolean()).isFalse();
        assertThat(auth.json().at("/error/code").asString()).isEqualTo("provider_auth_failed");
        assertThat(auth.json().at("/error/status").asInt()).isEqualTo(502);
        noKeys(auth);

        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(429, Map.of("error", Map.of("message",
                "Rate limit reached for images per minute.", "type", "requests", "code", "rate_limit_exceeded"))));
        TestHttp.Reply limited = call(t, "puter-image-generation", "generate", obj("prompt", "x"));
        assertThat(limited.json().at("/error/code").asString()).isEqualTo("too_many_requests");
        assertThat(limited.json().at("/error/status").asInt()).isEqualTo(429);
        assertThat(limited.json().at("/error/delegate").asString()).isEqualTo("openai");

        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(400, Map.of("error", Map.of("message",
                "Your request was rejected by the safety system. (key " + KEY + ")", "type", "invalid_request_error",
                "code", "content_policy_violation"))));
        TestHttp.Reply rejected = call(t, "puter-image-generation", "generate", obj("prompt", "x"));
        assertThat(rejected.json().at("/error/code").asString()).isEqualTo("error_400_from_delegate");
        assertThat(rejected.json().at("/error/message").asString())
                .startsWith("Error 400 from delegate `openai`: Your request was rejected by the safety system.");
        noKeys(rejected);

        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(503, Map.of("error", "overloaded")));
        assertThat(call(t, "puter-image-generation", "generate", obj("prompt", "x")).json().at("/error/code")
                .asString()).isEqualTo("provider_error");

        assertThat(error(t, "puter-image-generation", "generate", obj("prompt", "x", "model", "no-such-model"))
                .get("code").asString()).isEqualTo("field_invalid");
        assertThat(error(t, "puter-image-generation", "generate", obj("model", "dall-e-2")).get("code").asString())
                .isEqualTo("field_missing");
    }

    @Test
    void aCompatibleServersOwnModelGetsTheSizeAskedFor() throws IOException {
        String t = signup().token();
        byte[] png = pngBytes();
        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(200, Map.of("data",
                List.of(Map.of("b64_json", Base64.getEncoder().encodeToString(png))))));
        TestHttp.Reply r = call(t, "puter-image-generation", "generate", obj("prompt", "a boat", "model", "flux-local",
                "width", 640, "height", 480));
        assertThat(r.body()).isEqualTo(png);
        JsonNode body = fake.last("/v1/images/generations").json();
        assertThat(body.get("model").asString()).isEqualTo("flux-local");
        assertThat(body.get("size").asString()).isEqualTo("640x480");
        assertThat(body.get("response_format").asString()).isEqualTo("b64_json");
        assertThat(body.has("quality")).isFalse();
    }

    @Test
    void anAppsCallsAreMeteredForTheUserAndTheApp() throws IOException {
        Account a = signup();
        Map.Entry<String, String> app = appToken(a, "https://app.example.org");
        fake.on("/v1/audio/speech", r -> FakeProviders.Canned.bytes("audio/mpeg", Samples.mp3()));
        TestHttp.Reply r = call(app.getKey(), "puter-tts", "synthesize", obj("text", "four", "provider", "openai"));
        assertThat(r.header("content-type")).as(r.toString()).contains("audio/mpeg");
        String usage = result(a.token(), "driver", "usage", obj()).toString();
        assertThat(usage).contains("\"usage_type\":\"openai:gpt-4o-mini-tts:character\",\"units\":4")
                .contains("\"usage_type\":\"ai-media:microcents\",\"units\":6000")
                .contains("\"usage_type\":\"app:" + app.getValue() + ":ai-media:microcents\",\"units\":6000")
                .contains("\"usage_type\":\"app:" + app.getValue() + ":openai:gpt-4o-mini-tts:character\"");
    }

    @Test
    void noKeyReachesTheLog() throws IOException {
        String t = signup().token();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(401, Map.of("error", Map.of("message",
                    "Incorrect API key provided: " + KEY))));
            call(t, "puter-image-generation", "generate", obj("prompt", "x"));
            fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(400, Map.of("error", Map.of("message",
                    "bad request for key " + KEY))));
            call(t, "puter-image-generation", "generate", obj("prompt", "x"));
            fake.on("/mistral/v1/ocr", r -> FakeProviders.Canned.json(500, Map.of("detail", "boom " + MISTRAL_KEY)));
            call(t, "puter-ocr", "recognize", obj("source", "data:image/png;base64,AAAA", "provider", "mistral"));
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty();
        for (ch.qos.logback.classic.spi.ILoggingEvent e : appender.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(KEY).doesNotContain(MISTRAL_KEY);
        }
    }

    @Test
    void theAllowanceIsCheckedBeforeTheProviderIsCalled() throws IOException {
        String t = signup().token();
        long before = fake.count("/v1/images/generations");
        JsonNode e = error(t, "puter-image-generation", "generate", obj("prompt", "x", "model", "gpt-image-1",
                "quality", "high"));
        assertThat(e.get("code").asString()).isEqualTo("insufficient_funds");
        assertThat(e.get("status").asInt()).isEqualTo(402);
        assertThat(fake.count("/v1/images/generations")).isEqualTo(before);
    }

    /** A chat with the offline model {@code costly} (1000 µ¢ per input token, 2000 per output token). */
    TestHttp.Reply costlyChat(String token, int words) throws IOException {
        return call(token, "puter-chat-completion", "complete", obj("model", "costly", "messages",
                List.of("word ".repeat(words))));
    }

    @Test
    void chatSpendingLeavesLessForMedia() throws IOException {
        String t = signup().token();
        // about 2 500 000 µ¢ of input and 4 000 000 of output: 3 500 000 of the 10 000 000 remain
        assertThat(costlyChat(t, 2000).json().get("success").asBoolean()).isTrue();
        long before = fake.count("/v1/images/generations");
        JsonNode e = error(t, "puter-image-generation", "generate", obj("prompt", "x", "model", "gpt-image-1",
                "quality", "medium"));
        assertThat(e.get("code").asString()).isEqualTo("insufficient_funds");
        assertThat(e.get("delegate").asString()).isEqualTo("usage-limited-media");
        assertThat(fake.count("/v1/images/generations")).isEqualTo(before);
    }

    @Test
    void mediaSpendingLeavesLessForChat() throws IOException {
        // the prompt's estimate, about 1 940 000 µ¢, fits in a whole allowance…
        assertThat(costlyChat(signup().token(), 1500).json().get("success").asBoolean()).isTrue();
        String t = signup().token();
        byte[] png = pngBytes();
        fake.on("/v1/images/generations", r -> FakeProviders.Canned.json(200, Map.of("created", 1,
                "data", List.of(Map.of("b64_json", Base64.getEncoder().encodeToString(png))))));
        for (int i = 0; i < 2; i++) {
            assertThat(call(t, "puter-image-generation", "generate", obj("prompt", "x", "model", "gpt-image-1",
                    "quality", "medium")).body()).isEqualTo(png);
        }
        // …but not in the 1 600 000 µ¢ two medium images (8 400 000) leave
        JsonNode e = costlyChat(t, 1500).json().get("error");
        assertThat(e.get("code").asString()).isEqualTo("insufficient_funds");
        assertThat(e.get("status").asInt()).isEqualTo(402);
        assertThat(e.get("delegate").asString()).isEqualTo("usage-limited-chat");
    }

    @Test
    void imageTestModeAnswersTheSamplePngWithoutAProvider() throws IOException {
        String t = signup().token();
        long before = fake.requests.size();
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-image-generation",
                "driver", "ai-image", "method", "generate", "test_mode", true, "args", obj("prompt", "p",
                        "test_mode", true))), bearer(t));
        assertThat(r.header("content-type")).contains("image/png");
        assertThat(r.body()).isEqualTo(Samples.png());
        assertThat(fake.requests.size()).isEqualTo(before);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Speech

    @Test
    void openAiSpeechStreamsTheProvidersAudio() throws IOException {
        String t = signup().token();
        byte[] mp3 = Samples.mp3();
        fake.on("/v1/audio/speech", r -> FakeProviders.Canned.bytes("audio/mpeg", mp3));
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-tts", "driver", "ai-tts",
                "method", "synthesize", "test_mode", false, "args", obj("text", "Hello there", "provider", "openai",
                        "voice", "nova", "model", "tts-1-hd", "instructions", "cheerful"), "auth_token", t)),
                "Content-Type: text/plain;actually=json");
        assertThat(r.header("content-type")).contains("audio/mpeg");
        assertThat(r.body()).isEqualTo(mp3);
        FakeProviders.Recorded req = fake.last("/v1/audio/speech");
        assertThat(req.header("authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = req.json();
        assertThat(body.get("model").asString()).isEqualTo("tts-1-hd");
        assertThat(body.get("input").asString()).isEqualTo("Hello there");
        assertThat(body.get("voice").asString()).isEqualTo("nova");
        assertThat(body.get("response_format").asString()).isEqualTo("mp3");
        assertThat(body.get("instructions").asString()).isEqualTo("cheerful");
        assertThat(result(t, "driver", "usage", obj()).toString())
                .contains("\"usage_type\":\"openai:tts-1-hd:character\",\"units\":11");

        // puter.js 2.2.14's shape: driver openai-tts, its client-side defaults, wav asked for
        TestHttp.Reply wav = call(t, "puter-tts", "synthesize", obj("text", "Hi", "voice", "alloy",
                "model", "gpt-4o-mini-tts", "response_format", "wav"));
        assertThat(wav.header("content-type")).contains("audio/wav");
        assertThat(fake.last("/v1/audio/speech").json().get("response_format").asString()).isEqualTo("wav");
    }

    @Test
    void speechErrorsTimeoutsAndValidation() throws IOException {
        String t = signup().token();
        fake.on("/v1/audio/speech", r -> FakeProviders.Canned.bytes("audio/mpeg", new byte[10]).after(3000));
        TestHttp.Reply slow = call(t, "puter-tts", "synthesize", obj("text", "slow", "provider", "openai"));
        assertThat(slow.json().at("/error/code").asString()).isEqualTo("provider_timeout");
        assertThat(slow.json().at("/error/status").asInt()).isEqualTo(504);
        fake.on("/v1/audio/speech", r -> FakeProviders.Canned.json(401, Map.of("error", Map.of("message",
                "Incorrect API key provided: " + KEY, "code", "invalid_api_key"))));
        noKeys(call(t, "puter-tts", "synthesize", obj("text", "x", "provider", "openai")));
        assertThat(error(t, "puter-tts", "synthesize", obj("text", "x", "provider", "openai", "model", "bogus"))
                .get("code").asString()).isEqualTo("field_invalid");
        assertThat(error(t, "puter-tts", "synthesize", obj("provider", "openai")).get("code").asString())
                .isEqualTo("field_required");
    }

    @Test
    void speechTestModeAndListings() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-tts", "driver", "aws-polly",
                "method", "synthesize", "test_mode", true, "args", obj("text", "hi"))), bearer(t));
        assertThat(r.header("content-type")).contains("audio/mpeg");
        assertThat(r.body()).isEqualTo(Samples.mp3());
        JsonNode voices = result(t, "puter-tts", "list_voices", obj("provider", "openai"));
        assertThat(voices.size()).isEqualTo(10);
        assertThat(voices.get(0).get("id").asString()).isEqualTo("alloy");
        assertThat(voices.get(0).at("/language/code").asString()).isEqualTo("en");
        JsonNode engines = result(t, "puter-tts", "list_engines", obj("provider", "openai"));
        assertThat(engines.toString()).contains("\"id\":\"tts-1-hd\",\"name\":\"tts-1-hd\","
                + "\"pricing_per_million_chars\":30,\"provider\":\"openai\"");
        assertThat(result(t, "puter-tts", "list_voices", obj("provider", "elevenlabs")).size()).isZero();
    }

    // -------------------------------------------------------------------------------------------------------------
    // Speech to text

    static void part(ByteArrayOutputStream out, String boundary, String name, String filename, String type,
            byte[] content) throws IOException {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\n"
                + (type == null ? "" : "Content-Type: " + type + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void transcriptionUploadsTheFileArgumentAsMultipart() throws IOException {
        String t = signup().token();
        fake.on("/v1/audio/transcriptions", r -> FakeProviders.Canned.json(200, Map.of("text", "hello world",
                "usage", Map.of("type", "duration", "seconds", 3))));
        byte[] audio = new byte[40_000];
        new java.util.Random(3).nextBytes(audio);
        String boundary = "----hearth" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "object", null, null, json(obj("interface", "puter-speech2txt", "driver",
                "ai-speech2txt", "method", "transcribe", "auth_token", t, "args.file", obj("$", "file", "size",
                        audio.length, "type", "audio/wav"), "args.language", "en", "args.prompt", "greetings",
                "args.timestamp_granularities", List.of("word", "segment"), "args.temperature", 0))
                .getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "file", "clip.wav", "audio/wav", audio);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        TestHttp.Reply r = http.sendBytes("POST", "/drivers/call", body.toByteArray(),
                "Content-Type: multipart/form-data; boundary=" + boundary);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("result").get("text").asString()).as(r.toString()).isEqualTo("hello world");
        FakeProviders.Recorded req = fake.last("/v1/audio/transcriptions");
        assertThat(req.header("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(req.header("content-type")).startsWith("multipart/form-data; boundary=");
        Map<String, FakeProviders.Part> parts = req.parts();
        assertThat(parts.get("model").text()).isEqualTo("gpt-4o-mini-transcribe");
        assertThat(parts.get("response_format").text()).isEqualTo("json");
        assertThat(parts.get("language").text()).isEqualTo("en");
        assertThat(parts.get("prompt").text()).isEqualTo("greetings");
        assertThat(parts.get("temperature").text()).isEqualTo("0");
        assertThat(parts.get("timestamp_granularities[]").text()).isEqualTo("word,segment");
        assertThat(parts.get("file").filename()).isEqualTo("audio.wav");
        assertThat(parts.get("file").type()).isEqualTo("audio/wav");
        assertThat(parts.get("file").bytes()).isEqualTo(audio);
        assertThat(result(t, "driver", "usage", obj()).toString())
                .contains("\"usage_type\":\"openai:gpt-4o-mini-transcribe:second\",\"units\":3");
    }

    @Test
    void translationTextFormatsAndErrors() throws IOException {
        String t = signup().token();
        String dataUrl = "data:audio/mpeg;base64," + Base64.getEncoder().encodeToString(new byte[32_000]);
        fake.on("/v1/audio/translations", r -> FakeProviders.Canned.bytes("text/plain", "Good morning\n"
                .getBytes(StandardCharsets.UTF_8)));
        JsonNode text = result(t, "puter-speech2txt", "translate", obj("file", dataUrl, "response_format", "text"));
        assertThat(text.asString()).isEqualTo("Good morning\n");
        Map<String, FakeProviders.Part> parts = fake.last("/v1/audio/translations").parts();
        assertThat(parts.get("model").text()).isEqualTo("whisper-1");
        assertThat(parts.get("file").filename()).isEqualTo("audio.mp3");
        assertThat(parts.get("file").bytes()).hasSize(32_000);

        assertThat(error(t, "puter-speech2txt", "transcribe", obj("file", dataUrl, "model", "gpt-4o-transcribe",
                "response_format", "srt")).get("code").asString()).isEqualTo("field_invalid");
        assertThat(error(t, "puter-speech2txt", "transcribe", obj("file", dataUrl, "stream", true)).get("code")
                .asString()).isEqualTo("not_yet_supported");
        assertThat(error(t, "puter-speech2txt", "transcribe", obj()).get("code").asString()).isEqualTo("field_missing");

        String boundary = "----hearth" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "object", null, null, json(obj("interface", "puter-speech2txt", "method", "transcribe",
                "auth_token", t, "args.file", obj("$", "file", "size", 26L << 20, "type", "audio/wav")))
                .getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "file", "big.wav", "audio/wav", new byte[10]);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        TestHttp.Reply big = http.sendBytes("POST", "/drivers/call", body.toByteArray(),
                "Content-Type: multipart/form-data; boundary=" + boundary);
        assertThat(big.json().at("/error/code").asString()).as(big.toString()).isEqualTo("file_too_large");

        fake.on("/v1/audio/transcriptions", r -> FakeProviders.Canned.json(429, Map.of("error", Map.of("message",
                "You exceeded your current quota", "code", "insufficient_quota"))));
        assertThat(error(t, "puter-speech2txt", "transcribe", obj("file", dataUrl)).get("code").asString())
                .isEqualTo("too_many_requests");
    }

    @Test
    void transcriptionTestModeAnswersTheSample() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-speech2txt", "driver",
                "openai-speech2txt", "method", "transcribe", "test_mode", true, "args", obj("file",
                        "data:audio/mpeg;base64,AAAA"))), bearer(t));
        assertThat(r.text()).isEqualTo("{\"success\":true,\"service\":{\"name\":\"ai-speech2txt\"},\"result\":"
                + "{\"text\":\"Hello! This is a sample transcription returned while test mode is enabled.\","
                + "\"language\":\"en\",\"duration_seconds\":2,\"words\":[{\"start\":0,\"end\":0.5,\"text\":\"Hello\"},"
                + "{\"start\":0.5,\"end\":0.9,\"text\":\"!\"},{\"start\":1.1,\"end\":2,\"text\":"
                + "\"This is a sample transcription.\"}],\"model\":\"gpt-4o-mini-transcribe\"},\"metadata\":{}}");
        assertThat(result(t, "puter-speech2txt", "list_models", null).toString()).contains("\"id\":\"whisper-1\"");
    }

    // -------------------------------------------------------------------------------------------------------------
    // OCR

    @Test
    void mistralOcrSendsADataUrlAndAnswersLines() throws IOException {
        String t = signup().token();
        fake.on("/mistral/v1/ocr", r -> FakeProviders.Canned.json(200, Map.of("model", "mistral-ocr-2505",
                "pages", List.of(Map.of("index", 0, "markdown", "# Invoice\n\nTotal: 42", "images", List.of(),
                        "dimensions", Map.of("dpi", 200, "height", 100, "width", 100))),
                "usage_info", Map.of("pages_processed", 1, "doc_size_bytes", 68))));
        byte[] png = pngBytes();
        JsonNode result = result(t, "puter-ocr", "recognize", obj("source", "data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png), "provider", "mistral"));
        assertThat(result.get("blocks").toString()).isEqualTo("[{\"type\":\"text/mistral:LINE\",\"text\":"
                + "\"# Invoice\",\"page\":0},{\"type\":\"text/mistral:LINE\",\"text\":\"Total: 42\",\"page\":0}]");
        assertThat(result.get("text").asString()).isEqualTo("# Invoice\n\nTotal: 42");
        FakeProviders.Recorded req = fake.last("/mistral/v1/ocr");
        assertThat(req.header("authorization")).isEqualTo("Bearer " + MISTRAL_KEY);
        assertThat(req.json().get("model").asString()).isEqualTo("mistral-ocr-latest");
        assertThat(req.json().at("/document/type").asString()).isEqualTo("image_url");
        assertThat(req.json().at("/document/image_url").asString())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        assertThat(result(t, "driver", "usage", obj()).toString())
                .contains("\"usage_type\":\"mistral:mistral-ocr-latest:page\",\"units\":1");

        fake.on("/mistral/v1/ocr", r -> FakeProviders.Canned.json(401, Map.of("message", "Unauthorized")));
        TestHttp.Reply denied = call(t, "puter-ocr", "recognize", obj("source", "data:image/png;base64,AAAA"));
        assertThat(denied.json().at("/error/code").asString()).as("mistral is the configured default")
                .isEqualTo("provider_auth_failed");
        noKeys(denied);
    }

    @Test
    void ocrTestModeAnswersTheSpecSamples() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-ocr", "driver",
                "aws-textract", "method", "recognize", "test_mode", true, "args", obj("source",
                        "data:image/png;base64,iVBORw0KGgo="))), bearer(t));
        assertThat(r.text()).isEqualTo("{\"success\":true,\"service\":{\"name\":\"ai-ocr\"},\"result\":{\"blocks\":["
                + "{\"type\":\"text/textract:WORD\",\"confidence\":0.9999998807907104,\"text\":\"Hello\"},"
                + "{\"type\":\"text/puter:sample-output\",\"confidence\":1,\"text\":\"The test_mode flag is set to true."
                + " This is a sample output.\"}]},\"metadata\":{}}");
        JsonNode mistral = result(t, "puter-ocr", "recognize", obj("source", "data:image/png;base64,iVBORw0KGgo=",
                "provider", "mistral", "test_mode", true));
        assertThat(mistral.get("text").asString()).isEqualTo("Sample OCR output (test mode).");
    }
}
