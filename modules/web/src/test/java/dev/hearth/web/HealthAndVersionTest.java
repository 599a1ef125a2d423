package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.HealthCheck;
import dev.hearth.kernel.Service;
import tools.jackson.databind.JsonNode;

class HealthAndVersionTest {

    @TempDir
    Path dir;

    record Check(String healthName, AtomicBoolean healthy, long sleepMillis) implements Service, HealthCheck {
        @Override
        public void checkHealth() throws Exception {
            if (sleepMillis > 0) {
                Thread.sleep(sleepMillis);
            }
            if (!healthy.get()) {
                throw new IllegalStateException(healthName + " is down");
            }
        }
    }

    @Test
    void healthyServerSaysOk() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        try (TestHearth h = TestHearth.builder(dir).set("services.server-health.cache_ms=0")
                .service("db", c -> new Check("database-liveness", up, 0)).boot()) {
            TestHearth.Reply r = h.get("/healthcheck");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-type")).hasValue("application/json; charset=utf-8");
            assertThat(r.text()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void failingChecksAreListedAndReturnHttpErrorGives500() throws Exception {
        AtomicBoolean up = new AtomicBoolean(false);
        try (TestHearth h = TestHearth.builder(dir).set("services.server-health.cache_ms=0")
                .service("db", c -> new Check("database-liveness", up, 0))
                .service("ok", c -> new Check("storage", new AtomicBoolean(true), 0)).boot()) {
            TestHearth.Reply r = h.get("/healthcheck");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("{\"ok\":false,\"failed\":[\"database-liveness\"]}");
            TestHearth.Reply strict = h.get("/healthcheck?return-http-error");
            assertThat(strict.status()).isEqualTo(500);
            assertThat(strict.json().get("failed").get(0).asString()).isEqualTo("database-liveness");
            up.set(true);
            assertThat(h.get("/healthcheck?return-http-error").status()).isEqualTo(200);
        }
    }

    @Test
    void aCheckPastItsTimeoutFails() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).set("services.server-health.cache_ms=0")
                .set("services.server-health.check_timeout_ms=200")
                .service("slow", c -> new Check("slow-thing", new AtomicBoolean(true), 30_000)).boot()) {
            JsonNode body = h.get("/healthcheck").json();
            assertThat(body.get("ok").asBoolean()).isFalse();
            assertThat(body.get("failed").get(0).asString()).isEqualTo("slow-thing");
        }
    }

    /** A check stuck where interrupts do not reach it. */
    record Stuck(java.util.concurrent.CountDownLatch never) implements Service, HealthCheck {
        @Override
        public String healthName() {
            return "stuck";
        }

        @Override
        public void checkHealth() {
            while (true) {
                try {
                    never.await();
                    return;
                } catch (InterruptedException ignored) {
                    // deliberately deaf to cancellation
                }
            }
        }
    }

    @Test
    void aCheckDeafToInterruptsDoesNotHoldTheAnswer() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        try (TestHearth h = TestHearth.builder(dir).set("services.server-health.cache_ms=0")
                .set("services.server-health.check_timeout_ms=200").service("stuck", c -> new Stuck(never)).boot()) {
            assertThat(h.get("/healthcheck").json().get("failed").get(0).asString()).isEqualTo("stuck");
        } finally {
            never.countDown();
        }
    }

    @Test
    void resultsAreCached() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        try (TestHearth h = TestHearth.builder(dir).set("services.server-health.cache_ms=600000")
                .service("db", c -> new Check("database-liveness", up, 0)).boot()) {
            assertThat(h.get("/healthcheck").json().get("ok").asBoolean()).isTrue();
            up.set(false);
            assertThat(h.get("/healthcheck").json().get("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void drainingIs503() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).boot()) {
            h.server().markDraining();
            TestHearth.Reply r = h.get("/healthcheck");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.text()).isEqualTo("{\"ok\":false,\"failed\":[\"draining\"]}");
        }
    }

    @Test
    void webServerIsItselfAHealthCheck() {
        try (TestHearth h = TestHearth.builder(dir).boot()) {
            assertThat(h.kernel.services().all(HealthCheck.class)).extracting(HealthCheck::healthName)
                    .contains("web-server-listening");
        }
    }

    @Test
    void testEndpoint() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).boot()) {
            TestHearth.Reply r = h.get("/test");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("It's working!");
        }
    }

    @Test
    void versionShape() throws Exception {
        long before = System.currentTimeMillis();
        try (TestHearth h = TestHearth.builder(dir).set("env=dev").set("server_id=node-7").boot()) {
            TestHearth.Reply r = h.get("/version");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-type")).hasValue("application/json; charset=utf-8");
            JsonNode v = r.json();
            assertThat(v.properties().stream().map(java.util.Map.Entry::getKey).toList()).containsExactly(
                    "version", "environment", "location", "deploy_timestamp", "version_text", "product", "compat");
            assertThat(v.get("version").asString()).isNotBlank().doesNotContain("${");
            assertThat(v.get("environment").asString()).isEqualTo("dev");
            assertThat(v.get("location").asString()).isEqualTo("node-7");
            assertThat(v.get("deploy_timestamp").isIntegralNumber()).isTrue();
            assertThat(v.get("deploy_timestamp").asLong()).isGreaterThanOrEqualTo(before);
            assertThat(v.get("version_text").asString()).isEqualTo(v.get("version").asString());
            assertThat(v.get("product").asString()).isEqualTo("hearth");
            assertThat(v.get("compat").asString()).isEqualTo("2.5.1");
        }
    }

    @Test
    void servicesAreRegisteredUnderTheirNames() {
        try (TestHearth h = TestHearth.builder(dir).boot()) {
            assertThat(h.kernel.modules().getFirst().name()).isEqualTo("web");
            assertThat(h.kernel.modules().getFirst().services())
                    .containsExactly("web-server", "server-health", "puter-version", "socketio", "public-fetcher");
            assertThat(h.kernel.services().byName("web-server")).containsInstanceOf(WebServer.class);
            assertThat(List.of(h.server().port())).allMatch(p -> p > 0);
        }
    }
}
