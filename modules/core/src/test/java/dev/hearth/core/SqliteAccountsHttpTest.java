package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SqliteAccountsHttpTest extends AccountsHttpContract {
    @Override
    TestBackend newBackend() {
        return TestBackend.sqlite();
    }

    @Test
    void signupIsClosedByDefaultOffLoopbackAndOpensWhenConfigured() throws IOException {
        HttpClient closed = other(c -> c.with("host", "0.0.0.0"));
        HttpClient.Reply r = closed.send("POST", "/signup", json(Map.of("username", unique("x"), "email",
                unique("x") + "@example.com", "password", "password1", "p102xyzname", "")), "Origin: " + closed.origin());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("code").asString()).isEqualTo("user_signup_and_temp_users_disabled");
        HttpClient open = other(c -> c.with("host", "0.0.0.0").with("disable_user_signup", false));
        assertThat(open.send("POST", "/signup", json(Map.of("username", unique("x"), "email",
                unique("x") + "@example.com", "password", "password1", "p102xyzname", "")), "Origin: " + open.origin())
                .status()).isEqualTo(200);
        assertThat(open.send("POST", "/signup", json(Map.of("is_temp", true)), "Origin: " + open.origin()).json()
                .get("code").asString()).isEqualTo("temp_users_disabled");
        HttpClient noGuests = other(c -> c.with("disable_temp_users", true));
        assertThat(noGuests.send("POST", "/signup", json(Map.of("is_temp", true)), "Origin: " + noGuests.origin())
                .text()).isEqualTo("{\"message\":\"Temporary users are disabled.\",\"code\":\"temp_users_disabled\"}");
    }

    @Test
    void signupIsThrottledPerAddress() throws IOException {
        String client = address();
        HttpClient.Reply last = null;
        for (int i = 0; i <= EdgeLimits.SIGNUP.limit(); i++) {
            last = http.send("POST", "/signup", json(Map.of("username", "bad name")), own(), "X-Forwarded-For: " + client);
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("retry-after")).isPresent();
    }
}
