package dev.hearth.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.drivers.testing.TestHttp;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/**
 * The {@code /drivers/call} protocol over HTTP, on each engine (the subclasses), with the test interface of
 * {@link EchoModule}.
 */
abstract class DriversHttpContract extends DriverHttpFixture {

    Account alice;

    @Override
    protected List<Module> modules() {
        return List.of(new EchoModule());
    }

    @BeforeAll
    void accounts() throws IOException {
        alice = signup();
    }

    @Test
    void theEnvelopeCarriesServiceResultAndMetadata() throws IOException {
        TestHttp.Reply r = call(alice.token(), "test-echo", "echo", obj("s", "hi"));
        assertThat(r.header("content-type")).contains("application/json; charset=utf-8");
        assertThat(r.text()).isEqualTo("{\"success\":true,\"service\":{\"name\":\"echo\"},\"result\":{\"s\":\"hi\","
                + "\"f\":false,\"intended\":\"test-echo\",\"test_mode\":false},\"metadata\":{\"seen_by\":\"echo\"}}");
    }

    @Test
    void aMethodReturningNothingHasNoResult() throws IOException {
        assertThat(call(alice.token(), "test-echo", "nothing", obj()).text())
                .isEqualTo("{\"success\":true,\"service\":{\"name\":\"echo\"},\"metadata\":{}}");
    }

