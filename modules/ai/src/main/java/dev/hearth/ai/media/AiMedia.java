package dev.hearth.ai.media;

import dev.hearth.kernel.ApiError;
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

    /** The driver error for a file (an image, an audio upload, a document) beyond what a provider accepts. */
    static ApiError fileTooLarge(long max) {
        return ApiError.of(413, "file_too_large", "File too large. Max size is " + max + " bytes.").with("max_size", max);
    }
}
