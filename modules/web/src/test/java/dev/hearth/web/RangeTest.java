package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Response#serve(ByteSource)} against RFC 9110, run against a file (Jetty's file source) and a
 * non-file source (the path a blob store takes).
 */
class RangeTest {

    static final String CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz"; // 36 bytes

    @TempDir
    static Path dir;

    static TestHearth hearth;
    static final AtomicLong bytesOpened = new AtomicLong();

    /** A source that is not a file, as a blob store would give, counting what it is asked for. */
    record Blob(byte[] bytes) implements ByteSource {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public String contentType() {
            return "application/octet-stream";
        }

        @Override
        public Optional<String> etag() {
            return Optional.of("\"blob-1\"");
        }

        @Override
        public Optional<Instant> lastModified() {
            return Optional.of(Instant.parse("2026-01-02T03:04:05Z"));
        }

        @Override
        public InputStream open(long offset, long length) {
            bytesOpened.addAndGet(length);
            return new ByteArrayInputStream(bytes, (int) offset, (int) length);
        }
    }

    @BeforeAll
    static void boot() throws Exception {
        Path file = Files.writeString(dir.resolve("hello.txt"), CONTENT);
        Files.write(dir.resolve("empty.bin"), new byte[0]);
        hearth = TestHearth.builder(dir.resolve("data")).routes(r -> {
            r.get("/file", (req, res) -> res.serve(ByteSource.of(file, "text/plain; charset=utf-8")));
            r.get("/blob", (req, res) -> {
                res.header("Content-Disposition", "attachment");
                res.serve(new Blob(CONTENT.getBytes(StandardCharsets.UTF_8)));
            });
            r.get("/empty", (req, res) -> res.serve(ByteSource.of(dir.resolve("empty.bin"), "application/octet-stream")));
            r.get("/not-found-page", (req, res) -> {
                res.status(404);
                res.serve(ByteSource.of("<h1>gone</h1>".getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
            });
        }).boot();
    }

    @AfterAll
    static void shutdown() {
        hearth.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void wholeContent(String path) throws Exception {
        TestHearth.Reply r = hearth.get(path);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(CONTENT);
        assertThat(r.header("content-length")).hasValue("36");
        assertThat(r.header("accept-ranges")).hasValue("bytes");
        assertThat(r.header("etag")).isPresent();
        assertThat(r.header("last-modified")).hasValueSatisfying(v -> assertThat(v).endsWith(" GMT"));
        assertThat(r.header("content-type")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void singleRange(String path) throws Exception {
        TestHearth.Reply r = hearth.get(path, "Range: bytes=6-10");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("6789a");
        assertThat(r.header("content-range")).hasValue("bytes 6-10/36");
        assertThat(r.header("content-length")).hasValue("5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void suffixRange(String path) throws Exception {
        TestHearth.Reply r = hearth.get(path, "Range: bytes=-4");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("wxyz");
        assertThat(r.header("content-range")).hasValue("bytes 32-35/36");
        TestHearth.Reply longer = hearth.get(path, "Range: bytes=-500");
        assertThat(longer.status()).isEqualTo(206);
        assertThat(longer.text()).isEqualTo(CONTENT);
        assertThat(longer.header("content-range")).hasValue("bytes 0-35/36");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void openEndedRange(String path) throws Exception {
        TestHearth.Reply r = hearth.get(path, "Range: bytes=30-");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("uvwxyz");
        assertThat(r.header("content-range")).hasValue("bytes 30-35/36");
        TestHearth.Reply beyond = hearth.get(path, "Range: bytes=30-1000");
        assertThat(beyond.header("content-range")).hasValue("bytes 30-35/36");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void unsatisfiableRangeIs416(String path) throws Exception {
        TestHearth.Reply r = hearth.get(path, "Range: bytes=36-40");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("content-range")).hasValue("bytes */36");
        assertThat(r.header("content-type")).isPresent();
        assertThat(r.body()).isEmpty();
    }

    @Test
    void severalRangesGetTheWholeContent() throws Exception {
        TestHearth.Reply r = hearth.get("/file", "Range: bytes=0-1,5-6");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(CONTENT);
    }

    @Test
    void malformedOrForeignRangeIsIgnored() throws Exception {
        assertThat(hearth.get("/file", "Range: bytes=9-3").status()).isEqualTo(200);
        assertThat(hearth.get("/file", "Range: items=0-3").status()).isEqualTo(200);
        assertThat(hearth.get("/file", "Range: bytes=abc").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void ifRangeWithMatchingEtagGivesTheRangeAndStaleEtagTheWhole(String path) throws Exception {
        String etag = hearth.get(path).header("etag").orElseThrow();
        TestHearth.Reply fresh = hearth.get(path, "Range: bytes=0-3", "If-Range: " + etag);
        assertThat(fresh.status()).isEqualTo(206);
        assertThat(fresh.text()).isEqualTo("0123");
        TestHearth.Reply stale = hearth.get(path, "Range: bytes=0-3", "If-Range: \"something-else\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.text()).isEqualTo(CONTENT);
        TestHearth.Reply weak = hearth.get(path, "Range: bytes=0-3", "If-Range: W/" + etag);
        assertThat(weak.status()).as("a weak tag never validates a range").isEqualTo(200);
    }

    @Test
    void ifRangeWithDate() throws Exception {
        String modified = hearth.get("/blob").header("last-modified").orElseThrow();
        assertThat(modified).isEqualTo("Fri, 02 Jan 2026 03:04:05 GMT");
        assertThat(hearth.get("/blob", "Range: bytes=0-3", "If-Range: " + modified).status()).isEqualTo(206);
        assertThat(hearth.get("/blob", "Range: bytes=0-3", "If-Range: Thu, 01 Jan 2026 00:00:00 GMT").status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void ifNoneMatchGives304WithContentType(String path) throws Exception {
        String etag = hearth.get(path).header("etag").orElseThrow();
        TestHearth.Reply r = hearth.get(path, "If-None-Match: \"other\", " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("content-type")).isPresent();
        assertThat(r.header("etag")).hasValue(etag);
        assertThat(hearth.get(path, "If-None-Match: \"other\"").status()).isEqualTo(200);
        assertThat(hearth.get(path, "If-None-Match: W/" + etag).status()).as("weak comparison").isEqualTo(304);
    }

    @Test
    void ifModifiedSince() throws Exception {
        assertThat(hearth.get("/blob", "If-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT").status()).isEqualTo(304);
        assertThat(hearth.get("/blob", "If-Modified-Since: Fri, 02 Jan 2026 03:04:04 GMT").status()).isEqualTo(200);
    }

    @Test
    void onlyTheRequestedBytesAreRead() throws Exception {
        bytesOpened.set(0);
        hearth.get("/blob", "Range: bytes=10-11");
        assertThat(bytesOpened.get()).isEqualTo(2);
        bytesOpened.set(0);
        hearth.request("HEAD", "/blob", "127.0.0.1:" + hearth.port(), null);
        assertThat(bytesOpened.get()).isZero();
    }

    @Test
    void headersSetBeforeServeAreKeptAndHeadHasNoBody() throws Exception {
        assertThat(hearth.get("/blob").header("content-disposition")).hasValue("attachment");
        TestHearth.Reply head = hearth.request("HEAD", "/file", "127.0.0.1:" + hearth.port(), null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-length")).hasValue("36");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/file", "/blob"})
    void headSendsNoBodyOnAKeptAliveConnection(String path) throws Exception {
        // If a HEAD answer carried a body, the second answer on the connection would be garbage.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", hearth.port())) {
            socket.setSoTimeout(10_000);
            String host = "Host: 127.0.0.1:" + hearth.port() + "\r\n";
            socket.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\n" + host + "\r\n"
                    + "GET " + path + " HTTP/1.1\r\n" + host + "Range: bytes=0-2\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            TestHearth.Reply head = TestHearth.RawHttp.read(socket.getInputStream(), true);
            TestHearth.Reply get = TestHearth.RawHttp.read(socket.getInputStream(), false);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).hasValue("36");
            assertThat(get.status()).isEqualTo(206);
            assertThat(get.text()).isEqualTo("012");
        }
    }

    @Test
    void aNon200PageIsSentWholeWhateverTheConditions() throws Exception {
        TestHearth.Reply r = hearth.get("/not-found-page", "Range: bytes=0-1", "If-None-Match: *");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("<h1>gone</h1>");
    }

    @Test
    void emptyFile() throws Exception {
        TestHearth.Reply r = hearth.get("/empty");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(hearth.get("/empty", "Range: bytes=0-10").status()).isEqualTo(416);
        assertThat(hearth.get("/empty", "Range: bytes=-10").status()).isEqualTo(416);
    }

    @Test
    void parsing() {
        assertThat(RangeRequest.parse(null, 10)).isInstanceOf(RangeRequest.Whole.class);
        assertThat(RangeRequest.parse("bytes=0-0", 10)).isEqualTo(new RangeRequest.Part(0, 0));
        assertThat(RangeRequest.parse("bytes = 2-", 10)).isEqualTo(new RangeRequest.Part(2, 9));
        assertThat(RangeRequest.parse("bytes=-0", 10)).isInstanceOf(RangeRequest.Unsatisfiable.class);
        assertThat(RangeRequest.parse("bytes=10-", 10)).isInstanceOf(RangeRequest.Unsatisfiable.class);
        assertThat(RangeRequest.parse("bytes=0-1,20-30", 10)).isEqualTo(new RangeRequest.Part(0, 1));
        assertThat(RangeRequest.parse("bytes=99999999999999999999-", 10)).isInstanceOf(RangeRequest.Whole.class);
    }
}