    @Test
    void puterJsBodiesCarryTheTokenInTextPlainActuallyJson() throws IOException {
        String body = json(obj("interface", "test-echo", "method", "echo", "args", obj("s", "x"), "auth_token",
                alice.token()));
        for (String type : List.of("text/plain;actually=json", "text/plain; actually=json; charset=utf-8")) {
            TestHttp.Reply r = http.send("POST", "/drivers/call", body, "Content-Type: " + type,
                    "Origin: https://puter.work");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("result").get("s").asString()).isEqualTo("x");
        }
        TestHttp.Reply none = http.send("POST", "/drivers/call", body, TestHttp.NO_CONTENT_TYPE);
        assertThat(none.json().get("success").asBoolean()).as(none.toString()).isTrue();
    }

    @Test
    void withoutATokenTheCallIsA401() throws IOException {
        String body = json(obj("interface", "test-echo", "method", "echo", "args", obj()));
        TestHttp.Reply r = http.send("POST", "/drivers/call", body, "Content-Type: text/plain;actually=json");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text()).isEqualTo("{\"message\":\"Missing authentication token.\",\"code\":\"token_missing\"}");
        TestHttp.Reply bad = http.send("POST", "/drivers/call", body, bearer("not-a-token"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().get("code").asString()).isEqualTo("token_auth_failed");
    }

    @Test
    void argumentsAreCoercedByTypeAndUnknownOnesDropped() throws IOException {
        JsonNode r = result(alice.token(), "test-echo", "echo", obj("s", 5, "f", "yes", "n", 2.5, "j",
                obj("a", List.of(1)), "arr", List.of(1, 2), "opt", null, "u", 3, "zzz", "dropped"));
        assertThat(json(r)).isEqualTo("{\"s\":\"5\",\"f\":true,\"n\":2.5,\"j\":{\"a\":[1]},\"arr\":[1,2],\"u\":3,"
                + "\"intended\":\"test-echo\",\"test_mode\":false}");
        assertThat(result(alice.token(), "test-echo", "echo", obj("s", obj())).get("s").asString())
                .isEqualTo("[object Object]");
        assertThat(result(alice.token(), "test-echo", "echo", obj("s", Arrays.asList(1, List.of(2, 3), null)))
                .get("s").asString()).isEqualTo("1,2,3,");
        assertThat(result(alice.token(), "test-echo", "echo", obj("s", true, "f", 0)).toString())
                .startsWith("{\"s\":\"true\",\"f\":false");
        assertThat(result(alice.token(), "test-echo", "echo", obj("s", null, "f", "")).toString())
                .startsWith("{\"f\":false,");
        assertThat(result(alice.token(), "test-echo", "echo", obj("arr", null)).has("arr")).isTrue();
    }

    @Test
    void badArgumentsAreArgumentConsolidationFailures() throws IOException {
        assertThat(json(error(alice.token(), "test-echo", "echo", obj("n", "5")))).isEqualTo("{\"interface_name\":"
                + "\"test-echo\",\"method_name\":\"echo\",\"arg_name\":\"n\",\"message\":\"Failed to parse or "
                + "process argument `n` for method `echo` on interface `test-echo`: Field `n` is invalid. Expected "
                + "number.\",\"code\":\"argument_consolidation_failed\",\"$\":\"heyputer:api/APIError\",\"status\":400}");
        assertThat(error(alice.token(), "test-echo", "echo", obj("n", null)).get("code").asString())
                .isEqualTo("argument_consolidation_failed");
        assertThat(error(alice.token(), "test-echo", "echo", obj("u", -1)).get("message").asString())
                .endsWith("Field `u` is invalid. Expected unsigned number.");
        assertThat(error(alice.token(), "test-echo", "echo", obj("arr", obj())).get("message").asString())
                .endsWith("Field `arr` is invalid. Expected JSON value of type array. Got JSON value of type object.");
    }

    @Test
    void aMissingRequiredArgumentNamesIt() throws IOException {
        assertThat(json(error(alice.token(), "test-echo", "need", obj()))).isEqualTo("{\"interface_name\":"
                + "\"test-echo\",\"method_name\":\"need\",\"arg_name\":\"req\",\"code\":\"missing_required_argument\","
                + "\"$\":\"heyputer:api/APIError\",\"message\":\"Missing required argument `req` for method `need` on "
                + "interface `test-echo`\",\"status\":400}");
        assertThat(error(alice.token(), "test-echo", "need", null).get("code").asString())
                .isEqualTo("missing_required_argument");
    }

    @Test
    void unknownInterfacesAndMethodsAreNotFoundInsideA200() throws IOException {
        assertThat(call(alice.token(), "nope", "x", obj()).text()).isEqualTo("{\"success\":false,\"error\":{"
                + "\"interface_name\":\"nope\",\"code\":\"interface_not_found\",\"$\":\"heyputer:api/APIError\","
                + "\"message\":\"Interface not found: `nope`\",\"status\":404}}");
        assertThat(json(error(alice.token(), "test-echo", "nope", obj()))).isEqualTo("{\"interface_name\":"
                + "\"test-echo\",\"method_name\":\"nope\",\"code\":\"method_not_found\",\"$\":\"heyputer:api/APIError\","
                + "\"message\":\"Method not found: `nope` on interface `test-echo`\",\"status\":404}");
        assertThat(json(error(alice.token(), "test-hidden", "x", obj()))).isEqualTo("{\"iface\":\"test-hidden\","
                + "\"code\":\"no_implementation_available\",\"$\":\"heyputer:api/APIError\",\"message\":"
                + "\"No implementation available for interface `test-hidden`.\",\"status\":502}");
    }

    @Test
    void anImplementationIsChosenByNameOrAliasElseTheDefault() throws IOException {
        TestHttp.Reply two = http.send("POST", "/drivers/call", json(obj("interface", "test-echo", "driver",
                "echo-two", "method", "echo", "args", obj())), bearer(alice.token()));
        assertThat(json(two.json().get("service"))).as("with its version")
                .isEqualTo("{\"name\":\"echo-two\",\"version\":\"v1.0.0\"}");
        TestHttp.Reply twin = http.send("POST", "/drivers/call", json(obj("interface", "test-echo", "service",
                "twin", "method", "echo", "args", obj())), bearer(alice.token()));
        assertThat(twin.json().get("service").get("name").asString()).isEqualTo("echo-two");
        assertThat(twin.json().get("result").get("intended").asString()).isEqualTo("twin");
        TestHttp.Reply ghost = http.send("POST", "/drivers/call", json(obj("interface", "test-echo", "driver",
                "ghost", "method", "echo", "args", obj())), bearer(alice.token()));
        assertThat(ghost.json().get("error").get("code").asString()).isEqualTo("no_implementation_available");
    }

    @Test
    void driverFailuresAreSerializedInsideA200() throws IOException {
        assertThat(json(error(alice.token(), "test-echo", "fail", obj("kind", "api")))).isEqualTo("{\"detail\":1,"
                + "\"code\":\"something_off\",\"$\":\"heyputer:api/APIError\",\"message\":\"Something is off.\","
                + "\"status\":422}");
        assertThat(call(alice.token(), "test-echo", "fail", obj("kind", "plain")).text())
                .isEqualTo("{\"success\":false,\"error\":\"a plain failure\"}");
        JsonNode bug = error(alice.token(), "test-echo", "fail", obj("kind", "bug"));
        assertThat(bug.get("code").asString()).isEqualTo("internal_error");
        assertThat(bug.toString()).doesNotContain("secret");
    }

    @Test
    void aCallerWithoutThePermissionGetsPermissionDeniedForThePrompt() throws IOException {
        String onlyEcho = accessToken(alice, "driver:test-echo:echo");
        assertThat(result(onlyEcho, "test-echo", "echo", obj("s", "ok")).get("s").asString()).isEqualTo("ok");
        assertThat(call(onlyEcho, "test-echo", "nothing", obj()).text()).isEqualTo("{\"success\":false,\"error\":{"
                + "\"permission\":\"driver:test-echo:nothing\",\"code\":\"permission_denied\",\"$\":"
                + "\"heyputer:api/APIError\",\"message\":\"Permission denied.\",\"status\":403}}");
        String app = appToken(alice, "https://echo-app.example.org").getKey();
        assertThat(result(app, "test-echo", "echo", obj()).get("f").asBoolean()).isFalse();
    }

    @Test
    void rateLimitsAreCountedPerUserAndMethod() throws IOException {
        Account bob = signup();
        for (int i = 0; i < 3; i++) {
            assertThat(call(bob.token(), "test-echo", "limited", obj()).json().get("success").asBoolean()).isTrue();
        }
        assertThat(call(bob.token(), "test-echo", "limited", obj()).text()).isEqualTo("{\"success\":false,\"error\":"
                + "{\"method_name\":\"V1:echo:test-echo:limited\",\"rate_limit\":{\"max\":3,\"period\":60000},"
                + "\"code\":\"rate_limit_exceeded\",\"$\":\"heyputer:api/APIError\",\"message\":\"Rate limit exceeded "
                + "for method `V1:echo:test-echo:limited`: 3 requests per 60000ms.\",\"status\":429}}");
        String app = appToken(bob, "https://limited-app.example.org").getKey();
        assertThat(error(app, "test-echo", "limited", obj()).get("code").asString()).as("the app counts as its user")
                .isEqualTo("rate_limit_exceeded");
        Account carol = signup();
        assertThat(call(carol.token(), "test-echo", "limited", obj()).json().get("success").asBoolean()).isTrue();
    }

    @Test
    void testModeReachesTheDriver() throws IOException {
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "test-echo", "method", "echo",
                "test_mode", true, "args", obj())), bearer(alice.token()));
        assertThat(r.json().get("result").get("test_mode").asBoolean()).isTrue();
    }

    @Test
    void streamsAndBareValuesBypassTheEnvelope() throws IOException {
        TestHttp.Reply s = call(alice.token(), "test-echo", "stream", obj());
        assertThat(s.header("content-type")).contains("application/x-ndjson");
        assertThat(s.text()).isEqualTo("{\"type\":\"text\",\"text\":\"hi\"}\n");
        assertThat(call(alice.token(), "test-echo", "bare", obj()).text()).isEqualTo("\"https://example.org/video.mp4\"");
        TestHttp.Reply lines = call(alice.token(), "test-echo", "ndjson", obj());
        assertThat(lines.header("content-type")).contains("application/x-ndjson");
        assertThat(lines.text()).isEqualTo("{\"type\":\"text\",\"text\":\"a\"}\n{\"type\":\"usage\",\"usage\":{}}\n");
    }

    @Test
    void multipartFileArgumentsStreamFromTheBody() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(content);
        String boundary = "----hearth" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "object", null, json(obj("interface", "test-echo", "method", "upload", "auth_token",
                alice.token(), "args.source", obj("$", "file", "size", content.length, "type", "image/png")))
                .getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "more", null, json(obj("args.label", "lbl")).getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "file", "f.png", content);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        TestHttp.Reply r = http.sendBytes("POST", "/drivers/call", body.toByteArray(),
                "Content-Type: multipart/form-data; boundary=" + boundary);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode result = r.json().get("result");
        assertThat(result.get("bytes").asLong()).as(r.toString()).isEqualTo(content.length);
        assertThat(result.get("sha256").asString())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(result.get("type").asString()).isEqualTo("image/png");
        assertThat(result.get("label").asString()).isEqualTo("lbl");

        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        part(bad, boundary, "object", null, json(obj("interface", "test-echo", "method", "upload", "args.source",
                obj("$", "file", "size", "big"))).getBytes(StandardCharsets.UTF_8));
        bad.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        TestHttp.Reply invalid = http.sendBytes("POST", "/drivers/call", bad.toByteArray(),
                "Content-Type: multipart/form-data; boundary=" + boundary, bearer(alice.token()));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("code").asString()).isEqualTo("invalid_file_metadata");
    }

    @Test
    void aDataUrlIsAFileArgument() throws IOException {
        JsonNode r = result(alice.token(), "test-echo", "upload", obj("source", "data:text/plain;base64,aGVsbG8="));
        assertThat(r.get("bytes").asLong()).isEqualTo(5);
        assertThat(r.get("type").asString()).isEqualTo("text/plain");
        assertThat(error(alice.token(), "test-echo", "upload", obj("source", "/alice/x")).get("code").asString())
                .as("no filesystem resolver").isEqualTo("argument_consolidation_failed");
    }

    private static void part(ByteArrayOutputStream out, String boundary, String name, String filename, byte[] content)
            throws IOException {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\n"
                + (filename == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void listInterfacesDescribesParameterTypes() throws IOException {
        TestHttp.Reply r = http.send("GET", "/drivers/list-interfaces", null, bearer(alice.token()));
        assertThat(r.status()).isEqualTo(200);
        JsonNode echo = r.json().get("test-echo");
        assertThat(echo.get("description").asString()).isEqualTo("Echoes its arguments.");
        assertThat(json(echo.get("methods").get("need"))).isEqualTo("{\"description\":\"A required argument.\","
                + "\"parameters\":{\"req\":{\"type\":\"string\"}},\"result\":{\"type\":null}}");
        assertThat(echo.get("methods").get("echo").get("result").get("type").asString()).isEqualTo("json");
        assertThat(echo.get("methods").get("upload").get("parameters").get("source").get("type").asString())
                .isEqualTo("file");
        assertThat(r.json().has("test-hidden")).isFalse();
        assertThat(r.json().has("driver")).isTrue();
        assertThat(http.send("GET", "/drivers/list-interfaces", null).status()).isEqualTo(401);
    }

    @Test
    void usageIsForUsersAndTheDriverInterfaceAnswersToo() throws IOException {
        TestHttp.Reply r = http.send("GET", "/drivers/usage", null, bearer(alice.token()));
        assertThat(r.text()).isEqualTo("{\"user\":[],\"apps\":{},\"app_objects\":{},\"usages\":[]}");
        String app = appToken(alice, "https://usage-app.example.org").getKey();
        assertThat(http.send("GET", "/drivers/usage", null, bearer(app)).status()).isEqualTo(403);
        assertThat(call(alice.token(), "driver", "usage", obj()).text()).isEqualTo("{\"success\":true,\"service\":"
                + "{\"name\":\"driver\"},\"result\":{\"usages\":[]},\"metadata\":{}}");
    }

    @Test
    void monthlyUsageShowsTheOneAllowanceAndWhatEachServiceSpent() throws IOException {
        Account bob = signup();
        TestHttp.Reply r = http.send("GET", "/metering/usage", null, bearer(bob.token()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"usage\":{\"total\":0},\"appTotals\":{},\"allowanceInfo\":"
                + "{\"remaining\":25000000,\"monthUsageAllowance\":25000000,\"addons\":{}}}");
        assertThat(call(bob.token(), "test-echo", "charge", obj("cost", 20_000_000)).json().get("success")
                .asBoolean()).isTrue();
        String app = appToken(bob, "https://metered-app.example.org").getKey();
        call(app, "test-echo", "charge", obj("cost", 1_000_000));
        JsonNode u = http.send("GET", "/metering/usage", null, bearer(bob.token())).json();
        assertThat(u.at("/usage/total").asLong()).isEqualTo(21_000_000);
        assertThat(u.at("/usage/test-echo:microcents/cost").asLong()).isEqualTo(21_000_000);
        assertThat(u.at("/usage/test-echo:microcents/count").asLong()).isEqualTo(2);
        assertThat(u.get("appTotals").size()).isEqualTo(1);
        assertThat(u.get("appTotals").properties().iterator().next().getValue().get("total").asLong()).isEqualTo(1_000_000);
        assertThat(u.at("/allowanceInfo/remaining").asLong()).isEqualTo(4_000_000);
        // what is left is what any paid service may spend
        JsonNode e = error(bob.token(), "test-echo", "charge", obj("cost", 5_000_000));
        assertThat(e.get("code").asString()).isEqualTo("insufficient_funds");
        assertThat(e.get("status").asInt()).isEqualTo(402);
        assertThat(e.get("delegate").asString()).isEqualTo("usage-limited-echo");
        assertThat(http.send("GET", "/metering/usage", null).status()).isEqualTo(401);
    }

    @Test
    void lsmodListsInvocableImplementations() throws IOException {
        TestHttp.Reply r = http.send("POST", "/lsmod", "{}", bearer(alice.token()));
        assertThat(r.status()).isEqualTo(200);
        JsonNode impl = r.json().get("interfaces").get("test-echo").get("implementors");
        assertThat(impl.has("echo")).isTrue();
        assertThat(impl.has("echo-two")).isTrue();
        assertThat(http.send("GET", "/lsmod", null).status()).isEqualTo(401);
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
