package dev.hearth.ai.media;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.hearth.drivers.DriverResult;
import dev.hearth.kernel.ApiError;

/**
 * Speech made on this machine by {@code espeak-ng}: the text goes in on standard input (never as an argument, so that
 * no text can be read as an option), the WAV comes out in a temporary file that is streamed and deleted when the
 * response is done. A file rather than {@code --stdout} because espeak-ng cannot seek its standard output and then
 * leaves the RIFF sizes as placeholders, which some players refuse. The format is always WAV ({@code audio/wav}):
 * Hearth ships no MP3 encoder, and puter.js plays whatever media type it gets. Free: metered as
 * {@code espeak-ng:character} at no cost.
 */
final class EspeakSpeech implements SpeechProvider {

    static final String NAME = "espeak-ng";
    static final long MAX_WAV_BYTES = 128L << 20;

    private final LocalTool tool;
    private volatile List<Map<String, Object>> voices;

    EspeakSpeech(LocalTool tool) {
        this.tool = tool;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code espeak-ng --voices}, read once: {@code Pty Language Age/Gender VoiceName File Other-languages}. */
    @Override
    public List<Map<String, Object>> voices() {
        List<Map<String, Object>> v = voices;
        if (v == null) {
            List<Map<String, Object>> out = new ArrayList<>();
            String listing = tool.run(List.of("--voices"), null).text();
            for (String line : listing.lines().skip(1).toList()) {
                String[] c = line.strip().split("\\s+");
                if (c.length < 5) {
                    continue;
                }
                Map<String, Object> voice = new LinkedHashMap<>();
                voice.put("id", c[1]);
                voice.put("name", c[3].replace('_', ' '));
                voice.put("language", Map.of("name", c[3].replace('_', ' '), "code", c[1]));
                voice.put("provider", NAME);
                voice.put("supported_engines", List.of(NAME));
                out.add(voice);
            }
            voices = v = List.copyOf(out);
        }
        return v;
    }

    @Override
    public List<Map<String, Object>> engines() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", NAME);
        e.put("name", "eSpeak NG");
        e.put("pricing_per_million_chars", 0);
        e.put("provider", NAME);
        return List.of(e);
    }

    @Override
    public String usageType(SpeechRequest request) {
        return "espeak-ng:character";
    }

    /**
     * The espeak-ng voice for a request: {@code voice} if espeak-ng has it, else the voice of {@code language}
     * ({@code en-US} → {@code en-us}, else {@code en}), else English. Polly and OpenAI voice names fall through to the
     * language, so that puter.js's defaults ({@code Joanna}, {@code en-US}) speak.
     */
    String voiceFor(SpeechRequest r) {
        List<String> ids = voices().stream().map(m -> (String) m.get("id")).toList();
        for (String candidate : new String[] {r.voice(), r.language()}) {
            if (candidate == null || candidate.isBlank()) {
                continue;
            }
            String c = candidate.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            if (ids.contains(c)) {
                return c;
            }
            String primary = c.split("-", 2)[0];
            if (ids.contains(primary)) {
                return primary;
            }
        }
        return ids.contains("en") ? "en" : ids.isEmpty() ? "en" : ids.getFirst();
    }

    @Override
    public DriverResult.Stream synthesize(SpeechRequest r) {
        Path wav;
        try {
            wav = Files.createTempFile("hearth-tts-", ".wav");
        } catch (IOException e) {
            throw ApiError.of(500, "internal_server_error", "An internal server error occurred.");
        }
        try {
            List<String> args = new ArrayList<>(List.of("-v", voiceFor(r), "-b", "1", "-w", wav.toString()));
            if (r.ssml()) {
                args.add("-m");
            }
            args.add("--stdin");
            tool.run(args, new ByteArrayInputStream(r.text().getBytes(StandardCharsets.UTF_8)));
            long size = Files.size(wav);
            if (size <= 44 || size > MAX_WAV_BYTES) {
                throw ApiError.of(400, "engine_failed", "The local `espeak-ng` engine could not process the input.");
            }
            return new DriverResult.Stream("audio/wav", size, new DeletingStream(Files.newInputStream(wav), wav));
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(wav);
            } catch (IOException ignored) {
                // a leftover temporary file
            }
            if (e instanceof ApiError a) {
                throw a;
            }
            throw ApiError.of(500, "internal_server_error", "An internal server error occurred.");
        }
    }

    /** Deletes the temporary file once the response has been written (or abandoned). */
    private static final class DeletingStream extends FilterInputStream {
        private final Path file;

        DeletingStream(InputStream in, Path file) {
            super(in);
            this.file = file;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
