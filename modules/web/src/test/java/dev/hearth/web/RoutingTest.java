package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;

class RoutingTest {

    @TempDir
    static Path dir;

    static TestHearth hearth;
    static final List<String> stages = new ArrayList<>();

    @BeforeAll
    static void boot() {
        hearth = TestHearth.builder(dir).routes(r -> {
            r.get("/items/:id", (req, res) -> res.json(Map.of("id", req.pathParam("id").orElseThrow(),
                    "pattern", req.routePattern().orElseThrow())));
            r.get("/apps/{name}/icon", (req, res) -> res.text("icon of " + req.pathParam("name").orElseThrow()));
            r.post("/items/:id", (req, res) -> res.text("posted " + req.pathParams().get("id")));
            r.route("PROPFIND", "/dav/*", (req, res) -> res.text("dav " + req.pathParams().get("*")));
            r.get("/files/*", (req, res) -> res.text("rest=" + req.pathParams().get("*")));
            // Precedence across the first-segment index: the first registered match wins, whatever its first part.
            r.get("/:section/latest", (req, res) -> res.text("any section: " + req.pathParam("section").orElseThrow()));
            r.get("/news/latest", (req, res) -> res.text("news, literally"));
            r.get("/news/:id", (req, res) -> res.text("news " + req.pathParam("id").orElseThrow()));
            r.get("/caf%C3%A9/menu", (req, res) -> res.text("menu"));
            r.sites().get("/only-sites", (req, res) -> res.text("site"));
            r.get("/empty", (req, res) -> res.header("X-Status-Before", Integer.toString(res.status())));
            r.get("/query", (req, res) -> res.json(req.queryParams()));
            r.get("/context", (req, res) -> res.json(Map.of(
                    "bound", Context.current().map(Context::requestId).orElse("none"),
                    "request", req.requestId(),
                    "actor", req.context().actor().map(a -> a.uid()).orElse("none"))));
            r.get("/fail", (req, res) -> {
                throw new IllegalStateException("secret internal detail");
            });
            r.get("/api-error", (req, res) -> {
                throw ApiError.fieldMissing("app_uid");
            });
            r.get("/late-fail", (req, res) -> {
                res.header("X-Before", "yes");
                throw ApiError.forbidden();
            });
            r.use(Stage.LATE, (req, res, chain) -> {
                stages.add("late");
                chain.proceed();
            });
            r.use(Stage.AUTH, (req, res, chain) -> {
                stages.add("auth");
                if (req.query("deny").isPresent()) {
                    throw ApiError.tokenMissing();
                }
                chain.proceed(req.context().withActor(() -> "user-1"));
            });
            r.use(Stage.EARLY, (req, res, chain) -> {
                stages.add("early");
                chain.proceed();
            });
        }).boot();
    }

    @AfterAll
    static void shutdown() {
        hearth.close();
    }

