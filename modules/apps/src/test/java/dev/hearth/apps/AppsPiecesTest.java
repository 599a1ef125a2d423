package dev.hearth.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.hearth.fs.spi.BlobStore;
import dev.hearth.kernel.ApiError;

/** The pure parts: URL rules, suggestion rules, icon decoding and resizing. */
class AppsPiecesTest {

    @Test
    void indexUrlsFollowValidatorsIsUrl() {
        for (String ok : List.of("https://example.com", "http://localhost", "example.org/x", "ftp://files.example.net",
                "https://[::1]:8080/", "http://10.0.0.1:3000/a?b#c", "https://xn--bcher-kva.example/", "https://bücher.de")) {
            assertThat(AppsDriver.validUrl(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("javascript:alert(1)", "file:///etc/passwd", "https://", "https://example",
                "https://exa mple.com", "https://a@example.com", "https://example.com:0/", "https://example.com:99999",
                "https://-bad.example.com", "https://example.123", "vbscript://x.example.com", "https://x.com/<script>")) {
            assertThat(AppsDriver.validUrl(bad)).as(bad).isFalse();
        }
    }

    @Test
    void builtInSuggestionRules() {
        assertThat(AppRegistry.builtInSuggestions("notes.txt", false)).containsExactly("editor", "code");
        assertThat(AppRegistry.builtInSuggestions("Makefile", false)).containsExactly("code", "editor");
        assertThat(AppRegistry.builtInSuggestions("app.JS", false)).containsExactly("code", "editor");
        assertThat(AppRegistry.builtInSuggestions("photo.JPG", false)).containsExactly("viewer", "draw");
        assertThat(AppRegistry.builtInSuggestions("a.pdf", false)).containsExactly("pdf");
        assertThat(AppRegistry.builtInSuggestions("song.mp3", false)).containsExactly("player");
        assertThat(AppRegistry.builtInSuggestions("README.md", false)).containsExactly("markus");
        assertThat(AppRegistry.builtInSuggestions("archive.zip", false)).isEmpty();
        assertThat(AppRegistry.builtInSuggestions("Documents", true)).isEmpty();
    }

    /** A blob store in memory. */
    static final class MemoryBlobs implements BlobStore {
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();

        @Override
        public long write(String key, InputStream content, long expectedLength) throws IOException {
            byte[] b = content.readAllBytes();
            objects.put(BlobStore.checkKey(key), b);
            return b.length;
        }

        @Override
        public InputStream open(String key, long offset, long length) throws IOException {
            byte[] b = objects.get(key);
            if (b == null) {
                throw new java.nio.file.NoSuchFileException(key);
            }
            return new ByteArrayInputStream(b);
        }

        @Override
        public OptionalLong size(String key) {
            byte[] b = objects.get(key);
            return b == null ? OptionalLong.empty() : OptionalLong.of(b.length);
        }

        @Override
        public boolean delete(String key) {
            return objects.remove(key) != null;
        }

        @Override
        public void copy(String sourceKey, String targetKey) {
            objects.put(targetKey, objects.get(sourceKey));
        }
    }

    @Test
    void iconsAreDecodedCheckedAndStoredPerSize() throws IOException {
        MemoryBlobs blobs = new MemoryBlobs();
        AppIcons icons = new AppIcons(blobs, new AppsSettings(60, 60, 100_000));
        String uid = "app-11111111-1111-4111-8111-111111111111";
        icons.store(uid, icons.decode("data:image/png;base64," + AppsHttpContract.png(1200, 30)));
        assertThat(blobs.objects).hasSize(AppIcons.SIZES.size());
        for (int size : AppIcons.SIZES) {
            var img = ImageIO.read(new ByteArrayInputStream(icons.stored(uid, size).orElseThrow().bytes()));
            assertThat(img.getWidth()).isEqualTo(size);
            assertThat(img.getHeight()).isEqualTo(size);
        }
        // an SVG replaces the PNGs and is served for every size
        icons.store(uid, icons.decode("data:image/svg+xml;base64," + Base64.getEncoder().encodeToString("<svg/>".getBytes())));
        assertThat(blobs.objects).containsOnlyKeys("app-icon." + uid + ".svg");
        assertThat(icons.stored(uid, 16).orElseThrow().contentType()).isEqualTo("image/svg+xml");
        icons.remove(uid);
        assertThat(blobs.objects).isEmpty();
        assertThat(icons.stored(uid, 16)).isEmpty();
        assertThat(ImageIO.read(new ByteArrayInputStream(icons.fallback(32).bytes())).getWidth()).isEqualTo(32);

        for (String bad : List.of("data:image/png,AAAA", "data:text/html;base64,PGgxPg==", "data:image/png;base64,",
                "data:image/png;base64,***", "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[100_001]))) {
            assertThatThrownBy(() -> icons.decode(bad)).as(bad).isInstanceOf(ApiError.class)
                    .hasMessage("Field `icon` is invalid.");
        }
        assertThatThrownBy(() -> icons.store(uid, icons.decode("data:image/png;base64,"
                + Base64.getEncoder().encodeToString("not a png".getBytes())))).isInstanceOf(ApiError.class);
    }
}
