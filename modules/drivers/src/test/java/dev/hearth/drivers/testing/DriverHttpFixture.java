package dev.hearth.drivers.testing;

import dev.hearth.core.testing.TestPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import dev.hearth.core.CoreModule;
import dev.hearth.drivers.DriversModule;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * A kernel with the web, core and drivers modules (and the subclass's {@link #modules()}) on port 0, once per test
 * class, on SQLite or on a fresh PostgreSQL database ({@link #postgres()}); helpers to sign up accounts, get app and
 * access tokens, and call drivers. The loopback address is a trusted proxy, so that each sign-up comes from its own
 * client address and no throttle is shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DriverHttpFixture {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    protected Kernel kernel;
    protected TestHttp http;
    private TestPostgres server;
    private TestPostgres.TestDatabase database;

    /** Whether this class runs on PostgreSQL rather than SQLite. */
    protected abstract boolean postgres();

    /** The modules above drivers that the tests need. */
    protected List<Module> modules() {
        return List.of();
    }

    /** A chance to change the configuration. */
    protected Config configure(Config config) {
        return config;
    }

    @BeforeAll
    void bootKernel() throws IOException {
        Path dir = Files.createTempDirectory("hearth-drivers");
        Config config = ConfigLoader.load(dir, Optional.empty(), Map.of(), List.of("services.users.bcrypt_cost=4"))
                .with("http_port", 0).with("shutdown.drain_seconds", 0)
                .with("trusted_proxies", List.of("127.0.0.1/32"));
        if (postgres()) {
            server = new TestPostgres();
            database = server.create();
            config = config.with("services.database.engine", "postgres").with("services.database.url", database.url());
        }
        kernel = Kernel.builder(configure(config)).externalModules(false).module(new WebModule())
                .module(new CoreModule()).module(new DriversModule()).modules(modules()).build();
        kernel.boot();
        http = new TestHttp(kernel.services().get(WebServer.class).port());
    }

    @AfterAll
    void shutdownKernel() {
        if (kernel != null) {
            kernel.shutdown();
        }
        if (database != null) {
            server.drop(database);
        }
    }

    protected <T> T service(Class<T> type) {
        return kernel.services().get(type);
    }

    public static String json(Object value) {
        return Json.mapper().writeValueAsString(value);
    }

    public static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    /** A signed-up account. */
    public record Account(String username, String uuid, String token) {}

    protected Account signup() throws IOException {
        int n = COUNTER.incrementAndGet();
        String name = "u_" + n + "_" + ProcessHandle.current().pid() % 1000 + "_" + System.nanoTime() % 10000;
        TestHttp.Reply r = http.send("POST", "/signup", json(Map.of("username", name, "email", name + "@example.com",
                "password", "password-" + name, "p102xyzname", "")), "Origin: " + http.origin(),
                "X-Forwarded-For: 10." + (n / 65536 % 256) + "." + (n / 256 % 256) + "." + (n % 256));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Account(name, r.json().get("user").get("uuid").asString(), r.json().get("token").asString());
    }

    /** An app-under-user token of the app at {@code origin}, and the app's uid. */
    protected Map.Entry<String, String> appToken(Account account, String origin) throws IOException {
        TestHttp.Reply r = http.send("POST", "/auth/get-user-app-token", json(Map.of("origin", origin)),
                bearer(account.token()), "Origin: " + http.origin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return Map.entry(r.json().get("token").asString(), r.json().get("app_uid").asString());
    }

    /** An access token of the account holding exactly {@code permissions}. */
    protected String accessToken(Account account, String... permissions) throws IOException {
        TestHttp.Reply r = http.send("POST", "/auth/create-access-token", json(Map.of("permissions",
                List.of(permissions))), bearer(account.token()), "Origin: " + http.origin());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("token").asString();
    }

    /** {@code POST /drivers/call} with {@code application/json} and a Bearer token; {@code args} may be null. */
    protected TestHttp.Reply call(String token, String iface, String method, Object args) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("interface", iface);
        body.put("method", method);
        if (args != null) {
            body.put("args", args);
        }
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(body), bearer(token));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    /** The {@code result} of a successful call. */
    protected JsonNode result(String token, String iface, String method, Object args) throws IOException {
        TestHttp.Reply r = call(token, iface, method, args);
        assertThat(r.json().get("success").asBoolean()).as(r.toString()).isTrue();
        return r.json().get("result");
    }

    /** The {@code error} of a failed call. */
    protected JsonNode error(String token, String iface, String method, Object args) throws IOException {
        TestHttp.Reply r = call(token, iface, method, args);
        assertThat(r.json().get("success").asBoolean()).as(r.toString()).isFalse();
        return r.json().get("error");
    }

    /** A map with keys and values alternating, in order (Map.of has no order and no nulls). */
    public static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
