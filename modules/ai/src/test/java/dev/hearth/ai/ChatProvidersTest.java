package dev.hearth.ai;

import static dev.hearth.ai.FakeProviderServer.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigException;

/** Which providers a configuration enables, Ollama's detection, and the moderation step. */
class ChatProvidersTest {

    static Config config() throws IOException {
        return Config.empty(Files.createTempDirectory("hearth-ai"));
    }

    static AiChatSettings settings(Config c) {
        return c.bind("services.ai-chat", AiChatSettings.class);
    }

    @Test
    void nothingConfiguredNothingEnabled() throws IOException {
        Config c = config().with("services.ai-chat.providers.ollama.enabled", false);
        assertThat(ChatProviders.fromConfig(c, settings(c)).providers()).isEmpty();
    }

    @Test
    void keysInEveryDocumentedPlaceEnableTheirProvider() throws IOException {
        Config c = config().with("services.ai-chat.providers.ollama.enabled", false)
                .with("openai", Map.of("secret_key", "sk-a")).with("services.claude", Map.of("apiKey", "k"))
                .with("services.ai-chat.providers.groq", Map.of("api_key", "g"));
        List<ChatProvider> p = ChatProviders.fromConfig(c, settings(c)).providers();
        assertThat(p).extracting(ChatProvider::name).containsExactly("openai-completion", "openai-responses", "claude", "groq");
        assertThat(p.get(2).models()).extracting(ModelInfo::id).contains("claude-haiku-4-5-20251001");
        assertThat(p.get(2).defaultModel()).isEqualTo("claude-haiku-4-5-20251001");
    }

    @Test
    void ollamaIsDetectedWhenItAnswersLocallyAndNotOtherwise() throws IOException {
        try (FakeProviderServer ollama = new FakeProviderServer()) {
            ollama.then(answer(200, "{\"models\":[{\"name\":\"llama3.2:1b\",\"model\":\"llama3.2:1b\"}]}"));
            Config c = config().with("services.ollama.api_base_url", ollama.baseUrl());
            List<ChatProvider> p = ChatProviders.fromConfig(c, settings(c)).providers();
            assertThat(p).extracting(ChatProvider::name).containsExactly("ollama");
            assertThat(ollama.last().path()).isEqualTo("/api/tags");
            assertThat(p.getFirst().models().getFirst().aliases()).contains("ollama:llama3.2:1b");
            assertThat(p.getFirst().models().getFirst().free()).isTrue();
        }
        Config closed = config().with("services.ollama.api_base_url", "http://127.0.0.1:9/v1");
        long start = System.nanoTime();
        assertThat(ChatProviders.fromConfig(closed, settings(closed)).providers()).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
    }

    @Test
    void aGenericCompatibleProviderNeedsABaseUrl() throws IOException {
        Config c = config().with("services.ai-chat.providers.ollama.enabled", false)
                .with("services.ai-chat.providers.lab", Map.of("type", "openai-compatible"));
        assertThatThrownBy(() -> ChatProviders.fromConfig(c, settings(c))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("services.ai-chat.providers.lab.base_url");
        Config bad = config().with("services.ai-chat.moderation", "sometimes");
        assertThatThrownBy(() -> settings(bad)).hasMessageContaining("services.ai-chat.moderation");
    }

    @Test
    void openAiModerationFlagsAboveTheThresholdAndPassesWhenUnreachable() throws IOException {
        try (FakeProviderServer openai = new FakeProviderServer()) {
            ProviderHttp http = new ProviderHttp(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    new ProviderHttp.Settings("openai-moderation", Duration.ofSeconds(2), Duration.ofSeconds(2),
                            "sk-mod-SECRET12345678"));
            OpenAiModeration m = new OpenAiModeration(http, URI.create(openai.baseUrl()), "sk-mod-SECRET12345678");
            openai.then(answer(200, "{\"results\":[{\"flagged\":true,\"category_scores\":{\"violence\":0.93}}]}"));
            assertThatThrownBy(() -> m.check("something violent")).isInstanceOfSatisfying(ApiError.class,
                    e -> assertThat(e.code()).isEqualTo("moderation_failed"));
            FakeProviderServer.Seen seen = openai.last();
            assertThat(seen.path()).isEqualTo("/v1/moderations");
            assertThat(seen.body().get("model").asString()).isEqualTo("omni-moderation-latest");
            assertThat(seen.body().get("input").asString()).isEqualTo("something violent");
            assertThat(seen.header("authorization")).isEqualTo("Bearer sk-mod-SECRET12345678");
            openai.then(answer(200, "{\"results\":[{\"flagged\":false,\"category_scores\":{\"violence\":0.2}}]}"));
            m.check("a kind word");
            openai.then(answer(500, "{}"));
            m.check("the moderator is down: the prompt passes");
        }
    }
}
