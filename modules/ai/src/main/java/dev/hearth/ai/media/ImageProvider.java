package dev.hearth.ai.media;

import java.io.InputStream;
import java.util.List;

/** One way to make pictures from a prompt (an {@code ai-image} provider, spec 5.1). */
interface ImageProvider {

    /** The provider's name, which clients may use as {@code driver} or {@code provider}. */
    String name();

    /** The model used when the client names none. */
    String defaultModel();

    /** The models it offers, lower case. */
    List<String> models();

    /** The usage type a picture of this request is metered as (one unit per picture). */
    String usageType(ImageRequest request);

    /** Generates one picture; failures are driver errors ({@code ApiError}). */
    Image generate(ImageRequest request);

    /**
     * What the client asked for, after model and size resolution.
     *
     * @param quality the provider's quality level, or empty for its default
     */
    record ImageRequest(String prompt, String model, String quality, int width, int height) {}

    /** A picture: its bytes as a stream, {@code length} negative when unknown. */
    record Image(String contentType, long length, InputStream body) {}
}
