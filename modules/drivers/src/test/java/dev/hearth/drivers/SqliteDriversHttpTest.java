package dev.hearth.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.hearth.drivers.testing.TestHttp;

class SqliteDriversHttpTest extends DriversHttpContract {
    @Override
    protected boolean postgres() {
        return false;
    }

    /** The test JVM's heap is under 256 MiB (see the pom): a buffered upload would fail. One engine is enough. */
    @Test
    void aLargeMultipartFileArgumentStreamsInBoundedMemory() throws Exception {
        long size = 256L * 1024 * 1024;
        String boundary = "----hearth-large";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"object\"\r\n\r\n"
                + json(obj("interface", "test-echo", "method", "upload", "auth_token", alice.token(), "args.source",
                        obj("$", "file", "size", size, "type", "application/octet-stream")))
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        InputStream content = new InputStream() {
            private final Random random = new Random(11);
            private long left = size;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                sha.update(chunk);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
        InputStream body = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(head), content, new ByteArrayInputStream(tail))));
        TestHttp.Reply r = http.sendStream("POST", "/drivers/call", body, head.length + size + tail.length,
                "Content-Type: multipart/form-data; boundary=" + boundary);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("result").get("bytes").asLong()).isEqualTo(size);
        assertThat(r.json().get("result").get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
    }
}
