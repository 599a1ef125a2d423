package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.CoreModule;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Phase;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/** The smallest useful backend: core and web only, on a free port, spoken to over HTTP. */
class CoreAndWebKernelTest {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    private Kernel kernel;

    @AfterEach
    void stop() {
        if (kernel != null) {
            kernel.shutdown();
        }
        http.close();
    }

    private String boot() {
        kernel = Kernel.builder(ConfigLoader.load(data, Optional.empty(), Map.of(),
                        List.of("http_port=0", "shutdown.drain_seconds=0")))
                .module(new CoreModule()).module(new WebModule()).externalModules(false).build();
        kernel.boot();
        return "http://127.0.0.1:" + kernel.services().get(WebServer.class).port();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersTheHealthCheck() throws Exception {
        HttpResponse<String> res = get(boot() + "/healthcheck");

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.mapper().readTree(res.body())).isEqualTo(Json.mapper().readTree("{\"ok\":true}"));
    }

    @Test
    void answersTheVersion() throws Exception {
        HttpResponse<String> res = get(boot() + "/version");

        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(res.body());
        assertThat(body.path("version").asString()).isNotBlank();
        assertThat(body.path("deploy_timestamp").isNumber()).isTrue();
    }

    @Test
    void stopsListeningOnShutdown() throws Exception {
        String origin = boot();
        assertThat(kernel.modules()).extracting(Kernel.ModuleInfo::name).containsExactly("core", "web");

        kernel.shutdown();

        assertThat(kernel.phase()).isEqualTo(Phase.STOPPED);
        assertThatThrownBy(() -> get(origin + "/healthcheck")).isInstanceOf(ConnectException.class);
    }
}
