package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.Json;
import dev.hearth.web.Sockets;
import dev.hearth.web.WebServer;

/**
 * What accounts tell the user's sockets: email confirmed or changed, and disconnection when the socket's session is
 * revoked or its user deleted, while the other sockets stay.
 */
class AccountSocketsTest extends HttpFixture {

    @Override
    TestBackend newBackend() {
        return TestBackend.sqlite();
    }

    SocketClient socket(String token) throws Exception {
        return new SocketClient(get(WebServer.class).port(), token);
    }

    long id(Account a) {
        return get(Users.class).byUsername(a.username()).orElseThrow().id();
    }

    /** Sends a test event to the user's room and checks that this socket still receives it. */
    void stillConnected(SocketClient s, long userId) throws InterruptedException {
        assertThat(get(Sockets.class).hasSocket(s.id)).isTrue();
        kernel.events().emit("outer.gui.test.still-here", Map.of("user_id_list", List.of(userId), "response",
                Map.of("to", s.id)));
        assertThat(s.nextEvent("test.still-here").data().get("to").asString()).isEqualTo(s.id);
    }

    /** Like {@link #stillConnected}, skipping the test events meant for the user's other sockets. */
    void stillConnectedAmongOthers(SocketClient s, long userId) throws InterruptedException {
        assertThat(get(Sockets.class).hasSocket(s.id)).isTrue();
        kernel.events().emit("outer.gui.test.still-here", Map.of("user_id_list", List.of(userId), "response",
                Map.of("to", s.id)));
        for (int i = 0; i < 20; i++) {
            if (s.nextEvent("test.still-here").data().get("to").asString().equals(s.id)) {
                return;
            }
        }
        throw new AssertionError("no test event for " + s.id);
    }

    /** The socket got DISCONNECT, and the connection closed. */
    static void disconnected(SocketClient s) throws Exception {
        String next;
        do {
            next = s.next();
        } while (next.startsWith("42"));
        assertThat(next).isEqualTo("41");
        assertThat(s.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    String login(Account a) throws IOException {
        return http.send("POST", "/login", json(Map.of("username", a.username(), "password", a.password())), own(),
                "X-Forwarded-For: " + address()).json().get("token").asString();
    }

    @Test
    void aConfirmedEmailReachesTheUsersSocketsWithTheSocketThatConfirmedIt() throws Exception {
        Account a = signup();
        try (SocketClient gui = socket(a.token()); SocketClient other = socket(login(a))) {
            assertThat(http.send("POST", "/send-confirm-email", "{}", own(), bearer(a.token()),
                    "X-Forwarded-For: " + address()).status()).isEqualTo(200);
            String code = recorder.emails.stream().filter(e -> e.to().startsWith(a.username() + "@")
                    && e.template().equals("email_verification_code")).reduce((x, y) -> y).orElseThrow()
                    .values().get("code").toString().replace("-", "");
            HttpClient.Reply confirmed = http.send("POST", "/confirm-email", json(Map.of("code", code,
                    "original_client_socket_id", gui.id)), own(), bearer(a.token()), "X-Forwarded-For: " + address());
            assertThat(confirmed.json().get("email_confirmed").asBoolean()).isTrue();
            for (SocketClient s : List.of(gui, other)) {
                assertThat(s.nextEvent("user.email_confirmed").data())
                        .isEqualTo(Json.mapper().valueToTree(Map.of("original_client_socket_id", gui.id)));
            }
        }
    }

    @Test
    void aConfirmationWithoutASocketSaysNothingMoreAndAChangedEmailIsAnnounced() throws Exception {
        Account a = signup();
        Users users = get(Users.class);
        try (SocketClient s = socket(a.token())) {
            users.confirmEmail(id(a), a.username() + "@example.com");
            assertThat(s.nextEvent("user.email_confirmed").data()).isEqualTo(Json.mapper().readTree("{}"));
            Users.EmailChange change = users.requestEmailChange(id(a), unique("n") + "@example.com");
            users.confirmEmailChange(id(a), ((Users.EmailChange.Pending) change).nonce());
            assertThat(s.nextEvent("user.email_changed").data()).isEqualTo(Json.mapper().readTree("{}"));
        }
    }

    @Test
    void aRevokedSessionsSocketsAreDisconnectedAndTheOthersStay() throws Exception {
        Account a = signup();
        Account b = signup();
        String second = login(a);
        try (SocketClient first = socket(a.token()); SocketClient kept = socket(second); SocketClient bs = socket(b.token())) {
            String anti = http.send("GET", "/get-anticsrf-token", null, bearer(second)).json().get("token").asString();
            String revoked = AccountsHttpContract.claims(a.token()).get("uuid").toString();
            assertThat(http.send("POST", "/auth/revoke-session", json(Map.of("uuid", revoked, "anti_csrf", anti)),
                    own(), bearer(second)).status()).isEqualTo(200);
            disconnected(first);
            stillConnected(kept, id(a));
            stillConnected(bs, id(b));
            // Every session of the user (a password reset, a suspension): every socket of the user.
            get(Sessions.class).revokeAll(id(a));
            disconnected(kept);
            stillConnected(bs, id(b));
        }
    }

    @Test
    void aSocketOpenedWithARevokedAccessTokenIsDisconnectedAndTheOthersStay() throws Exception {
        Account a = signup();
        User user = get(Users.class).byUsername(a.username()).orElseThrow();
        String email = "user:" + user.uuid() + ":email:read";
        String revoked = http.send("POST", "/auth/create-access-token", json(Map.of("permissions", List.of(email))),
                own(), bearer(a.token())).json().get("token").asString();
        String kept = http.send("POST", "/auth/create-access-token", json(Map.of("permissions", List.of(email))),
                own(), bearer(a.token())).json().get("token").asString();
        try (SocketClient byToken = socket(revoked); SocketClient other = socket(kept); SocketClient gui = socket(a.token())) {
            stillConnectedAmongOthers(byToken, id(a));
            // Someone else's attempt changes nothing.
            Account b = signup();
            assertThat(http.send("POST", "/auth/revoke-access-token", json(Map.of("tokenOrUuid", revoked)), own(),
                    bearer(b.token())).status()).isEqualTo(403);
            stillConnectedAmongOthers(byToken, id(a));
            assertThat(http.send("POST", "/auth/revoke-access-token", json(Map.of("tokenOrUuid", revoked)), own(),
                    bearer(a.token())).text()).isEqualTo("{\"ok\":true}");
            disconnected(byToken);
            stillConnectedAmongOthers(other, id(a));
            stillConnectedAmongOthers(gui, id(a));
        }
    }

    @Test
    void aDeletedUsersSocketsAreDisconnectedAndOtherUsersStay() throws Exception {
        Account a = signup();
        Account b = signup();
        try (SocketClient one = socket(a.token()); SocketClient two = socket(login(a)); SocketClient bs = socket(b.token())) {
            get(Users.class).delete(id(a));
            disconnected(one);
            disconnected(two);
            assertThat(get(Sockets.class).hasSocket(one.id) || get(Sockets.class).hasSocket(two.id)).isFalse();
            stillConnected(bs, id(b));
        }
    }

    @Test
    void aSuspendedUsersSocketsAreDisconnected() throws Exception {
        Account a = signup();
        Account b = signup();
        try (SocketClient s = socket(a.token()); SocketClient bs = socket(b.token())) {
            get(Users.class).setSuspended(id(a), true);
            disconnected(s);
            stillConnected(bs, id(b));
        }
    }
}
