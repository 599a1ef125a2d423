package dev.hearth.fs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * The media type of a file, as {@code /stat} and {@code /rename} report it ({@code "text/plain; charset=utf-8"}):
 * from its name first (a short table of upstream's answers, then Apache Tika's name patterns), and from its first
 * bytes (Tika's magic numbers) only when the name says nothing. And what may be served as it is on the API origin.
 */
public final class MediaTypes {

    /** How many leading bytes {@link #detect} needs to see: enough for every magic number Tika knows of interest. */
    public static final int HEAD_BYTES = 8192;

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

    /**
     * What a browser shows without running anything: these may be served inline on the API origin (a
     * {@code /token-read} URL in an {@code <img>} or {@code <video>}). Everything else (HTML, SVG, XML, scripts,
     * PDF, unknown) would run in, or with the authority of, the API origin, and is served as a download.
     */
    private static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
            "image/avif", "image/vnd.microsoft.icon", "image/x-icon", "text/plain", "text/csv", "application/json");

    private static final String OCTET_STREAM = "application/octet-stream";

    private MediaTypes() {}

    /** The content type of a file name with its charset where one applies; empty when the name says nothing. */
    public static Optional<String> of(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 || dot == name.length() - 1 ? null
                : BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            // Tika's registry is built once per class loader and only read afterwards.
            type = MimeTypes.getDefaultMimeTypes().getMimeType(name).getName();
        }
        return withCharset(type);
    }

    /** For an entry, from its name: empty for directories. */
    public static Optional<String> of(Entry entry) {
        return entry.isDir() ? Optional.empty() : of(entry.name());
    }

    /**
     * The type of a file from its name, or, when the name says nothing, from its first bytes ({@link #HEAD_BYTES}
     * are enough); empty when neither does.
     */
    public static Optional<String> detect(String name, byte[] head) {
        Optional<String> byName = of(name);
        if (byName.isPresent() || head.length == 0) {
            return byName;
        }
        try {
            MediaType magic = MimeTypes.getDefaultMimeTypes().detect(new ByteArrayInputStream(head), new Metadata());
            return withCharset(magic.getBaseType().toString());
        } catch (IOException cannotHappen) {
            return Optional.empty();
        }
    }

    /**
     * The {@code Content-Type} under which content of {@code type} may be served on the API origin: the type itself
     * when a browser only displays it, else {@code application/octet-stream}, which with {@code nosniff} is never
     * rendered.
     */
    public static String servable(Optional<String> type) {
        return type.filter(MediaTypes::inline).orElse(OCTET_STREAM);
    }

    /** Whether content of this type may be shown inline by a browser on the API origin. */
    public static boolean inline(String type) {
        String base = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return INLINE.contains(base) || base.startsWith("audio/") || base.startsWith("video/");
    }

    private static Optional<String> withCharset(String type) {
        if (type == null || type.equals(OCTET_STREAM)) {
            return Optional.empty();
        }
        boolean text = type.startsWith("text/") || type.equals("application/json")
                || type.equals("application/javascript") || type.equals("application/xml");
        return Optional.of(text ? type + "; charset=utf-8" : type);
    }
}
