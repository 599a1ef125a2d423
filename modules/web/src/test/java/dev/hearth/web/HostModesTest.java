package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.BootException;
import dev.hearth.kernel.ConfigException;

/** Single-origin and subdomain hosting, Host validation and the public URLs. */
class HostModesTest {

    static final Consumer<Router> ROUTES = r -> {
        r.get("/whoami", (req, res) -> res.text("api on " + req.host()));
        r.gui().get("/gui-page", (req, res) -> res.text("gui"));
        r.platform().get("/both", (req, res) -> res.text("platform"));
        r.sites().get("/index.html", (req, res) -> res.text("site " + req.host()));
        r.anyHost().get("/anywhere", (req, res) -> res.text("any"));
    };

    @Nested
    class SingleOrigin {

        @TempDir
        Path dir;

        @Test
        void everythingIsOnTheOneOriginUnderLoopbackNames() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).routes(ROUTES).boot()) {
                int port = h.port();
                for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                        "LOCALHOST", "127.0.0.1"}) {
                    assertThat(h.request("GET", "/whoami", host, null).status()).as(host).isEqualTo(200);
                    assertThat(h.request("GET", "/gui-page", host, null).status()).as(host).isEqualTo(200);
                    assertThat(h.request("GET", "/both", host, null).status()).as(host).isEqualTo(200);
                }
                assertThat(h.request("GET", "/whoami", "localhost:" + port, null).text()).isEqualTo("api on localhost");
                PublicUrls urls = h.server().urls();
                assertThat(urls.singleOrigin()).isTrue();
                assertThat(urls.origin()).isEqualTo("http://127.0.0.1:" + port);
                assertThat(urls.apiBaseUrl()).isEqualTo(urls.origin());
                assertThat(urls.staticHostingDomain()).isEqualTo("site.127.0.0.1:" + port);
                assertThat(urls.staticHostingDomainAlt()).isEqualTo("site.127.0.0.1");
            }
        }

        @Test
        void unknownHostIs400ButHealthcheckIsExempt() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).routes(ROUTES).boot()) {
                TestHearth.Reply bad = h.request("GET", "/whoami", "evil.example", null);
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.text()).isEqualTo("Invalid Host header.");
                assertThat(bad.header("content-type")).isPresent();
                assertThat(h.request("GET", "/healthcheck", "evil.example", null).status()).isEqualTo(200);
            }
        }

        @Test
        void allowedHostsAndAllowAll() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).set("allowed_hosts=[\"hearth.lan\",\"*.corp.example\"]")
                    .routes(ROUTES).boot()) {
                assertThat(h.request("GET", "/whoami", "hearth.lan:8080", null).status()).isEqualTo(200);
                assertThat(h.request("GET", "/whoami", "a.corp.example", null).status()).isEqualTo(200);
                assertThat(h.request("GET", "/whoami", "corp.example.evil", null).status()).isEqualTo(400);
            }
        }

        @Test
        void allowAllHostValuesTurnsTheCheckOff() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).set("allow_all_host_values=true").routes(ROUTES).boot()) {
                TestHearth.Reply r = h.request("GET", "/anywhere", "whatever.example", null);
                assertThat(r.status()).isEqualTo(200);
                assertThat(h.request("GET", "/whoami", "whatever.example", null).status())
                        .as("an unknown host is no API host").isEqualTo(404);
            }
        }

        @Test
        void publicPortOf443IsLeftOut() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).set("pub_port=443").set("protocol=https")
                    .set("domain=hearth.example").routes(ROUTES).boot()) {
                PublicUrls urls = h.server().urls();
                assertThat(urls.origin()).isEqualTo("https://hearth.example");
                assertThat(urls.apiBaseUrl()).isEqualTo("https://hearth.example");
                assertThat(urls.staticHostingDomain()).isEqualTo("site.hearth.example");
            }
        }
    }

    @Nested
    class SitesPort {

        @TempDir
        Path dir;

        static final Consumer<Router> SITE_ROUTES = r -> {
            r.use(Stage.AUTH, (req, res, chain) -> {
                res.header("X-Middleware", "ran");
                chain.proceed();
            });
            r.get("/whoami", (req, res) -> res.text("api"));
            r.sites().get("/*", (req, res) -> res.text("site " + req.path() + " in path: " + req.siteInPath()));
        };

        @Test
        void singleOriginServesSitesOnTheirOwnPortWithTheNameInThePath() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).routes(SITE_ROUTES).boot()) {
                int sites = h.server().sitesPort().orElseThrow();
                assertThat(sites).isNotEqualTo(h.port());
                PublicUrls urls = h.server().urls();
                assertThat(urls.sitesOrigin()).contains("http://127.0.0.1:" + sites);
                assertThat(urls.siteUrl("alice-site")).isEqualTo("http://127.0.0.1:" + sites + "/alice-site/");

                TestHearth.Reply site = TestHearth.RawHttp.send(sites, "GET", "/alice-site/a.html", "127.0.0.1:" + sites,
                        null, "Origin: http://127.0.0.1:" + h.port());
                assertThat(site.status()).isEqualTo(200);
                assertThat(site.text()).isEqualTo("site /alice-site/a.html in path: true");
                assertThat(site.header("x-middleware")).as("no platform middleware on sites").isEmpty();
                assertThat(site.header("access-control-allow-origin")).contains("*");
                assertThat(site.header("access-control-allow-credentials")).isEmpty();
                assertThat(site.header("x-content-type-options")).contains("nosniff");

                TestHearth.Reply api = TestHearth.RawHttp.send(sites, "GET", "/whoami", "localhost:" + sites, null);
                assertThat(api.text()).as("the API is never on the sites port").startsWith("site /whoami");
                assertThat(TestHearth.RawHttp.send(sites, "GET", "/x/", "evil.example", null).status()).isEqualTo(400);

                assertThat(h.get("/whoami").header("x-middleware")).contains("ran");
                TestHearth.Reply byHost = h.request("GET", "/a.html", "alice-site.site.127.0.0.1:" + h.port(), null);
                assertThat(byHost.text()).isEqualTo("site /a.html in path: false");
                assertThat(byHost.header("x-middleware")).isEmpty();
            }
        }

        @Test
        void offOrSubdomainModeMeansNoSitesPort() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).set("services.web-server.sites_port=off").routes(SITE_ROUTES)
                    .boot()) {
                assertThat(h.server().sitesPort()).isEmpty();
                assertThat(h.server().urls().siteUrl("x")).isEqualTo("http://x.site.127.0.0.1:" + h.port());
            }
            try (TestHearth h = TestHearth.builder(dir).set("experimental_no_subdomain=false").set("domain=localhost")
                    .routes(SITE_ROUTES).boot()) {
                assertThat(h.server().sitesPort()).isEmpty();
                assertThat(h.server().urls().siteUrl("x")).isEqualTo("http://x.site.localhost:" + h.port());
            }
        }

        @Test
        void aBadSitesPortFailsTheBootNamingTheKey() {
            assertThatThrownBy(() -> TestHearth.builder(dir).set("services.web-server.sites_port=99999").boot())
                    .hasStackTraceContaining("services.web-server.sites_port");
        }
    }

    @Nested
    class Subdomains {

        @TempDir
        Path dir;

        TestHearth boot() {
            return TestHearth.builder(dir).set("experimental_no_subdomain=false").set("domain=localhost")
                    .routes(ROUTES).boot();
        }

        @Test
        void apiHostRoutesTheApiAndMainDomainTheGui() throws Exception {
            try (TestHearth h = boot()) {
                int port = h.port();
                assertThat(h.request("GET", "/whoami", "api.localhost:" + port, null).text())
                        .isEqualTo("api on api.localhost");
                assertThat(h.request("GET", "/whoami", "localhost:" + port, null).status()).isEqualTo(404);
                assertThat(h.request("GET", "/gui-page", "localhost:" + port, null).status()).isEqualTo(200);
                assertThat(h.request("GET", "/gui-page", "api.localhost:" + port, null).status()).isEqualTo(404);
                assertThat(h.request("GET", "/both", "api.localhost", null).status()).isEqualTo(200);
                assertThat(h.request("GET", "/both", "localhost", null).status()).isEqualTo(200);
                assertThat(h.request("GET", "/version", "api.localhost", null).status()).isEqualTo(200);
            }
        }

        @Test
        void sitesAreServedOnlyOnHostingDomainsWithWildcardCors() throws Exception {
            try (TestHearth h = boot()) {
                int port = h.port();
                TestHearth.Reply site = h.request("GET", "/index.html", "alice-site.site.localhost:" + port, null,
                        "Origin: https://example.com");
                assertThat(site.text()).isEqualTo("site alice-site.site.localhost");
                assertThat(site.header("access-control-allow-origin")).hasValue("*");
                assertThat(site.header("access-control-allow-credentials")).isEmpty();
                assertThat(site.header("x-frame-options")).as("apps are framed by the GUI").isEmpty();
                assertThat(h.request("GET", "/whoami", "alice-site.site.localhost", null).status()).isEqualTo(404);
                assertThat(h.request("GET", "/healthcheck", "alice-site.site.localhost", null).status()).isEqualTo(404);
                assertThat(h.request("GET", "/index.html", "api.localhost", null).status()).isEqualTo(404);
                assertThat(h.request("GET", "/index.html", "my-app.app.localhost", null).status()).isEqualTo(200);
            }
        }

        @Test
        void unknownHostIs400AndHealthcheckIsExempt() throws Exception {
            try (TestHearth h = boot()) {
                assertThat(h.request("GET", "/whoami", "example.com", null).status()).isEqualTo(400);
                assertThat(h.request("GET", "/whoami", "127.0.0.1:" + h.port(), null).status())
                        .as("loopback aliases are for single-origin mode").isEqualTo(400);
                TestHearth.Reply health = h.request("GET", "/healthcheck", "10.1.2.3:" + h.port(), null);
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.text()).isEqualTo("{\"ok\":true}");
            }
        }

        @Test
        void corsReflectsOnTheApiButNeverWithCredentialsOnTheMainDomain() throws Exception {
            try (TestHearth h = boot()) {
                TestHearth.Reply api = h.request("GET", "/whoami", "api.localhost", null, "Origin: https://x.example");
                assertThat(api.header("access-control-allow-credentials")).hasValue("true");
                TestHearth.Reply gui = h.request("GET", "/gui-page", "localhost", null, "Origin: https://x.example");
                assertThat(gui.header("access-control-allow-origin")).hasValue("https://x.example");
                assertThat(gui.header("access-control-allow-credentials")).isEmpty();
            }
        }

        @Test
        void ownOriginsAreTheGuiAndApiOrigins() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).set("experimental_no_subdomain=false").set("domain=localhost")
                    .routes(r -> r.anyHost().get("/own", (req, res) -> res.text(Boolean.toString(req.fromOwnOrigin()))))
                    .boot()) {
                int port = h.port();
                String host = "api.localhost:" + port;
                assertThat(h.request("GET", "/own", host, null, "Origin: http://localhost:" + port).text()).isEqualTo("true");
                assertThat(h.request("GET", "/own", host, null, "Origin: http://api.localhost:" + port).text()).isEqualTo("true");
                assertThat(h.request("GET", "/own", host, null, "Origin: http://x.site.localhost:" + port).text())
                        .as("a hosted site is not Hearth itself").isEqualTo("false");
                assertThat(h.request("GET", "/own", host, null, "Origin: https://localhost:" + port).text()).isEqualTo("false");
            }
        }

        @Test
        void publicUrlsUseTheApiSubdomain() throws Exception {
            try (TestHearth h = boot()) {
                int port = h.port();
                PublicUrls urls = h.server().urls();
                assertThat(urls.singleOrigin()).isFalse();
                assertThat(urls.origin()).isEqualTo("http://localhost:" + port);
                assertThat(urls.apiBaseUrl()).isEqualTo("http://api.localhost:" + port);
                assertThat(urls.staticHostingDomain()).isEqualTo("site.localhost:" + port);
                assertThat(urls.privateAppHostingDomain()).isEqualTo("app.localhost:" + port);
                assertThat(urls.privateAppHostingDomainAlt()).isEqualTo("app.localhost");
            }
        }
    }

    @Nested
    class Configuration {

        @TempDir
        Path dir;

        @Test
        void badValuesFailTheBootNamingTheKey() {
            assertThatThrownBy(() -> TestHearth.builder(dir).set("http_port=\"eighty\"").boot())
                    .isInstanceOf(BootException.class).rootCause().isInstanceOf(ConfigException.class)
                    .hasMessageContaining("http_port");
            assertThatThrownBy(() -> TestHearth.builder(dir).set("trusted_proxies=[\"proxy.lan\"]").boot())
                    .rootCause().hasMessageContaining("trusted_proxies");
            assertThatThrownBy(() -> TestHearth.builder(dir).set("protocol=gopher").boot())
                    .rootCause().hasMessageContaining("protocol");
        }

        @Test
        void aBareConfigIsSingleOriginOnLoopback() throws Exception {
            dev.hearth.kernel.Config config = dev.hearth.kernel.Config.of(
                    dev.hearth.kernel.Json.mapper().readTree("{\"http_port\":0}"), dir);
            try (dev.hearth.kernel.Kernel k = dev.hearth.kernel.Kernel.builder(config).externalModules(false)
                    .module(new WebModule()).build()) {
                k.boot();
                WebServer server = k.services().get(WebServer.class);
                assertThat(server.urls().singleOrigin()).isTrue();
                assertThat(server.urls().origin()).isEqualTo("http://127.0.0.1:" + server.port());
                assertThat(TestHearth.RawHttp.send(server.port(), "GET", "/version", "localhost", null).status())
                        .isEqualTo(200);
            }
        }

        @Test
        void autoPortTakesTheFirstFreeOneFrom4100() throws Exception {
            try (TestHearth h = TestHearth.builder(dir).set("http_port=auto").boot()) {
                assertThat(h.port()).isBetween(4100, 4119);
                assertThat(h.get("/test").text()).isEqualTo("It's working!");
            }
        }
    }
}
