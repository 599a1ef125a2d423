package dev.hearth.ai;

import dev.hearth.ai.media.AiMedia;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The AI module: chat, image, speech and OCR providers behind Puter's driver interfaces.
 */
public final class AiModule implements Module {

    @Override
    public String name() {
        return "ai";
    }

    @Override
    public void install(ModuleInstaller installer) {
        // services are registered here as they land
        AiMedia.install(installer);
    }
}
