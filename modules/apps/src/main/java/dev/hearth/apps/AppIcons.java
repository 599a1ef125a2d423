package dev.hearth.apps;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;

import dev.hearth.fs.spi.BlobStore;
import dev.hearth.kernel.ApiError;

/**
 * App icons (spec 4.5): a data URL given to {@code puter-apps} is decoded, checked and stored in the blob store, one
 * PNG per size of {@link #SIZES} (resized with Java2D, aspect kept, centred on a transparent square), and the app row
 * keeps only {@code /app-icon/<uid>}. An SVG cannot be rasterised without an SVG engine, so it is stored as it came
 * and served for every size.
 *
 * <p>Serving is safe on the API origin whatever the bytes: {@code X-Content-Type-Options: nosniff} and a sandboxing
 * {@code Content-Security-Policy} (no script, no plugin, no same origin), so an SVG with a script opened as a page
 * runs nothing; raster icons are always re-encoded PNGs, never the uploaded bytes.
 */
final class AppIcons {

    static final List<Integer> SIZES = List.of(16, 32, 64, 128, 256, 512);
    static final int DEFAULT_SIZE = 128;
    static final String MARKER_PREFIX = "/app-icon/";
    static final String SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    /** An icon to send. */
    record Icon(String contentType, byte[] bytes) {}

    private final BlobStore blobs;
    private final AppsSettings settings;
    /** The generated icon of apps without one, per size (computed once each). */
    private final Map<Integer, byte[]> fallback = new ConcurrentHashMap<>();

    AppIcons(BlobStore blobs, AppsSettings settings) {
        this.blobs = blobs;
        this.settings = settings;
    }

    static String marker(String uid) {
        return MARKER_PREFIX + uid;
    }

    /** A decoded data URL. */
    record Decoded(String mediaType, byte[] bytes) {}

    /**
     * Decodes a validated {@code data:image/...;base64,} URL; anything else (not base64, not an image type, empty,
     * larger than {@code app_max_icon_size}) is {@code field_invalid} for {@code icon}.
     */
    Decoded decode(String dataUrl) {
        int comma = dataUrl.indexOf(',');
        if (!dataUrl.startsWith("data:image/") || comma < 0) {
            throw invalid();
        }
        String[] head = dataUrl.substring(5, comma).split(";");
        String mediaType = head[0].toLowerCase(Locale.ROOT);
        boolean base64 = List.of(head).subList(1, head.length).stream().anyMatch(p -> p.equalsIgnoreCase("base64"));
        String payload = dataUrl.substring(comma + 1);
        if (!base64 || (long) payload.length() * 3 / 4 > settings.maxIconBytes() + 3) {
            throw invalid();
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length == 0 || bytes.length > settings.maxIconBytes()) {
            throw invalid();
        }
        return new Decoded(mediaType, bytes);
    }

    static ApiError invalid() {
        return ApiError.fieldInvalid("icon", null, null).with("converted_from_another_error", true);
    }

    /**
     * Stores an app's icon in every size, replacing any earlier one. Raster images that do not decode are
     * {@code field_invalid}: nothing but re-encoded pixels is ever served as a PNG.
     */
    void store(String uid, Decoded icon) {
        try {
            if (icon.mediaType().equals("image/svg+xml")) {
                remove(uid);
                blobs.write(svgKey(uid), new ByteArrayInputStream(icon.bytes()), icon.bytes().length);
                return;
            }
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(icon.bytes()));
            if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
                throw invalid();
            }
            blobs.delete(svgKey(uid));
            for (int size : SIZES) {
                byte[] png = png(resized(image, size));
                blobs.write(pngKey(uid, size), new ByteArrayInputStream(png), png.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void remove(String uid) {
        try {
            blobs.delete(svgKey(uid));
            for (int size : SIZES) {
                blobs.delete(pngKey(uid, size));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored icon of an app at a size, if it has one. */
    Optional<Icon> stored(String uid, int size) throws IOException {
        for (String key : List.of(pngKey(uid, size), svgKey(uid))) {
            if (blobs.size(key).isPresent()) {
                try (InputStream in = blobs.open(key, 0, Long.MAX_VALUE)) {
                    return Optional.of(new Icon(key.endsWith(".svg") ? "image/svg+xml" : "image/png", in.readAllBytes()));
                } catch (java.nio.file.NoSuchFileException raced) {
                    // deleted between the two calls: try the next form
                }
            }
        }
        return Optional.empty();
    }

    /** The icon of an app without one: a plain window on a rounded square. */
    Icon fallback(int size) {
        return new Icon("image/png", fallback.computeIfAbsent(size, s -> {
            BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setColor(new Color(0x3b, 0x6e, 0xd8));
                g.fill(new RoundRectangle2D.Double(0, 0, s, s, s / 4.0, s / 4.0));
                g.setColor(Color.WHITE);
                int m = Math.max(1, s / 5);
                g.fillRect(m, m, s - 2 * m, s - 2 * m);
                g.setColor(new Color(0x3b, 0x6e, 0xd8));
                g.fillRect(m, m, s - 2 * m, Math.max(1, s / 8));
            } finally {
                g.dispose();
            }
            return png(img);
        }));
    }

    private static BufferedImage resized(BufferedImage source, int size) {
        double scale = Math.min((double) size / source.getWidth(), (double) size / source.getHeight());
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage current = source;
        // Halving steps first: one bicubic step from a large image to a small one loses most of the pixels.
        while (current.getWidth() / 2 >= w && current.getHeight() / 2 >= h) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2, current.getWidth() / 2,
                    current.getHeight() / 2, 0, 0);
        }
        return draw(current, size, size, w, h, (size - w) / 2, (size - h) / 2);
    }

    private static BufferedImage draw(BufferedImage source, int canvasW, int canvasH, int w, int h, int x, int y) {
        BufferedImage out = new BufferedImage(canvasW, canvasH, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, x, y, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String pngKey(String uid, int size) {
        return "app-icon." + uid + "-" + size + ".png";
    }

    private static String svgKey(String uid) {
        return "app-icon." + uid + ".svg";
    }
}
