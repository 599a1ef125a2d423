package dev.hearth.ai.media;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hearth.ai.ProviderHttp;
import dev.hearth.drivers.Args;
import dev.hearth.drivers.DriverFile;
import dev.hearth.kernel.ApiError;

/**
 * OCR on this machine with {@code tesseract}: the image is streamed to its standard input ({@code stdin} as the input
 * name), the word table comes back as TSV on its standard output, and words are gathered into lines: blocks of type
 * {@code text/tesseract:LINE} with the mean word confidence (0–100, as Textract's), which puter.js joins with newlines
 * as it does Textract's lines. Free: metered as {@code tesseract:page} at no cost.
 */
final class TesseractOcr implements OcrProvider {

    static final String NAME = "tesseract";
    /** The largest image accepted; puter.js sends at most 10 MB. */
    static final long MAX_BYTES = 20L << 20;

    private final LocalTool tool;
    private final String languages;

    TesseractOcr(LocalTool tool, String languages) {
        this.tool = tool;
        this.languages = languages;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String usageType(Args args) {
        return "tesseract:page";
    }

    @Override
    public Map<String, Object> recognize(DriverFile source, Args args) {
        if (source.size().isPresent() && source.size().getAsLong() > MAX_BYTES) {
            throw AiMedia.fileTooLarge(MAX_BYTES);
        }
        ProviderHttp.Limited image;
        try {
            image = new ProviderHttp.Limited(source.open(), MAX_BYTES, "the image");
        } catch (IOException e) {
            throw ApiError.fieldInvalid("source", "a readable file", null);
        }
        LocalTool.Output out;
        try (image) {
            out = tool.run(List.of("stdin", "stdout", "-l", languages, "tsv"), image);
        } catch (IOException e) {
            throw ApiError.of(500, "internal_server_error", "An internal server error occurred.");
        } catch (ApiError e) {
            if (image.count() > MAX_BYTES) {
                throw AiMedia.fileTooLarge(MAX_BYTES);
            }
            throw e;
        }
        if (image.count() > MAX_BYTES) {
            throw AiMedia.fileTooLarge(MAX_BYTES);
        }
        if (image.count() == 0) {
            throw ApiError.fieldInvalid("source", "a non-empty image", null);
        }
        return parse(out.text());
    }

    /** Tesseract's TSV: {@code level page block par line word left top width height conf text}; level 5 is a word. */
    static Map<String, Object> parse(String tsv) {
        Map<String, List<String[]>> lines = new LinkedHashMap<>();
        for (String row : tsv.lines().skip(1).toList()) {
            String[] c = row.split("\t", -1);
            if (c.length < 12 || !c[0].equals("5") || c[11].isBlank()) {
                continue;
            }
            lines.computeIfAbsent(c[1] + "/" + c[2] + "/" + c[3] + "/" + c[4], k -> new ArrayList<>()).add(c);
        }
        List<Map<String, Object>> blocks = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (List<String[]> words : lines.values()) {
            StringBuilder text = new StringBuilder();
            double confidence = 0;
            for (String[] w : words) {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append(w[11].strip());
                try {
                    confidence += Math.max(0, Double.parseDouble(w[10]));
                } catch (NumberFormatException e) {
                    // no confidence for this word
                }
            }
            blocks.add(Samples.block("text/tesseract:LINE", Math.round(confidence / words.size() * 100) / 100.0,
                    text.toString()));
            if (!all.isEmpty()) {
                all.append('\n');
            }
            all.append(text);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("blocks", blocks);
        result.put("text", all.toString());
        return result;
    }
}
