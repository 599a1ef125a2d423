package dev.hearth.ai.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;

/** The external-engine runner with ordinary Unix tools standing in for the engines, and tesseract's TSV reader. */
class LocalToolTest {

    @Test
    void inputGoesInOnStandardInputAndArgumentsAreNeverAShell() {
        LocalTool cat = new LocalTool("cat", "cat", Duration.ofSeconds(10), 1 << 20);
        assertThat(cat.locate()).isPresent();
        assertThat(cat.run(List.of(), new ByteArrayInputStream("hello; rm -rf /".getBytes(StandardCharsets.UTF_8)))
                .text()).isEqualTo("hello; rm -rf /");
        LocalTool echo = new LocalTool("echo", "echo", Duration.ofSeconds(10), 1 << 20);
        assertThat(echo.run(List.of("$(id)", "`id`", "a;b"), null).text()).isEqualTo("$(id) `id` a;b\n");
    }

    @Test
    void aSlowEngineIsStoppedAtItsTimeLimit() {
        LocalTool sleep = new LocalTool("sleep", "sleep", Duration.ofSeconds(1), 1 << 20);
        long start = System.nanoTime();
        assertThatThrownBy(() -> sleep.run(List.of("30"), null)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.code()).isEqualTo("engine_timeout");
            assertThat(e.status()).isEqualTo(504);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void failuresAndTooMuchOutputAreDriverErrors() {
        LocalTool fail = new LocalTool("false", "false", Duration.ofSeconds(5), 1 << 20);
        assertThatThrownBy(() -> fail.run(List.of(), null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.code()).isEqualTo("engine_failed"));
        LocalTool yes = new LocalTool("yes", "yes", Duration.ofSeconds(10), 64 * 1024);
        assertThatThrownBy(() -> yes.run(List.of(), null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.code()).isEqualTo("internal_server_error"));
        assertThat(new LocalTool("none", "no-such-engine-here", Duration.ofSeconds(1), 1).locate()).isEmpty();
    }

    @Test
    void tesseractWordsBecomeLinesWithTheirMeanConfidence() {
        String tsv = """
                level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
                1\t1\t0\t0\t0\t0\t0\t0\t640\t120\t-1\t
                4\t1\t1\t1\t1\t0\t30\t40\t500\t50\t-1\t
                5\t1\t1\t1\t1\t1\t30\t40\t100\t50\t96\tHello
                5\t1\t1\t1\t1\t2\t140\t40\t100\t50\t90\tworld
                5\t1\t1\t1\t2\t1\t30\t100\t100\t50\t80.5\tagain
                5\t1\t1\t1\t2\t2\t30\t100\t100\t50\t95\t\s
                """;
        Map<String, Object> result = TesseractOcr.parse(tsv);
        assertThat(result.get("text")).isEqualTo("Hello world\nagain");
        assertThat(result.get("blocks").toString()).isEqualTo("[{type=text/tesseract:LINE, confidence=93.0, "
                + "text=Hello world}, {type=text/tesseract:LINE, confidence=80.5, text=again}]");
        assertThat(TesseractOcr.parse("level\tpage_num\n").get("blocks")).isEqualTo(List.of());
    }
}
