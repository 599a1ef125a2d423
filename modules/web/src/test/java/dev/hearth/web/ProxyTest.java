package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X-Forwarded-* are believed only from a trusted proxy. */
class ProxyTest {

    @TempDir
    Path dir;

    static final Consumer<Router> ROUTES = r -> r.get("/me", (req, res) -> res.json(Map.of(
            "client", req.clientAddress(), "scheme", req.scheme(), "host", req.host())));

    @Test
    void forwardedHeadersAreHonouredFromATrustedPeer() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).set("trusted_proxies=[\"127.0.0.0/8\",\"10.0.0.0/8\"]")
                .set("allowed_hosts=[\"hearth.example\"]").routes(ROUTES).boot()) {
            TestHearth.Reply r = h.get("/me", "X-Forwarded-For: 203.0.113.7, 10.1.1.1",
                    "X-Forwarded-Proto: https", "X-Forwarded-Host: hearth.example");
            assertThat(r.json().get("client").asString()).as("right-most untrusted hop").isEqualTo("203.0.113.7");
            assertThat(r.json().get("scheme").asString()).isEqualTo("https");
            assertThat(r.json().get("host").asString()).isEqualTo("hearth.example");
            // A client cannot hide behind a spoofed left-most entry: the proxy appended the real one.
            TestHearth.Reply spoof = h.get("/me", "X-Forwarded-For: 1.2.3.4, 198.51.100.9");
            assertThat(spoof.json().get("client").asString()).isEqualTo("198.51.100.9");
            assertThat(h.get("/me").json().get("client").asString()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void forwardedHeadersAreIgnoredFromAnUntrustedPeer() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).set("trusted_proxies=[\"10.0.0.0/8\"]").routes(ROUTES).boot()) {
            TestHearth.Reply r = h.get("/me", "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: evil.example");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("client").asString()).isEqualTo("127.0.0.1");
            assertThat(r.json().get("scheme").asString()).isEqualTo("http");
            assertThat(r.json().get("host").asString()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void noTrustedProxiesMeansTheSocketAddress() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).routes(ROUTES).boot()) {
            assertThat(h.get("/me", "X-Forwarded-For: 203.0.113.7").json().get("client").asString())
                    .isEqualTo("127.0.0.1");
        }
    }

    @Test
    void cidrMatchingForBothFamilies() {
        TrustedProxies p = TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.0/25", "fd00::/8", "2001:db8::1"), "k");
        assertThat(p.trusts("10.200.3.4")).isTrue();
        assertThat(p.trusts("11.0.0.1")).isFalse();
        assertThat(p.trusts("192.168.1.127")).isTrue();
        assertThat(p.trusts("192.168.1.128")).isFalse();
        assertThat(p.trusts("fd12:3456::1")).isTrue();
        assertThat(p.trusts("fe80::1")).isFalse();
        assertThat(p.trusts("2001:db8::1")).isTrue();
        assertThat(p.trusts("2001:db8::2")).isFalse();
        assertThat(p.trusts("not-an-ip")).isFalse();
        assertThat(p.clientAddress("10.0.0.1", List.of("garbage, 10.0.0.2"))).isEqualTo("10.0.0.2");
        assertThat(p.clientAddress("10.0.0.1", List.of("203.0.113.1:5555"))).isEqualTo("203.0.113.1");
        assertThat(p.clientAddress("10.0.0.1", List.of("[2001:db8::5]:443"))).isEqualTo("2001:db8::5");
        assertThat(p.clientAddress("8.8.8.8", List.of("203.0.113.1"))).isEqualTo("8.8.8.8");
    }
}
