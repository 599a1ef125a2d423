package dev.hearth.ai;

import dev.hearth.ai.media.AiMedia;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The AI module: the {@code ai-chat} service ({@code puter-chat-completion}: the built-in offline provider and the
 * providers the configuration enables) and its HTTP routes (model lists, the OpenAI- and Anthropic-compatible
 * endpoints); and the media services of {@code dev.hearth.ai.media} ({@code puter-image-generation},
 * {@code puter-tts}, {@code puter-speech2txt}, {@code puter-ocr}). Install it after the drivers module.
 */
public final class AiModule implements Module {

    @Override
    public String name() {
        return "ai";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("ai-chat", AiChat::new);
        installer.register("ai-http", AiRoutes::new);
        installer.register("ai-compatible-http", CompatibleRoutes::new);
        AiMedia.install(installer);
    }
}
