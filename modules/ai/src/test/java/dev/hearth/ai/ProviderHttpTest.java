package dev.hearth.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;

/**
 * The one classification of provider failures: the kinds chat decides on, the driver errors the media services give,
 * and that keys never survive into either.
 */
class ProviderHttpTest {

    private static ApiError driverError(String provider, int status, String body) {
        return ProviderHttp.driverError(ProviderHttp.refusal(provider, status, body, List.of()));
    }

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
        assertThat(ProviderHttp.redact("groq gsk_0123456789abcdef, the task-force stays", List.of()))
                .isEqualTo("groq [redacted], the task-force stays");
    }

    @Test
    void statusesMapToKindsAndToTheSpecsCodes() {
        String body = "{\"error\":{\"message\":\"Bad size sk-live-0123456789\",\"code\":\"x\"}}";
        ApiError bad = driverError("openai", 400, body);
        assertThat(bad.code()).isEqualTo("error_400_from_delegate");
        assertThat(bad.getMessage()).isEqualTo("Error 400 from delegate `openai`: Bad size [redacted]");
        assertThat(driverError("openai", 401, body).code()).isEqualTo("provider_auth_failed");
        assertThat(driverError("openai", 401, body).getMessage()).doesNotContain("sk-");
        String geminiBadKey = "{\"error\":{\"message\":\"API key not valid\",\"details\":[{\"reason\":\"API_KEY_INVALID\"}]}}";
        assertThat(driverError("gemini", 400, geminiBadKey).code()).isEqualTo("provider_auth_failed");
        assertThat(ProviderHttp.refusal("gemini", 400, geminiBadKey, List.of()).kind())
                .as("a refused key is worth trying another provider").isEqualTo(ProviderException.Kind.AUTH);
        assertThat(driverError("openai", 429, body).status()).isEqualTo(429);
        assertThat(driverError("openai", 500, body).code()).isEqualTo("provider_error");
        assertThat(ProviderHttp.refusal("openai", 404, body, List.of()).kind())
                .isEqualTo(ProviderException.Kind.MODEL_NOT_FOUND);
        assertThat(ProviderHttp.refusal("openai", 422, body, List.of()).kind())
                .isEqualTo(ProviderException.Kind.BAD_REQUEST);
        assertThat(ProviderHttp.refusal("openai", 504, body, List.of()).kind())
                .isEqualTo(ProviderException.Kind.TIMEOUT);
        assertThat(ProviderHttp.providerMessage("plain text failure")).isEqualTo("plain text failure");
        assertThat(ProviderHttp.providerMessage("{\"message\":\"Unauthorized\"}")).isEqualTo("Unauthorized");
        assertThat(ProviderHttp.providerMessage("{\"detail\":\"boom\"}")).isEqualTo("boom");
    }
}
