package dev.hearth.ai.media;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.hearth.ai.AiModule;
import dev.hearth.core.CoreModule;
import dev.hearth.drivers.DriversModule;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Kernel;
import dev.hearth.web.WebModule;

/** A bad media or allowance setting stops the boot with a message naming the full key. */
class MediaSettingsTest {

    private static void bootFails(String key, String... settings) throws IOException {
        Config config = ConfigLoader.load(Files.createTempDirectory("hearth-ai"), Optional.empty(), Map.of(),
                List.of(settings));
        assertThatThrownBy(() -> Kernel.builder(config).externalModules(false).module(new WebModule()).module(new CoreModule())
                .module(new DriversModule()).module(new AiModule()).build().boot()).hasMessageContaining(key);
    }

    @Test
    void badValuesNameTheirKeys() throws IOException {
        bootFails("services.ai-tts.espeak.timeout_seconds", "services.ai-tts.espeak.timeout_seconds=0");
        bootFails("services.ai-ocr.tesseract.languages", "services.ai-ocr.tesseract.languages=eng;rm");
        bootFails("services.ai-image.request_timeout_seconds", "services.ai-image.request_timeout_seconds=-1");
        bootFails("services.openai.baseUrl", "services.openai.apiKey=sk-x", "services.openai.baseUrl=ftp://example.org");
        bootFails("extensions.metering.monthly_allowance_microcents",
                "extensions.metering.monthly_allowance_microcents=-5");
        // the allowance is one for chat and media: chat's former keys must not be ignored silently
        bootFails("services.ai-chat.unlimitedUsage", "services.ai-chat.unlimitedUsage=true");
        bootFails("services.ai-chat.monthly_allowance_microcents",
                "services.ai-chat.monthly_allowance_microcents=100");
    }
}
