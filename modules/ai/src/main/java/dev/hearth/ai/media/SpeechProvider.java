package dev.hearth.ai.media;

import java.util.List;
import java.util.Map;

import dev.hearth.drivers.DriverResult;

/** One way to turn text into speech (a {@code puter-tts} provider, spec 5.3). */
interface SpeechProvider {

    /** The provider's name as {@code list_voices} reports it and {@code provider} selects it. */
    String name();

    /** The voices, in {@code list_voices}' shape. */
    List<Map<String, Object>> voices();

    /** The engines (or models), in {@code list_engines}' shape. */
    List<Map<String, Object>> engines();

    /** The usage type of one character of {@code request}. */
    String usageType(SpeechRequest request);

    /** The audio, as a stream of bytes with its media type; failures are driver errors. */
    DriverResult.Stream synthesize(SpeechRequest request);

    /** What the client asked for; the provider fills its defaults. */
    record SpeechRequest(String text, String voice, String language, String model, String responseFormat,
            String instructions, boolean ssml) {}
}
