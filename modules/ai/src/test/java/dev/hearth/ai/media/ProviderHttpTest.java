package dev.hearth.ai.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;

/** How provider failures become driver errors, and that keys never survive into them. */
class ProviderHttpTest {

    @Test
    void keysAreRedactedFromProviderMessages() {
        assertThat(ProviderHttp.redact("Incorrect API key provided: sk-proj-abc123XYZ. See docs.", List.of()))
                .isEqualTo("Incorrect API key provided: [redacted]. See docs.");
        assertThat(ProviderHttp.redact("key AIzaSyA1234567890abcdef is bad", List.of()))
                .isEqualTo("key [redacted] is bad");
        assertThat(ProviderHttp.redact("mine is my-own-secret-value", List.of("my-own-secret-value")))
                .isEqualTo("mine is [redacted]");
        assertThat(ProviderHttp.redact("Authorization: Bearer abcdefghijklmnop", List.of()))
                .isEqualTo("Authorization: [redacted]");
    }

    @Test
    void statusesMapToTheSpecsCodes() {
        String body = "{\"error\":{\"message\":\"Bad size sk-live-0123456789\",\"code\":\"x\"}}";
        ApiError bad = ProviderHttp.failure("openai", 400, body, List.of());
        assertThat(bad.code()).isEqualTo("error_400_from_delegate");
        assertThat(bad.getMessage()).isEqualTo("Error 400 from delegate `openai`: Bad size [redacted]");
        assertThat(ProviderHttp.failure("openai", 401, body, List.of()).code()).isEqualTo("provider_auth_failed");
        assertThat(ProviderHttp.failure("openai", 401, body, List.of()).getMessage()).doesNotContain("sk-");
        assertThat(ProviderHttp.failure("gemini", 400, "{\"error\":{\"message\":\"API key not valid\",\"details\":"
                + "[{\"reason\":\"API_KEY_INVALID\"}]}}", List.of()).code()).isEqualTo("provider_auth_failed");
        assertThat(ProviderHttp.failure("openai", 429, body, List.of()).status()).isEqualTo(429);
        assertThat(ProviderHttp.failure("openai", 500, body, List.of()).code()).isEqualTo("provider_error");
        assertThat(ProviderHttp.providerMessage("plain text failure")).isEqualTo("plain text failure");
        assertThat(ProviderHttp.providerMessage("{\"message\":\"Unauthorized\"}")).isEqualTo("Unauthorized");
    }

    @Test
    void imageSizesFollowEachModelsRules() {
        assertThat(OpenAiImages.size("dall-e-2", 300, 300)).isEqualTo("512x512");
        assertThat(OpenAiImages.size("dall-e-3", 1024, 1024)).isEqualTo("1024x1024");
        assertThat(OpenAiImages.size("gpt-image-1", 1024, 1536)).isEqualTo("1024x1536");
        assertThat(OpenAiImages.size("my-local-model", 640, 480)).isEqualTo("640x480");
        assertThat(GeminiImages.aspectRatio(1080, 1920)).isEqualTo("9:16");
        assertThat(GeminiImages.aspectRatio(1000, 1000)).isEqualTo("1:1");
    }
}
