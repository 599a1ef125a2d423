package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;

/** Thumbnails made from images, the checks that come before any decoding, and the checks on clients' thumbnails. */
class FsThumbnailsTest {

    static FsThumbnails maker(long maxPixels) {
        return new FsThumbnails(new ThumbnailSettings(true, 0, maxPixels, 64, 1, 4), new FsThumbnails.Target() {
            @Override
            public InputStream open(String blobKey, long length) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void apply(String uuid, String blobKey, String dataUrl) {
                throw new UnsupportedOperationException();
            }
        });
    }

    static byte[] image(int w, int h, int type, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        var g = img.createGraphics();
        g.setColor(java.awt.Color.BLUE);
        g.fillRect(0, 0, w / 3, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).isTrue();
        return out.toByteArray();
    }

    static BufferedImage decode(String dataUrl) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1))));
    }

    /** A PNG whose header announces {@code w} × {@code h} pixels, followed by no image data at all. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        b.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        CRC32 end = new CRC32();
        end.update("IEND".getBytes(StandardCharsets.US_ASCII));
        b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt((int) end.getValue());
        return b.array();
    }

    @Test
    void pngAndJpegBecomeSmallDataUrlsKeepingTheirShapeAndTransparency() throws IOException {
        FsThumbnails t = maker(50_000_000);
        String jpeg = t.make(new ByteArrayInputStream(image(300, 200, BufferedImage.TYPE_INT_RGB, "jpg"))).orElseThrow();
        assertThat(jpeg).startsWith("data:image/jpeg;base64,");
        BufferedImage small = decode(jpeg);
        assertThat(small.getWidth()).isEqualTo(64);
        assertThat(small.getHeight()).isBetween(42, 43);
        String png = t.make(new ByteArrayInputStream(image(100, 400, BufferedImage.TYPE_INT_ARGB, "png"))).orElseThrow();
        assertThat(png).startsWith("data:image/png;base64,");
        assertThat(decode(png).getHeight()).isEqualTo(64);
        assertThat(decode(png).getColorModel().hasAlpha()).isTrue();
        // A large image is decoded subsampled: memory stays small (the test JVM has 192 MiB).
        String big = t.make(new ByteArrayInputStream(image(6000, 4000, BufferedImage.TYPE_BYTE_GRAY, "png"))).orElseThrow();
        assertThat(decode(big).getWidth()).isEqualTo(64);
    }

    @Test
    void webpIsReadThroughTwelveMonkeys() throws IOException {
        // A 1 × 1 lossless WebP.
        byte[] webp = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
        assertThat(maker(50_000_000).make(new ByteArrayInputStream(webp))).hasValueSatisfying(
                url -> assertThat(url).startsWith("data:image/"));
    }

    @Test
    void tooManyPixelsAreRefusedFromTheHeaderBeforeAnyDecoding() throws IOException {
        FsThumbnails t = maker(1000);
        assertThat(t.make(new ByteArrayInputStream(image(40, 30, BufferedImage.TYPE_INT_RGB, "png")))).isEmpty();
        // 100 000 × 100 000 announced by 45 bytes: decoding would need 40 GB; it is never tried.
        long started = System.nanoTime();
        assertThat(maker(50_000_000).make(new ByteArrayInputStream(pngHeaderOnly(100_000, 100_000)))).isEmpty();
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
        // Not an image at all.
        assertThat(t.make(new ByteArrayInputStream("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
        assertThat(t.make(InputStream.nullInputStream())).isEmpty();
    }

    @Test
    void clientThumbnailsMustBeRasterImagesOrLinksAndAtMost2MiB() {
        assertThat(FsThumbnails.fromClient(Optional.of("data:image/webp;base64,UklGRg=="))).isPresent();
        assertThat(FsThumbnails.fromClient(Optional.of("data:image/png;base64,iVBORw0KGgo="))).isPresent();
        assertThat(FsThumbnails.fromClient(Optional.of("https://example.org/t.png"))).isPresent();
        assertThat(FsThumbnails.fromClient(Optional.of("data:text/html;base64,PHNjcmlwdD4="))).isEmpty();
        assertThat(FsThumbnails.fromClient(Optional.of("data:image/svg+xml;base64,PHN2Zz4="))).isEmpty();
        assertThat(FsThumbnails.fromClient(Optional.of("javascript:alert(1)"))).isEmpty();
        assertThat(FsThumbnails.fromClient(Optional.of(""))).isEmpty();
        assertThat(FsThumbnails.fromClient(Optional.empty())).isEmpty();
        String huge = "data:image/png;base64," + "A".repeat(Filesystem.MAX_THUMBNAIL_LENGTH);
        assertThatThrownBy(() -> FsThumbnails.fromClient(Optional.of(huge))).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.code()).isEqualTo("thumbnail_too_large");
            assertThat(e.getMessage()).isEqualTo("Thumbnail too large. Max size is 2097152 bytes.");
        });
    }
}
