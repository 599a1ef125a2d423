package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/** The client traps of the contract: Content-Type everywhere, CORS, Origin-less POSTs, JSON bodies, limits. */
class TransportTest {

    @TempDir
    static Path dir;

    static TestHearth hearth;

    record Greeting(String name, int count) {}

    @BeforeAll
    static void boot() {
        hearth = TestHearth.builder(dir)
                .set("services.web-server.max_json_bytes=64")
                .set("services.web-server.max_body_bytes=100")
                .routes(r -> {
                    r.post("/echo", (req, res) -> {
                        JsonNode tree = req.jsonTree();
                        res.json(Map.of("tree", tree, "again", req.jsonTree(), "json", req.isJson()));
                    });
                    r.post("/greet", (req, res) -> {
                        Greeting g = req.json(Greeting.class);
                        res.json(Map.of("hello", g.name(), "count", g.count()));
                    });
                    r.post("/raw", (req, res) -> res.text("read " + req.body().readAllBytes().length));
                    r.post("/tree-then-body", (req, res) -> {
                        JsonNode tree = req.jsonTree(); // as an auth middleware looking for auth_token would
                        res.text(tree.size() + " fields; body " + new String(req.body().readAllBytes(),
                                StandardCharsets.UTF_8));
                    });
                    r.get("/thread", (req, res) -> res.json(Map.of("virtual", Thread.currentThread().isVirtual())));
                    r.get("/own", (req, res) -> res.json(Map.of("own", req.fromOwnOrigin(),
                            "origin", req.origin().orElse("none"))));
                })
                .boot();
    }

    @AfterAll
    static void shutdown() {
        hearth.close();
    }

    private String host() {
        return "127.0.0.1:" + hearth.port();
    }

    @Test
    void securityHeadersOnEveryResponse() throws Exception {
        for (TestHearth.Reply r : new TestHearth.Reply[] {hearth.get("/healthcheck"), hearth.get("/missing")}) {
            assertThat(r.header("x-content-type-options")).hasValue("nosniff");
            assertThat(r.header("strict-transport-security")).hasValue("max-age=15552000; includeSubDomains");
            assertThat(r.header("x-download-options")).hasValue("noopen");
            assertThat(r.header("x-permitted-cross-domain-policies")).hasValue("none");
            assertThat(r.header("x-xss-protection")).hasValue("0");
            assertThat(r.header("cross-origin-resource-policy")).hasValue("cross-origin");
            assertThat(r.header("x-frame-options")).hasValue("SAMEORIGIN");
            assertThat(r.header("x-powered-by")).isEmpty();
            assertThat(r.header("server")).isEmpty();
        }
    }

