package dev.hearth.fs;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The media type of a name, as {@code /stat} and {@code /rename} report it ({@code "text/plain; charset=utf-8"}),
 * from its extension. A short table of the common types; unknown extensions have none.
 */
public final class MediaTypes {

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"), Map.entry("css", "text/css"), Map.entry("csv", "text/csv"),
            Map.entry("xml", "application/xml"), Map.entry("js", "application/javascript"),
            Map.entry("mjs", "application/javascript"), Map.entry("json", "application/json"),
            Map.entry("ts", "video/mp2t"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("bmp", "image/bmp"), Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"),
            Map.entry("ogg", "audio/ogg"), Map.entry("flac", "audio/flac"), Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"), Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("doc", "application/msword"), Map.entry("wasm", "application/wasm"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("py", "text/x-python"), Map.entry("java", "text/x-java-source"), Map.entry("sh", "application/x-sh"),
            Map.entry("yaml", "text/yaml"), Map.entry("yml", "text/yaml"), Map.entry("rtf", "application/rtf"));

    private MediaTypes() {}

    /** The content type of a file name with its charset where one applies; empty when unknown. */
    public static Optional<String> of(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return Optional.empty();
        }
        String type = BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        boolean text = type.startsWith("text/") || type.equals("application/json")
                || type.equals("application/javascript") || type.equals("application/xml") || type.equals("image/svg+xml");
        return Optional.of(text && !type.equals("image/svg+xml") ? type + "; charset=utf-8" : type);
    }

    /** For an entry: empty for directories. */
    public static Optional<String> of(Entry entry) {
        return entry.isDir() ? Optional.empty() : of(entry.name());
    }
}
