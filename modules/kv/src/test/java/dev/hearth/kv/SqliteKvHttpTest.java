package dev.hearth.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class SqliteKvHttpTest extends KvHttpContract {
    @Override
    protected boolean postgres() {
        return false;
    }

    @Test
    void aBadPurgeIntervalFailsTheBootNamingTheKey() throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("hearth-kv");
        dev.hearth.kernel.Config config = dev.hearth.kernel.ConfigLoader.load(dir, java.util.Optional.empty(),
                java.util.Map.of(), java.util.List.of("services.puter-kvstore.purge_interval_seconds=-1"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.hearth.kernel.Kernel.builder(config)
                        .externalModules(false).module(new dev.hearth.core.CoreModule())
                        .module(new dev.hearth.drivers.DriversModule()).module(new KvModule()).build().boot())
                .hasMessageContaining("services.puter-kvstore.purge_interval_seconds");
    }

    /** One engine is enough: the counters are in memory. */
    @Test
    void twoHundredCallsPerTenSecondsPerUserAndMethod() throws IOException {
        String t = signup().token();
        for (int i = 0; i < 200; i++) {
            assertThat(call(t, KV, "get", obj("key", "x")).json().get("success").asBoolean()).isTrue();
        }
        assertThat(call(t, KV, "get", obj("key", "x")).text()).isEqualTo("{\"success\":false,\"error\":{\"method_name\":"
                + "\"V1:puter-kvstore:puter-kvstore:get\",\"rate_limit\":{\"max\":200,\"period\":10000},\"code\":"
                + "\"rate_limit_exceeded\",\"$\":\"heyputer:api/APIError\",\"message\":\"Rate limit exceeded for method "
                + "`V1:puter-kvstore:puter-kvstore:get`: 200 requests per 10000ms.\",\"status\":429}}");
        assertThat(call(t, KV, "set", obj("key", "x", "value", 1)).json().get("success").asBoolean())
                .as("another method has its own counter").isTrue();
    }
}
