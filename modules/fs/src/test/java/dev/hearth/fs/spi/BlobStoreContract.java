package dev.hearth.fs.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The specification of a {@link BlobStore}. An implementation's test extends this and provides a fresh, empty
 * store per test ({@code storage-s3} runs it against an S3 server; this module's test-jar carries it).
 */
public abstract class BlobStoreContract {

    protected BlobStore store;

    /** A fresh, empty store. */
    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    protected static String key() {
        return UUID.randomUUID().toString();
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(String key, long offset, long length) throws IOException {
        try (InputStream in = store.open(key, offset, length)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesAndReadsBack() throws IOException {
        String k = key();
        assertThat(store.write(k, bytes("hello world"), 11)).isEqualTo(11);
        assertThat(read(k, 0, Long.MAX_VALUE)).isEqualTo("hello world");
        assertThat(store.size(k)).hasValue(11);
    }

    @Test
    void anUnknownLengthIsCounted() throws IOException {
        String k = key();
        assertThat(store.write(k, bytes("abc"), -1)).isEqualTo(3);
        assertThat(store.size(k)).hasValue(3);
    }

    @Test
    void readsRanges() throws IOException {
        String k = key();
        store.write(k, bytes("0123456789"), 10);
        assertThat(read(k, 2, 3)).isEqualTo("234");
        assertThat(read(k, 8, 100)).isEqualTo("89");
        assertThat(read(k, 10, 5)).isEmpty();
        assertThat(read(k, 0, 0)).isEmpty();
    }

    @Test
    void aShortWriteLeavesNothing() throws IOException {
        String k = key();
        assertThatThrownBy(() -> store.write(k, bytes("abc"), 5))
                .isInstanceOf(BlobStore.LengthMismatchException.class)
                .satisfies(e -> assertThat(((BlobStore.LengthMismatchException) e).actual()).isEqualTo(3));
        assertThat(store.size(k)).isEmpty();
    }

    @Test
    void aLongWriteLeavesNothing() throws IOException {
        String k = key();
        assertThatThrownBy(() -> store.write(k, bytes("abcdef"), 5))
                .isInstanceOf(BlobStore.LengthMismatchException.class);
        assertThat(store.size(k)).isEmpty();
    }

    @Test
    void aFailedReplacementKeepsTheOldObject() throws IOException {
        String k = key();
        store.write(k, bytes("old"), 3);
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ < 100_000) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> store.write(k, failing, -1)).hasMessageContaining("connection reset");
        assertThat(read(k, 0, 100)).isEqualTo("old");
    }

    @Test
    void aWriteReplacesTheObject() throws IOException {
        String k = key();
        store.write(k, bytes("first version"), -1);
        store.write(k, bytes("second"), -1);
        assertThat(read(k, 0, 100)).isEqualTo("second");
    }

    @Test
    void copiesAndDeletes() throws IOException {
        String a = key();
        String b = key();
        store.write(a, bytes("content"), 7);
        store.copy(a, b);
        assertThat(store.delete(a)).isTrue();
        assertThat(store.delete(a)).isFalse();
        assertThat(store.size(a)).isEmpty();
        assertThat(read(b, 0, 100)).isEqualTo("content");
    }

    @Test
    void missingObjects() {
        String k = key();
        assertThatThrownBy(() -> store.open(k, 0, 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.copy(k, key())).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void keysAreChecked() {
        assertThatThrownBy(() -> store.size("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.size(".hidden")).isInstanceOf(IllegalArgumentException.class);
    }
}
