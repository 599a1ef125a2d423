package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.kernel.ApiError;

class MultipartReaderTest {

    static final String BOUNDARY = "----hearth7MA4YWxkTrZu0gW";

    /** Hands out at most {@code chunk} bytes per read, so that boundaries fall across reads. */
    static InputStream trickle(byte[] bytes, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    static byte[] body(String... parts) {
        StringBuilder sb = new StringBuilder("preamble to ignore\r\n");
        for (String p : parts) {
            sb.append("--").append(BOUNDARY).append("\r\n").append(p).append("\r\n");
        }
        sb.append("--").append(BOUNDARY).append("--\r\nepilogue");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    record Read(String name, Optional<String> filename, Optional<String> type, String content) {}

    static List<Read> readAll(MultipartReader reader) throws IOException {
        List<Read> out = new ArrayList<>();
        for (Optional<MultipartReader.Part> p = reader.next(); p.isPresent(); p = reader.next()) {
            out.add(new Read(p.get().name(), p.get().filename(), p.get().contentType(),
                    new String(p.get().content().readAllBytes(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 64, 100_000})
    void readsPartsWhateverTheReadSizes(int chunk) throws Exception {
        byte[] body = body(
                "Content-Disposition: form-data; name=\"operation_id\"\r\n\r\nabc",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\"; c.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nline one\r\n--not-a-boundary\r\nline three",
                "Content-Disposition: form-data; name=\"empty\"\r\n\r\n");
        List<Read> parts = readAll(new MultipartReader(trickle(body, chunk), BOUNDARY));
        assertThat(parts).containsExactly(
                new Read("operation_id", Optional.empty(), Optional.empty(), "abc"),
                new Read("file", Optional.of("a \"b\"; c.txt"), Optional.of("text/plain"),
                        "line one\r\n--not-a-boundary\r\nline three"),
                new Read("empty", Optional.empty(), Optional.empty(), ""));
    }

    @Test
    void largeBinaryPartStreams() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        raw.write(data);
        raw.write(("\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.UTF_8));
        MultipartReader reader = new MultipartReader(trickle(raw.toByteArray(), 5000), BOUNDARY);
        MultipartReader.Part part = reader.next().orElseThrow();
        assertThat(part.content().readAllBytes()).isEqualTo(data);
        assertThat(reader.next()).isEmpty();
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void skippingAPartAndStaleStreams() throws Exception {
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body(
                "Content-Disposition: form-data; name=\"a\"\r\n\r\nfirst content",
                "Content-Disposition: form-data; name=\"b\"\r\n\r\nsecond")), BOUNDARY);
        MultipartReader.Part first = reader.next().orElseThrow();
        assertThat(first.content().read()).isEqualTo('f');
        MultipartReader.Part second = reader.next().orElseThrow();
        assertThat(first.content().read()).as("a part's stream ends when the next part is taken").isEqualTo(-1);
        assertThat(new String(second.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
    }

    @Test
    void truncatedBodyIs400() throws Exception {
        byte[] cut = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end")
                .getBytes(StandardCharsets.UTF_8);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(cut), BOUNDARY);
        MultipartReader.Part part = reader.next().orElseThrow();
        assertThatThrownBy(() -> part.content().readAllBytes()).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }

    @Test
    void headerParameters() {
        assertThat(MultipartReader.parameter("multipart/form-data; boundary=abc", "boundary")).hasValue("abc");
        assertThat(MultipartReader.parameter("multipart/form-data; BOUNDARY=\"a;b\"", "boundary")).hasValue("a;b");
        assertThat(MultipartReader.parameter("form-data; name=\"x\"; filename=\"\"", "filename")).hasValue("");
        assertThat(MultipartReader.parameter("form-data; name=\"x\"", "filename")).isEmpty();
    }

    @TempDir
    Path dir;

    @Test
    void overHttp() throws Exception {
        try (TestHearth h = TestHearth.builder(dir).routes(r -> r.post("/batch", (req, res) -> {
            req.jsonTree(); // an auth middleware would look for a body token; multipart is left alone
            MultipartReader reader = MultipartReader.of(req);
            res.json(readAll(reader).stream().map(p -> p.name() + "=" + p.content().length()).toList());
        })).boot()) {
            byte[] body = body("Content-Disposition: form-data; name=\"fileinfo\"\r\n\r\n{\"name\":\"a.txt\"}",
                    "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n" + "z".repeat(70_000));
            TestHearth.Reply r = h.request("POST", "/batch", "127.0.0.1:" + h.port(), body,
                    "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("[\"fileinfo=16\",\"file=70000\"]");
            TestHearth.Reply notMultipart = h.request("POST", "/batch", "127.0.0.1:" + h.port(), new byte[0],
                    "Content-Type: application/json");
            assertThat(notMultipart.status()).isEqualTo(400);
        }
    }
}
