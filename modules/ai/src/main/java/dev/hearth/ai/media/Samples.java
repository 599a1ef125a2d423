package dev.hearth.ai.media;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The outputs of test mode (spec 1.9), made here rather than fetched from upstream's sample site so that test mode
 * works offline: a sample PNG, a sample MP3, the sample transcription and the sample OCR result; and the offline image
 * provider's pictures. Everything is deterministic: the same input gives the same bytes.
 */
final class Samples {

    private Samples() {}

    /** The test-mode image: the offline picture of a fixed prompt. */
    static byte[] png() {
        return picture("Hearth sample image", 512, 512);
    }

    /**
     * A picture that depends only on {@code prompt} and the size: two gradients and a few discs whose colours and
     * places come from the prompt's SHA-256. No text (no fonts needed), PNG-encoded.
     */
    static byte[] picture(String prompt, int width, int height) {
        byte[] h = sha256(prompt);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, color(h, 0), width, height, color(h, 3)));
            g.fillRect(0, 0, width, height);
            for (int i = 0; i < 6; i++) {
                int b = 6 + i * 4;
                int d = Math.max(8, (h[b] & 0xff) * Math.min(width, height) / 512);
                int x = (h[b + 1] & 0xff) * width / 256 - d / 2;
                int y = (h[b + 2] & 0xff) * height / 256 - d / 2;
                Color c = color(h, b + 1);
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 160));
                g.fillOval(x, y, d, d);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Color color(byte[] h, int i) {
        return new Color(h[i % h.length] & 0xff, h[(i + 1) % h.length] & 0xff, h[(i + 2) % h.length] & 0xff);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test-mode audio: one second of silence as MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono. A frame whose side
     * information is all zero decodes to silence, so the frames are a header and zeros.
     */
    static byte[] mp3() {
        int frameLength = 144 * 128_000 / 44_100; // 417 bytes, no padding
        int frames = 39; // 39 × 1152 samples ≈ 1.02 s
        byte[] out = new byte[frameLength * frames];
        for (int f = 0; f < frames; f++) {
            int o = f * frameLength;
            out[o] = (byte) 0xFF;
            out[o + 1] = (byte) 0xFB; // MPEG-1, Layer III, no CRC
            out[o + 2] = (byte) 0x90; // 128 kbit/s, 44.1 kHz, no padding
            out[o + 3] = (byte) 0xC4; // mono, original
        }
        return out;
    }

    /** The test-mode transcription (spec 1.9), naming the model asked for. */
    static Map<String, Object> transcription(String model) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", "Hello! This is a sample transcription returned while test mode is enabled.");
        out.put("language", "en");
        out.put("duration_seconds", 2);
        out.put("words", List.of(word(0, 0.5, "Hello"), word(0.5, 0.9, "!"),
                word(1.1, 2, "This is a sample transcription.")));
        out.put("model", model);
        return out;
    }

    private static Map<String, Object> word(Number start, Number end, String text) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("start", start);
        w.put("end", end);
        w.put("text", text);
        return w;
    }

    /** The test-mode OCR result of {@code aws-textract} (spec 1.9). */
    static Map<String, Object> ocr() {
        return Map.of("blocks", List.of(
                block("text/textract:WORD", 0.9999998807907104, "Hello"),
                block("text/puter:sample-output", 1, "The test_mode flag is set to true. This is a sample output.")));
    }

    /** The test-mode OCR result of the Mistral provider (spec 1.9). */
    static Map<String, Object> mistralOcr() {
        String text = "Sample OCR output (test mode).";
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("index", 0);
        page.put("markdown", text);
        page.put("images", List.of());
        page.put("dimensions", null);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", "text/mistral:LINE");
        block.put("text", text);
        block.put("page", 0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", "mistral-ocr-latest");
        out.put("pages", List.of(page));
        out.put("blocks", List.of(block));
        out.put("text", text);
        return out;
    }

    static Map<String, Object> block(String type, Number confidence, String text) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", type);
        b.put("confidence", confidence);
        b.put("text", text);
        return b;
    }
}