    @Test
    void pathParametersInBothSyntaxes() throws Exception {
        TestHearth.Reply r = hearth.get("/items/a%20b");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asString()).isEqualTo("a b");
        assertThat(r.json().get("pattern").asString()).isEqualTo("/items/:id");
        assertThat(hearth.get("/apps/editor/icon").text()).isEqualTo("icon of editor");
        assertThat(hearth.get("/items/x/").status()).as("a trailing slash is ignored").isEqualTo(200);
    }

    @Test
    void methodDecidesTheRoute() throws Exception {
        TestHearth.Reply post = hearth.request("POST", "/items/7", "127.0.0.1:" + hearth.port(), new byte[0]);
        assertThat(post.text()).isEqualTo("posted 7");
        TestHearth.Reply put = hearth.request("PUT", "/items/7", "127.0.0.1:" + hearth.port(), new byte[0]);
        assertThat(put.status()).isEqualTo(404);
        TestHearth.Reply dav = hearth.request("PROPFIND", "/dav/a/b%20c", "127.0.0.1:" + hearth.port(), null);
        assertThat(dav.text()).isEqualTo("dav a/b c");
        // Jetty refuses an encoded slash in a path (ambiguous); the refusal is still a JSON body.
        TestHearth.Reply ambiguous = hearth.get("/files/a%2Fb");
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.header("content-type")).hasValue("application/json; charset=utf-8");
    }

    @Test
    void headFallsBackToGetWithoutBody() throws Exception {
        TestHearth.Reply head = hearth.request("HEAD", "/apps/x/icon", "127.0.0.1:" + hearth.port(), null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theFirstRegisteredMatchWinsWhetherItStartsWithALiteralOrAParameter() throws Exception {
        assertThat(hearth.get("/news/latest").text()).isEqualTo("any section: news");
        assertThat(hearth.get("/news/42").text()).isEqualTo("news 42");
        assertThat(hearth.get("/sports/latest").text()).isEqualTo("any section: sports");
        assertThat(hearth.get("/sports/42").status()).isEqualTo(404);
        assertThat(hearth.get("/caf%C3%A9/menu").text()).as("a first segment is matched decoded").isEqualTo("menu");
    }

    @Test
    void wildcardTakesTheRest() throws Exception {
        assertThat(hearth.get("/files/a/b/c.txt").text()).isEqualTo("rest=a/b/c.txt");
        assertThat(hearth.get("/files/").text()).isEqualTo("rest=");
    }

    @Test
    void unknownRouteIsJson404() throws Exception {
        TestHearth.Reply r = hearth.get("/no-such-route");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(r.text()).isEqualTo("{\"message\":\"Not Found\",\"code\":\"not_found\"}");
    }

    @Test
    void hostScopeKeepsSiteRoutesOffTheApi() throws Exception {
        assertThat(hearth.get("/only-sites").status()).isEqualTo(404);
    }

    @Test
    void emptyResponseStillHasContentType() throws Exception {
        TestHearth.Reply r = hearth.get("/empty");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-status-before")).as("the default status is 200").hasValue("200");
        assertThat(r.header("content-type")).isPresent();
        assertThat(r.body()).isEmpty();
    }

    @Test
    void apiErrorBecomesPuterJsonBody() throws Exception {
        TestHearth.Reply r = hearth.get("/api-error");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(r.text()).isEqualTo(
                "{\"message\":\"Field `app_uid` is required.\",\"key\":\"app_uid\",\"code\":\"field_missing\"}");
    }

    @Test
    void errorsResetHeadersSetBeforeButKeepCorsAndSecurity() throws Exception {
        TestHearth.Reply r = hearth.get("/late-fail", "Origin: https://example.com");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("x-before")).isEmpty();
        assertThat(r.header("access-control-allow-origin")).hasValue("https://example.com");
        assertThat(r.header("x-content-type-options")).hasValue("nosniff");
    }

    @Test
    void uncaughtExceptionIsJson500WithRequestIdAndNoDetails() throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Pipeline.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        TestHearth.Reply r;
        try {
            r = hearth.get("/fail");
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.header("content-type")).hasValue("application/json; charset=utf-8");
        String requestId = r.header("x-request-id").orElseThrow();
        assertThat(r.json().get("code").asString()).isEqualTo("internal_error");
        assertThat(r.json().get("request_id").asString()).isEqualTo(requestId);
        assertThat(r.text()).doesNotContain("secret internal detail").doesNotContain("IllegalStateException")
                .doesNotContain("at dev.hearth");
        // ... but the server log has it all, under the same request id.
        assertThat(logged.list).anySatisfy(e -> {
            assertThat(e.getFormattedMessage()).contains(requestId);
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("secret internal detail");
        });
    }

    @Test
    void contextIsBoundForTheHandlerAndMiddlewareCanReplaceIt() throws Exception {
        TestHearth.Reply r = hearth.get("/context");
        String requestId = r.header("x-request-id").orElseThrow();
        assertThat(r.json().get("bound").asString()).isEqualTo(requestId);
        assertThat(r.json().get("request").asString()).isEqualTo(requestId);
        assertThat(r.json().get("actor").asString()).as("set by the AUTH middleware").isEqualTo("user-1");
    }

    @Test
    void middlewareRunsByStageAndCanRefuse() throws Exception {
        synchronized (stages) {
            stages.clear();
            hearth.get("/empty");
            assertThat(stages).containsExactly("early", "auth", "late");
            stages.clear();
            TestHearth.Reply denied = hearth.get("/empty?deny=1");
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.json().get("code").asString()).isEqualTo("token_missing");
            assertThat(stages).containsExactly("early", "auth");
        }
    }

    @Test
    void middlewareDoesNotRunForUnmatchedRoutesOrPreflights() throws Exception {
        synchronized (stages) {
            stages.clear();
            hearth.get("/nowhere?deny=1");
            hearth.request("OPTIONS", "/empty", "127.0.0.1:" + hearth.port(), null, "Origin: https://a.example");
            assertThat(stages).isEmpty();
        }
    }

    @Test
    void nonScalarQueryParametersAreDropped() throws Exception {
        TestHearth.Reply r = hearth.get("/query?a=1&b=x&b=y&c[]=1&d[e]=2&f=%2Fpath+x&g");
        assertThat(r.json().properties().stream().map(Map.Entry::getKey).toList())
                .containsExactlyInAnyOrder("a", "f", "g");
        assertThat(r.json().get("f").asString()).isEqualTo("/path x");
        assertThat(r.json().get("g").asString()).isEmpty();
    }

    @Test
    void worksWithTheJdkHttpClient() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + hearth.port() + "/items/42")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"42\"");
    }
}
