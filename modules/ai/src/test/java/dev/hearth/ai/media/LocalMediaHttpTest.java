package dev.hearth.ai.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.hearth.ai.AiModule;
import dev.hearth.drivers.testing.DriverHttpFixture;
import dev.hearth.drivers.testing.TestHttp;
import dev.hearth.kernel.Module;
import tools.jackson.databind.JsonNode;

/**
 * A Hearth with no provider configured: the local engines for real ({@code tesseract} reads text Java2D drew,
 * {@code espeak-ng} speaks a WAV), the offline image provider, and {@code no_implementation_available} where nothing
 * local exists (speech to text). Needs Debian's {@code tesseract-ocr} and {@code espeak-ng} (installed by
 * {@code .ci/run}).
 */
class LocalMediaHttpTest extends DriverHttpFixture {

    @Override
    protected boolean postgres() {
        return false;
    }

    @Override
    protected List<Module> modules() {
        return List.of(new AiModule());
    }

    /** Black text on white, large enough for tesseract to read without doubt. */
    static byte[] textImage(String... lines) throws IOException {
        BufferedImage image = new BufferedImage(900, 90 + 90 * lines.length, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 48));
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 40, 100 + 90 * i);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void tesseractReadsTextFromADataUrl() throws IOException {
        String t = signup().token();
        byte[] png = textImage("Hearth reads this", "Second line 2026");
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-ocr", "driver", "ai-ocr",
                "test_mode", false, "method", "recognize", "args", obj("source", "data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(png)), "auth_token", t)),
                "Content-Type: text/plain;actually=json");
        JsonNode result = r.json().get("result");
        assertThat(result).as(r.toString()).isNotNull();
        assertThat(result.get("blocks").size()).isEqualTo(2);
        assertThat(result.at("/blocks/0/type").asString()).isEqualTo("text/tesseract:LINE");
        assertThat(result.at("/blocks/0/text").asString()).isEqualTo("Hearth reads this");
        assertThat(result.at("/blocks/0/confidence").asDouble()).isGreaterThan(50);
        assertThat(result.at("/blocks/1/text").asString()).isEqualTo("Second line 2026");
        assertThat(result.get("text").asString()).isEqualTo("Hearth reads this\nSecond line 2026");
        assertThat(result(t, "driver", "usage", obj()).toString())
                .contains("\"usage_type\":\"tesseract:page\",\"units\":1");
    }

    @Test
    void tesseractReadsAMultipartUploadAndRefusesGarbage() throws IOException {
        String t = signup().token();
        byte[] png = textImage("Multipart upload");
        String boundary = "----hearth" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        CloudMediaHttpTest.part(body, boundary, "object", null, null, json(obj("interface", "puter-ocr",
                "driver", "aws-textract", "method", "recognize", "auth_token", t, "args.source", obj("$", "file",
                        "size", png.length, "type", "image/png"))).getBytes(StandardCharsets.UTF_8));
        CloudMediaHttpTest.part(body, boundary, "file", "scan.png", "image/png", png);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        TestHttp.Reply r = http.sendBytes("POST", "/drivers/call", body.toByteArray(),
                "Content-Type: multipart/form-data; boundary=" + boundary);
        assertThat(r.json().at("/service/name").asString()).as(r.toString()).isEqualTo("ai-ocr");
        assertThat(r.json().at("/result/blocks/0/text").asString()).isEqualTo("Multipart upload");

        JsonNode bad = error(t, "puter-ocr", "recognize", obj("source", "data:image/png;base64,"
                + Base64.getEncoder().encodeToString("not an image at all".getBytes(StandardCharsets.UTF_8))));
        assertThat(bad.get("code").asString()).isEqualTo("engine_failed");
        assertThat(error(t, "puter-ocr", "recognize", obj()).get("code").asString())
                .isEqualTo("missing_required_argument");
    }

    @Test
    void espeakSpeaksAWavForPuterJs22sPollyDefaults() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = http.send("POST", "/drivers/call", json(obj("interface", "puter-tts", "driver", "aws-polly",
                "test_mode", false, "method", "synthesize", "args", obj("text", "Hello from Hearth", "voice", "Joanna",
                        "engine", "standard", "language", "en-US"), "auth_token", t)),
                "Content-Type: text/plain;actually=json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).as(r.toString().substring(0, Math.min(300, r.body().length)))
                .contains("audio/wav");
        byte[] wav = r.body();
        assertThat(wav.length).isGreaterThan(10_000);
        assertThat(r.header("content-length")).contains(Integer.toString(wav.length));
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(b.getInt(4)).as("RIFF size").isEqualTo(wav.length - 8);
        assertThat(new String(wav, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(b.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(b.getShort(22)).as("mono").isEqualTo((short) 1);
        assertThat(b.getInt(24)).as("sample rate").isEqualTo(22050);
        assertThat(new String(wav, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(b.getInt(40)).as("data size").isEqualTo(wav.length - 44);
        short peak = 0;
        for (int i = 44; i + 1 < wav.length; i += 2) {
            peak = (short) Math.max(peak, Math.abs(b.getShort(i)));
        }
        assertThat(peak).as("not silence").isGreaterThan((short) 1000);
        assertThat(result(t, "driver", "usage", obj()).toString())
                .contains("\"usage_type\":\"espeak-ng:character\",\"units\":17");

        JsonNode voices = result(t, "puter-tts", "list_voices", obj("provider", "espeak"));
        assertThat(voices.toString()).contains("\"id\":\"en-us\"");
        assertThat(result(t, "puter-tts", "list_engines", obj()).toString()).contains("\"id\":\"espeak-ng\"");
        TestHttp.Reply german = call(t, "puter-tts", "synthesize", obj("text", "Guten Tag", "language", "de-DE"));
        assertThat(german.header("content-type")).contains("audio/wav");
        assertThat(call(t, "puter-tts", "synthesize", obj("text", "x", "provider", "openai")).header("content-type"))
                .as("openai is not configured: the local engine serves").contains("audio/wav");
    }

    @Test
    void theOfflineImageProviderServesWhenNothingIsConfigured() throws IOException {
        String t = signup().token();
        TestHttp.Reply r = call(t, "puter-image-generation", "generate", obj("prompt", "a lighthouse", "ratio",
                obj("w", 512, "h", 256)));
        assertThat(r.header("content-type")).contains("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(image.getWidth()).isEqualTo(512);
        assertThat(image.getHeight()).isEqualTo(256);
        TestHttp.Reply again = call(t, "puter-image-generation", "generate", obj("prompt", "a lighthouse", "ratio",
                obj("w", 512, "h", 256)));
        assertThat(again.body()).as("deterministic").isEqualTo(r.body());
        assertThat(call(t, "puter-image-generation", "generate", obj("prompt", "another")).body())
                .isNotEqualTo(r.body());
        assertThat(error(t, "puter-image-generation", "generate", obj("prompt", "x", "model", "dall-e-3"))
                .get("code").asString()).isEqualTo("field_invalid");
    }

    @Test
    void speechToTextHasNoLocalEngine() throws IOException {
        String t = signup().token();
        JsonNode e = error(t, "puter-speech2txt", "transcribe", obj("file", "data:audio/wav;base64,UklGRg=="));
        assertThat(e.get("code").asString()).isEqualTo("no_implementation_available");
        assertThat(result(t, "puter-speech2txt", "transcribe", obj("file", "data:audio/wav;base64,UklGRg==",
                "test_mode", true)).get("model").asString()).isEqualTo("gpt-4o-mini-transcribe");
    }
}