    @Test
    void corsWithoutOriginIsWildcardWithoutCredentials() throws Exception {
        TestHearth.Reply r = hearth.get("/healthcheck");
        assertThat(r.header("access-control-allow-origin")).hasValue("*");
        assertThat(r.header("access-control-allow-credentials")).isEmpty();
        assertThat(r.header("vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
    }

    @Test
    void corsReflectsOriginWithCredentials() throws Exception {
        TestHearth.Reply r = hearth.get("/healthcheck", "Origin: https://example.com");
        assertThat(r.header("access-control-allow-origin")).hasValue("https://example.com");
        assertThat(r.header("access-control-allow-credentials")).hasValue("true");
        assertThat(r.header("vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
        assertThat(r.header("access-control-allow-methods")).hasValueSatisfying(v -> assertThat(v)
                .contains("GET", "POST", "PUT", "DELETE", "OPTIONS"));
    }

    @Test
    void preflightOnAnyPathIs200WithCorsAndContentType() throws Exception {
        TestHearth.Reply r = hearth.request("OPTIONS", "/stat", host(), null, "Origin: https://example.com",
                "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type,authorization");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isPresent();
        assertThat(r.header("access-control-allow-origin")).hasValue("https://example.com");
        assertThat(r.header("access-control-allow-credentials")).hasValue("true");
        assertThat(r.header("access-control-allow-headers")).hasValueSatisfying(v -> assertThat(v)
                .contains("Authorization", "Content-Type", "Cache-Control", "Pragma"));
        assertThat(r.header("access-control-allow-private-network")).hasValue("true");
        // even on a path that does not exist, and without any authentication
        assertThat(hearth.request("OPTIONS", "/does/not/exist", host(), null).status()).isEqualTo(200);
    }

    @Test
    void postWithoutOriginIsAccepted() throws Exception {
        TestHearth.Reply r = hearth.request("POST", "/echo", host(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: application/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("tree").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void joinedOriginValuesDoNotBreakAnything() throws Exception {
        TestHearth.Reply r = hearth.request("POST", "/echo", host(), "{\"a\":2}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: text/plain;actually=json", "Origin: https://nodejs.puter.site, https://puter.work");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("tree").get("a").asInt()).isEqualTo(2);
        assertThat(r.header("access-control-allow-origin")).hasValue("https://nodejs.puter.site");
        TestHearth.Reply own = hearth.get("/own", "Origin: https://nodejs.puter.site, https://puter.work");
        assertThat(own.json().get("own").asBoolean()).isFalse();
    }

    @Test
    void textPlainActuallyJsonIsJson() throws Exception {
        TestHearth.Reply r = hearth.request("POST", "/greet", host(),
                "{\"name\":\"alice\",\"count\":3}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: text/plain;actually=json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("hello").asString()).isEqualTo("alice");
        TestHearth.Reply spaced = hearth.request("POST", "/echo", host(), "{\"b\":true}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: text/plain; actually=json");
        assertThat(spaced.json().get("json").asBoolean()).isTrue();
        assertThat(spaced.json().get("again").get("b").asBoolean()).as("parsed once, read twice").isTrue();
    }

    @Test
    void nonJsonBodyReadsAsEmptyObjectAndBadJsonIs400() throws Exception {
        TestHearth.Reply plain = hearth.request("POST", "/echo", host(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                "Content-Type: text/plain");
        assertThat(plain.json().get("tree").isEmpty()).isTrue();
        TestHearth.Reply bad = hearth.request("POST", "/echo", host(), "{nope".getBytes(StandardCharsets.UTF_8),
                "Content-Type: application/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("code").asString()).isEqualTo("bad_request");
    }

    @Test
    void jsonBodyOverTheLimitIs413Json() throws Exception {
        byte[] big = ("{\"name\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        TestHearth.Reply r = hearth.request("POST", "/greet", host(), big, "Content-Type: application/json");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(r.json().get("code").asString()).isEqualTo("payload_too_large");
    }

    @Test
    void chunkedBodyOverTheLimitIs413WhileStreaming() throws Exception {
        // No Content-Length: the limit can only be noticed while reading.
        String chunk = "x".repeat(150);
        TestHearth.Reply r = hearth.request("POST", "/raw", host(), null, "Transfer-Encoding: chunked",
                "Content-Type: application/octet-stream\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                        + "\r\n0\r\n");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("code").asString()).isEqualTo("payload_too_large");
        TestHearth.Reply small = hearth.request("POST", "/raw", host(), "x".repeat(100).getBytes(StandardCharsets.UTF_8));
        assertThat(small.text()).isEqualTo("read 100");
    }

    @Test
    void bodyStaysReadableAfterTheJsonTreeWasTaken() throws Exception {
        TestHearth.Reply upload = hearth.request("POST", "/tree-then-body", host(),
                "--b\r\nraw bytes".getBytes(StandardCharsets.UTF_8), "Content-Type: multipart/form-data; boundary=b");
        assertThat(upload.text()).isEqualTo("0 fields; body --b\r\nraw bytes");
        TestHearth.Reply json = hearth.request("POST", "/tree-then-body", host(),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "Content-Type: application/json");
        assertThat(json.text()).isEqualTo("1 fields; body {\"a\":1}");
    }

    @Test
    void handlersRunOnVirtualThreads() throws Exception {
        assertThat(hearth.get("/thread").json().get("virtual").asBoolean()).isTrue();
    }

    @Test
    void missingHostIs400WithContentType() throws Exception {
        TestHearth.Reply r = TestHearth.RawHttp.sendRaw(hearth.port(), "GET /test HTTP/1.0\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("Missing Host header.");
        assertThat(r.header("content-type")).isPresent();
        // HTTP/1.1 without Host is refused by Jetty itself, and still gets a JSON body.
        TestHearth.Reply jetty = TestHearth.RawHttp.sendRaw(hearth.port(), "GET /test HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertThat(jetty.status()).isEqualTo(400);
        assertThat(jetty.header("content-type")).hasValue("application/json; charset=utf-8");
    }

    @Test
    void ownOriginIsRecognisedForCsrfChecks() throws Exception {
        String own = "http://127.0.0.1:" + hearth.port();
        assertThat(hearth.get("/own", "Origin: " + own).json().get("own").asBoolean()).isTrue();
        assertThat(hearth.get("/own", "Origin: http://localhost:" + hearth.port()).json().get("own").asBoolean()).isTrue();
        assertThat(hearth.get("/own", "Origin: https://evil.example").json().get("own").asBoolean()).isFalse();
        assertThat(hearth.get("/own", "Origin: http://127.0.0.1:1").json().get("own").asBoolean()).isFalse();
        assertThat(hearth.get("/own", "Referer: " + own + "/some/page").json().get("own").asBoolean()).isTrue();
        assertThat(hearth.get("/own").json().get("own").asBoolean()).isFalse();
    }
}
