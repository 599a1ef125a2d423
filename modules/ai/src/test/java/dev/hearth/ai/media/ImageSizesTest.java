package dev.hearth.ai.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The image size each model is asked for. */
class ImageSizesTest {

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
