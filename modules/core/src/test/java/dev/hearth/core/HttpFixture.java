package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.WebModule;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * A kernel with the web and core modules on port 0, per test class, on the backend the subclass names; the loopback
 * address is a trusted proxy, so that tests choose the client address with {@code X-Forwarded-For}. A recorder module
 * keeps the {@code user.created} and {@code email.send} events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpFixture {

    static final String COOKIE = "test_session";
    /** Sign-ups from here are refused by a puter.signup listener; from the other, they must confirm their email. */
    static final String REFUSED_ADDRESS = "198.18.0.1";
    static final String CONFIRMING_ADDRESS = "198.18.0.2";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    TestBackend backend;
    Kernel kernel;
    HttpClient http;
    final Recorder recorder = new Recorder();
    final FakeAbove above = new FakeAbove();
    private final List<Kernel> more = new ArrayList<>();
    private final List<TestBackend> moreBackends = new ArrayList<>();

    abstract TestBackend newBackend();

    @BeforeAll
    void boot() throws IOException {
        backend = newBackend();
        kernel = boot(backend, this::adjust);
        http = new HttpClient(kernel.services().get(WebServer.class).port());
    }

    Kernel boot(TestBackend on, UnaryOperator<Config> adjust) throws IOException {
        Path dir = Files.createTempDirectory("hearth-http");
        Config config = on.config(dir).with("http_port", 0).with("shutdown.drain_seconds", 0)
                .with("cookie_name", COOKIE).with("trusted_proxies", List.of("127.0.0.1/32"));
        Kernel k = Kernel.builder(adjust.apply(config)).externalModules(false).module(new WebModule())
                .module(new CoreModule()).module(above).module(recorder).build();
        k.boot();
        return k;
    }

    /** The configuration of the class's kernel, adjusted by a subclass. */
    Config adjust(Config config) {
        return config;
    }

    /** Another kernel (SQLite) with a different configuration, shut down after the class. */
    HttpClient other(UnaryOperator<Config> adjust) throws IOException {
        TestBackend b = TestBackend.sqlite();
        moreBackends.add(b);
        Kernel k = boot(b, adjust);
        more.add(k);
        return new HttpClient(k.services().get(WebServer.class).port());
    }

    @AfterAll
    void shutDown() {
        more.forEach(Kernel::shutdown);
        moreBackends.forEach(TestBackend::close);
        if (kernel != null) {
            kernel.shutdown();
        }
        if (backend != null) {
            backend.close();
        }
    }

    <T> T get(Class<T> type) {
        return kernel.services().get(type);
    }

    static String unique(String prefix) {
        return prefix + "_" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid() % 1000;
    }

    /** A fresh client address (TEST-NET-3 plus a counter), so that tests do not share throttles. */
    static String address() {
        int n = COUNTER.incrementAndGet();
        return "10." + (n / 65536 % 256) + "." + (n / 256 % 256) + "." + (n % 256);
    }

    String own() {
        return "Origin: " + http.origin();
    }

    static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    static String cookie(String token) {
        return "Cookie: " + COOKIE + "=" + token;
    }

    static String json(Object value) {
        return dev.hearth.kernel.Json.mapper().writeValueAsString(value);
    }

    /** A signed-up account: its name, password, GUI token and session cookie. */
    record Account(String username, String password, String token, String cookie, JsonNode body) {}

    Account signup() throws IOException {
        String name = unique("u");
        String password = "password-" + name;
        HttpClient.Reply r = http.send("POST", "/signup", json(Map.of("username", name, "email", name + "@example.com",
                "password", password, "p102xyzname", "")), own(), "X-Forwarded-For: " + address());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Account(name, password, r.json().get("token").asString(), r.cookie(COOKIE).orElseThrow(), r.json());
    }

    /** Records the events the filesystem and a mailer would listen to. */
    static final class Recorder implements Module {
        final List<UserEvents.Created> created = new CopyOnWriteArrayList<>();
        final List<EmailMessage> emails = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public void install(ModuleInstaller installer) {
            installer.register("recorder", (ServiceContext context) -> new Service() {
                @Override
                public void init() {
                    context.events().on(UserEvents.CREATED, (k, d, m) -> {
                        UserEvents.Created e = (UserEvents.Created) d;
                        created.add(e);
                        // As the filesystem will: create the default folders, record their uuids.
                        context.services().get(Users.class).setFolders(e.userId(), Map.of("desktop",
                                "desktop-" + e.userUuid(), "appdata", "appdata-" + e.userUuid()));
                    });
                    context.events().on(SignupCheck.KEY, (k, d, m) -> {
                        SignupCheck check = (SignupCheck) d;
                        if (check.ip().equals(REFUSED_ADDRESS)) {
                            check.refuse("Not from there.");
                        }
                        if (check.ip().equals(CONFIRMING_ADDRESS)) {
                            check.requireEmailConfirmation();
                        }
                    });
                    context.events().on(EmailMessage.EVENT, (k, d, m) -> emails.add((EmailMessage) d));
                }
            });
        }
    }
}
