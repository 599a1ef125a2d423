package dev.hearth.ai.media;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.hearth.ai.ProviderHttp;
import dev.hearth.kernel.ConfigException;

/**
 * Hearth's own keys in the section of a media service ({@code services.ai-image}, {@code services.ai-tts},
 * {@code services.ai-speech2txt}, {@code services.ai-ocr}); the provider keys are read where spec §7 puts them
 * ({@link ProviderConfig}).
 *
 * @param requestTimeoutSeconds how long one provider request may take, answer included (default 120)
 * @param connectTimeoutSeconds how long connecting to a provider may take (default 10)
 * @param offline {@code services.ai-image.offline}: whether the offline image provider answers calls that are not in
 *                test mode when no cloud provider is configured (default true), so apps work offline
 * @param espeak {@code services.ai-tts.espeak}: the local speech engine
 * @param tesseract {@code services.ai-ocr.tesseract}: the local OCR engine
 */
record MediaSettings(@JsonProperty("request_timeout_seconds") Integer requestTimeoutSeconds,
        @JsonProperty("connect_timeout_seconds") Integer connectTimeoutSeconds,
        Boolean offline, Engine espeak, Engine tesseract) {

    /**
     * A local engine.
     *
     * @param enabled {@code false} turns it off; otherwise it serves when its binary is installed
     * @param binary the executable's name on the {@code PATH}, or its path
     * @param timeoutSeconds how long one run may take (default 60)
     * @param languages tesseract's {@code -l} value (default {@code eng})
     */
    record Engine(Boolean enabled, String binary, @JsonProperty("timeout_seconds") Integer timeoutSeconds,
            String languages) {
        Engine {
            enabled = enabled == null || enabled;
            timeoutSeconds = timeoutSeconds == null ? 60 : timeoutSeconds;
        }

        /**
         * The engine with its defaults, validated here rather than in the compact constructor, so that the error
         * names the key with the engine's section ({@code espeak.timeout_seconds}).
         */
        Engine withDefaults(String section, String defaultBinary) {
            if (timeoutSeconds < 1) {
                throw ConfigException.invalid(section + ".timeout_seconds", timeoutSeconds, "1 or more seconds");
            }
            if (languages != null && !languages.matches("[A-Za-z_+]{1,200}")) {
                throw ConfigException.invalid(section + ".languages", languages,
                        "tesseract language codes joined by +");
            }
            return new Engine(enabled, binary == null || binary.isBlank() ? defaultBinary : binary, timeoutSeconds,
                    languages == null ? "eng" : languages);
        }
    }

    MediaSettings {
        requestTimeoutSeconds = requestTimeoutSeconds == null ? 120 : requestTimeoutSeconds;
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 10 : connectTimeoutSeconds;
        if (requestTimeoutSeconds < 1) {
            throw ConfigException.invalid("request_timeout_seconds", requestTimeoutSeconds, "1 or more seconds");
        }
        if (connectTimeoutSeconds < 1) {
            throw ConfigException.invalid("connect_timeout_seconds", connectTimeoutSeconds, "1 or more seconds");
        }
        offline = offline == null || offline;
        espeak = (espeak == null ? new Engine(null, null, null, null) : espeak).withDefaults("espeak", "espeak-ng");
        tesseract = (tesseract == null ? new Engine(null, null, null, null) : tesseract)
                .withDefaults("tesseract", "tesseract");
    }

    ProviderHttp http() {
        return ProviderHttp.create(Duration.ofSeconds(connectTimeoutSeconds), Duration.ofSeconds(requestTimeoutSeconds));
    }
}
