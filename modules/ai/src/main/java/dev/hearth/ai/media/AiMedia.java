package dev.hearth.ai.media;

import dev.hearth.kernel.ModuleInstaller;

/**
 * The AI media services, each a driver provider with its configuration section under {@code services.<name>}:
 * {@code ai-image} ({@code puter-image-generation}), {@code ai-tts} ({@code puter-tts}), {@code ai-speech2txt}
 * ({@code puter-speech2txt}) and {@code ai-ocr} ({@code puter-ocr}). Registered by the AI module, after the drivers
 * module; everything else in this package is internal.
 */
public final class AiMedia {

    private AiMedia() {}

    /** Registers the four services. */
    public static void install(ModuleInstaller installer) {
        installer.register(ImageService.SERVICE, ImageService::new);
        installer.register(SpeechService.SERVICE, SpeechService::new);
        installer.register(TranscriptionService.SERVICE, TranscriptionService::new);
        installer.register(OcrService.SERVICE, OcrService::new);
    }
}
