package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.hearth.kernel.ApiError;

/**
 * The public fetcher against real HTTP servers on loopback. DNS is the one stand-in: names map to addresses
 * as a resolver would answer them, so that the checks run on what a lookup returns. Loopback is opened with the
 * {@code allow} setting only for 127.0.0.1, which plays "the internet"; 127.0.0.2 plays the server's own network.
 */
class PublicFetcherTest {

    static HttpServer internet;
    static HttpServer intranet;
    static PublicFetcher fetcher;

    static final Map<String, String> DNS = Map.of(
            "files.test", "127.0.0.1",
            "evil.test", "127.0.0.2",
            "metadata.test", "169.254.169.254",
            "private.test", "10.1.2.3");

    @BeforeAll
    static void start() throws Exception {
        internet = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internet.createContext("/hello.txt", ex -> {
            byte[] body = "hello from the internet".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        internet.createContext("/big", ex -> {
            ex.sendResponseHeaders(200, 0);               // chunked: the size is unknown until it is too late
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[4096]);
            } catch (IOException cutOff) {
                // the client stopped reading
            }
        });
        internet.createContext("/to-intranet", ex -> {
            ex.getResponseHeaders().add("Location", "http://evil.test:" + intranet.getAddress().getPort() + "/secret");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        internet.createContext("/to-self", ex -> {
            ex.getResponseHeaders().add("Location", "/hello.txt");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        internet.start();
        intranet = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        intranet.createContext("/secret", ex -> {
            byte[] body = "the admin password".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        intranet.start();
        var settings = new PublicFetcherSettings(1024, 5, 5,
                List.of(PublicFetcherSettings.Network.parse("allow", "127.0.0.1/32")));
        fetcher = new PublicFetcher(settings, host -> {
            String address = DNS.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        });
        fetcher.init();
    }

    @AfterAll
    static void stop() throws Exception {
        fetcher.shutdown();
        internet.stop(0);
        intranet.stop(0);
    }

    static String url(String host, HttpServer server, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    static String code(Runnable r) {
        try {
            r.run();
        } catch (ApiError e) {
            return e.code();
        }
        return "none";
    }

    @Test
    void fetchesAPublicFileAsAStream() throws IOException {
        try (PublicFetcher.Fetched f = fetcher.get(URI.create(url("files.test", internet, "/hello.txt")))) {
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.contentType()).contains("text/plain; charset=utf-8");
            assertThat(f.length()).hasValue(23);
            assertThat(new String(f.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello from the internet");
        }
    }

    @Test
    void followsARedirectToAPublicAddress() throws IOException {
        try (PublicFetcher.Fetched f = fetcher.get(URI.create(url("files.test", internet, "/to-self")))) {
            assertThat(new String(f.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello from the internet");
        }
    }

    @Test
    void refusesIpLiteralsAndLocalhostBeforeAnyLookup() {
        int port = internet.getAddress().getPort();
        for (String host : List.of("127.0.0.1", "[::1]", "2130706433", "0177.0.0.1", "localhost", "LOCALHOST.", "a.localhost",
                "[::ffff:127.0.0.1]", "8.8.8.8")) {
            assertThat(code(() -> fetcher.get(URI.create("http://" + host + ":" + port + "/hello.txt"))))
                    .as(host).isEqualTo("ip_not_allowed");
        }
    }

    @Test
    void refusesNamesThatResolveToPrivateLinkLocalOrLoopbackAddresses() {
        assertThat(code(() -> fetcher.get(URI.create(url("evil.test", intranet, "/secret"))))).isEqualTo("ip_not_allowed");
        assertThat(code(() -> fetcher.get(URI.create("http://metadata.test/latest/meta-data/")))).isEqualTo("ip_not_allowed");
        assertThat(code(() -> fetcher.get(URI.create("http://private.test/")))).isEqualTo("ip_not_allowed");
    }

    @Test
    void checksEveryRedirectLikeTheFirstUrl() {
        assertThat(code(() -> fetcher.get(URI.create(url("files.test", internet, "/to-intranet")))))
                .isEqualTo("ip_not_allowed");
    }

    @Test
    void refusesOtherSchemes() {
        assertThat(code(() -> fetcher.get(URI.create("file:///etc/passwd")))).isEqualTo("field_invalid");
        assertThat(code(() -> fetcher.get(URI.create("ftp://files.test/x")))).isEqualTo("field_invalid");
    }

    @Test
    void unknownHostsAreAFetchFailure() {
        assertThat(code(() -> fetcher.get(URI.create("http://nowhere.test/")))).isEqualTo("fetch_failed");
    }

    @Test
    void cutsOffBodiesPastTheLimit() throws IOException {
        try (PublicFetcher.Fetched f = fetcher.get(URI.create(url("files.test", internet, "/big")))) {
            InputStream body = f.body();
            assertThatThrownBy(body::readAllBytes).isInstanceOf(ApiError.class)
                    .extracting(e -> ((ApiError) e).code()).isEqualTo("file_too_large");
        }
    }

    @Test
    void recognisesEveryFormOfIpLiteral() {
        for (String host : List.of("127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "::1", "fe80::1%eth0")) {
            assertThat(PublicAddresses.isLiteral(host)).as(host).isTrue();
        }
        for (String host : List.of("files.test", "1.example", "0x7f.example", "a1.b2.c3.d4")) {
            assertThat(PublicAddresses.isLiteral(host)).as(host).isFalse();
        }
    }

    @Test
    void classifiesAddresses() throws UnknownHostException {
        for (String a : List.of("0.0.0.0", "10.0.0.1", "100.64.0.1", "127.0.0.1", "169.254.169.254", "172.16.0.1",
                "172.31.255.255", "192.168.1.1", "198.18.0.1", "224.0.0.1", "255.255.255.255", "::", "::1",
                "::ffff:10.0.0.1", "fc00::1", "fd12::1", "fe80::1", "ff02::1", "64:ff9b::a00:1", "2002:a00:1::",
                "2001:db8::1")) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(a))).as(a).isFalse();
        }
        for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                "::ffff:8.8.8.8", "64:ff9b::808:808")) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(a))).as(a).isTrue();
        }
    }
}
