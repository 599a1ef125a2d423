package dev.hearth.ai.media;

import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * Pictures made on this machine, with no model: an abstract PNG that depends only on the prompt and the size
 * ({@link Samples#picture}). It lets apps and tests use {@code txt2img} on a Hearth with no provider configured; it
 * costs nothing. Sizes are capped at 1024 px a side so that a request cannot ask for a huge canvas.
 */
final class OfflineImages implements ImageProvider {

    static final String NAME = "offline";
    static final int MAX_SIDE = 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultModel() {
        return "offline";
    }

    @Override
    public List<String> models() {
        return List.of("offline");
    }

    @Override
    public String usageType(ImageRequest request) {
        return "offline:image";
    }

    @Override
    public Image generate(ImageRequest r) {
        double scale = Math.min(1, (double) MAX_SIDE / Math.max(r.width(), r.height()));
        int w = Math.max(1, (int) Math.round(r.width() * scale));
        int h = Math.max(1, (int) Math.round(r.height() * scale));
        byte[] png = Samples.picture(r.prompt(), w, h);
        return new Image("image/png", png.length, new ByteArrayInputStream(png));
    }
}
