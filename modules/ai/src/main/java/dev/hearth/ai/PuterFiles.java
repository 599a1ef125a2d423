package dev.hearth.ai;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.hearth.core.Actor;
import dev.hearth.drivers.DriverFile;
import dev.hearth.drivers.spi.DriverFileResolver;
import dev.hearth.kernel.ApiError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Message parts that name a Puter file, {@code {"puter_path": "/alice/Pictures/cat.png"}} (spec 4.4), read with the
 * caller's permissions through the drivers' {@link DriverFileResolver}s and inlined before any provider sees them:
 * an image becomes an {@code image_url} data URL, audio an {@code input_audio} part, text its content; anything
 * else a note that the file could not be used (as upstream). Files are limited to {@value #MAX_BYTES} bytes.
 */
final class PuterFiles {

    static final int MAX_BYTES = 5_000_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PuterFiles() {}

    /** Replaces every {@code puter_path} part in place. */
    static void inline(ArrayNode messages, Actor actor, List<DriverFileResolver> resolvers) {
        for (JsonNode m : messages) {
            JsonNode content = m.get("content");
            if (content == null || !content.isArray()) {
                continue;
            }
            ArrayNode parts = (ArrayNode) content;
            for (int i = 0; i < parts.size(); i++) {
                JsonNode p = parts.get(i);
                if (p.path("puter_path").isString() && !p.has("type")) {
                    parts.set(i, part(p.get("puter_path").asString(), actor, resolvers));
                }
            }
        }
    }

    private static ObjectNode part(String path, Actor actor, List<DriverFileResolver> resolvers) {
        DriverFile file = null;
        for (DriverFileResolver r : resolvers) {
            Optional<DriverFile> f = r.resolve(actor, path);
            if (f.isPresent()) {
                file = f.get();
                break;
            }
        }
        if (file == null) {
            throw ApiError.of(404, "subject_does_not_exist", "File or directory not found.").with("path", path);
        }
        byte[] bytes;
        try (InputStream in = file.open()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.of(404, "subject_does_not_exist", "File or directory not found.").with("path", path);
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiError.of(413, "file_too_large", "File too large. Max size is " + MAX_BYTES + " bytes.");
        }
        String mime = file.contentType().filter(t -> !t.isBlank())
                .or(() -> Optional.ofNullable(URLConnection.guessContentTypeFromName(path)))
                .orElse("application/octet-stream").toLowerCase(Locale.ROOT);
        if (mime.startsWith("image/")) {
            ObjectNode image = NODES.objectNode().put("type", "image_url");
            image.putObject("image_url").put("url", "data:" + mime + ";base64,"
                    + Base64.getEncoder().encodeToString(bytes));
            return image;
        }
        if (mime.startsWith("audio/")) {
            ObjectNode audio = NODES.objectNode().put("type", "input_audio");
            audio.putObject("input_audio").put("data", Base64.getEncoder().encodeToString(bytes))
                    .put("format", mime.contains("wav") ? "wav" : "mp3");
            return audio;
        }
        if (mime.startsWith("text/") || mime.equals("application/json")) {
            return Messages.text(new String(bytes, StandardCharsets.UTF_8));
        }
        return Messages.text("{error: input file has unsupported MIME type; the user did not write this message}");
    }
}
