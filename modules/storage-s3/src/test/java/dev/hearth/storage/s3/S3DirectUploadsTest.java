package dev.hearth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.hearth.fs.spi.DirectUploads;
import dev.hearth.fs.spi.DirectUploads.UploadedPart;

/**
 * Presigned uploads as a client makes them (puter.js's signed batch write): plain HTTP PUTs with
 * {@code java.net.http} to the URLs the store signs, against s3rver.
 */
class S3DirectUploadsTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final S3TestServer server = S3TestServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String prefix = "d-" + UUID.randomUUID();
    private S3BlobStore store;

    @BeforeEach
    void createStore() {
        store = new S3BlobStore(server.settings(prefix), S3BlobStore.MAX_SINGLE_COPY);
    }

    @AfterEach
    void close() {
        store.shutdown();
        http.close();
    }

    private HttpResponse<String> put(URI url, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String read(String key) throws IOException {
        try (InputStream in = store.open(key, 0, Long.MAX_VALUE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aPresignedPutOfTheExactLengthStoresTheObject() throws Exception {
        String k = key();
        byte[] body = "hello from the browser".getBytes(StandardCharsets.UTF_8);
        URI url = store.presignPut(k, body.length, "text/plain", TTL);
        assertThat(url.getQuery()).contains("X-Amz-Expires=300").contains("content-length");

        HttpResponse<String> r = put(url, body, "Content-Type", "text/plain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(read(k)).isEqualTo("hello from the browser");
        assertThat(store.size(k)).hasValue(body.length);
    }

    @Test
    void aPresignedPutOfAnotherLengthIsRefused() throws Exception {
        String k = key();
        URI url = store.presignPut(k, 5, "text/plain", TTL);
        assertThat(put(url, "123456".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain").statusCode())
                .isEqualTo(403);
        assertThat(put(url, "1234".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain").statusCode())
                .isEqualTo(403);
        assertThat(store.size(k)).isEmpty();
    }

    @Test
    void anExpiredUrlIsRefused() throws Exception {
        String k = key();
        URI url = store.presignPut(k, 3, "text/plain", Duration.ofSeconds(1));
        Thread.sleep(2100);
        HttpResponse<String> r = put(url, "abc".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("expired");
        assertThat(store.size(k)).isEmpty();
    }

    @Test
    void partsAnswerAnEtagAndCompletingAssemblesThemInOrder() throws Exception {
        String k = key();
        byte[] first = new byte[5 * 1024 * 1024];
        Arrays.fill(first, (byte) 'a');
        byte[] second = "the end".getBytes(StandardCharsets.UTF_8);
        String uploadId = store.startMultipart(k, "application/octet-stream");

        List<UploadedPart> parts = new ArrayList<>();
        byte[][] bodies = {first, second};
        for (int i = 0; i < bodies.length; i++) {
            URI url = store.presignPart(k, uploadId, i + 1, bodies[i].length, TTL);
            HttpResponse<String> r = put(url, bodies[i]);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).isNotBlank();
            parts.add(new UploadedPart(i + 1, etag));
        }
        assertThat(store.size(k)).as("invisible until completed").isEmpty();

        store.completeMultipart(k, uploadId, parts);
        assertThat(store.size(k)).hasValue(first.length + second.length);
        try (InputStream in = store.open(k, first.length - 2, 100)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("aathe end");
        }
        assertThat(server.pendingUploads()).noneMatch(u -> u.contains(prefix));
    }

    @Test
    void aPartOfAnotherLengthIsRefused() throws Exception {
        String k = key();
        String uploadId = store.startMultipart(k, "application/octet-stream");
        URI url = store.presignPart(k, uploadId, 1, 4, TTL);
        assertThat(put(url, "12345".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);
        store.abortMultipart(k, uploadId);
    }

    @Test
    void abortingFreesTheUploadAndIsIdempotent() throws Exception {
        String k = key();
        String uploadId = store.startMultipart(k, "application/octet-stream");
        HttpResponse<String> r = put(store.presignPart(k, uploadId, 1, 3, TTL), "abc".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.pendingUploads()).anyMatch(u -> u.startsWith(uploadId + " "));

        store.abortMultipart(k, uploadId);
        assertThat(server.pendingUploads()).noneMatch(u -> u.startsWith(uploadId + " "));
        store.abortMultipart(k, uploadId); // nothing left: no error
        assertThatThrownBy(() -> store.completeMultipart(k, uploadId,
                List.of(new UploadedPart(1, r.headers().firstValue("ETag").orElseThrow()))))
                .isInstanceOf(IOException.class);
        assertThat(store.size(k)).isEmpty();
    }

    @Test
    void partsNamedWronglyAreRejectedAsTheClientsMistakeAndTheUploadStays() throws Exception {
        String k = key();
        byte[] first = new byte[5 * 1024 * 1024];
        Arrays.fill(first, (byte) 'x');
        String uploadId = store.startMultipart(k, "application/octet-stream");
        String etag1 = put(store.presignPart(k, uploadId, 1, first.length, TTL), first).headers().firstValue("ETag")
                .orElseThrow();
        String etag2 = put(store.presignPart(k, uploadId, 2, 3, TTL), "end".getBytes(StandardCharsets.UTF_8)).headers()
                .firstValue("ETag").orElseThrow();

        // A part never uploaded (s3rver used to die of it), an ETag that is not the part's, parts out of order.
        for (List<UploadedPart> wrong : List.of(
                List.of(new UploadedPart(1, etag1), new UploadedPart(2, etag2), new UploadedPart(3, etag2)),
                List.of(new UploadedPart(1, etag1), new UploadedPart(2, "\"0123456789abcdef0123456789abcdef\"")),
                List.of(new UploadedPart(2, etag2), new UploadedPart(1, etag1)))) {
            assertThatThrownBy(() -> store.completeMultipart(k, uploadId, wrong))
                    .isInstanceOf(DirectUploads.PartsRejectedException.class);
        }
        assertThat(store.size(k)).isEmpty();

        // S3 keeps the upload after a refused completion: the right parts still complete it.
        store.completeMultipart(k, uploadId, List.of(new UploadedPart(1, etag1), new UploadedPart(2, etag2)));
        assertThat(store.size(k)).hasValue(first.length + 3);
    }

    @Test
    void presigningChecksItsArguments() {
        assertThatThrownBy(() -> store.presignPut("../x", 1, "text/plain", TTL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.presignPart(key(), "u", 0, 1, TTL)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.presignPart(key(), "u", 10_001, 1, TTL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.presignPut(key(), -1, "text/plain", TTL))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
