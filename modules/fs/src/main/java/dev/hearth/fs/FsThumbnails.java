package dev.hearth.fs;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.hearth.kernel.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Thumbnails (filesystem.md 1.7): the checks on the ones clients send, and the ones Hearth makes for uploaded images
 * that came without one. Making one is CPU work on content of any size, so it happens off the request path: a
 * bounded queue in front of a few worker threads; when the queue is full, the upload simply gets no thumbnail.
 *
 * <p>Nothing is decoded before its header has been read: files over {@code max_input_bytes} and images announcing
 * more than {@code max_pixels} are left alone, and the rest are decoded subsampled, close to the thumbnail's size,
 * so memory stays bounded whatever the image. The result (PNG when the image has transparency, else JPEG) is
 * stored as a data URL in the entry's {@code thumbnail}, as clients' thumbnails are, and announced with
 * {@code item.updated}.
 */
final class FsThumbnails {

    private static final Logger log = LoggerFactory.getLogger(FsThumbnails.class);

    /** The thumbnails clients may send: raster images as data URLs, or links. */
    private static final Pattern CLIENT = Pattern.compile(
            "(?i)^(data:image/(png|jpeg|jpg|gif|webp|bmp|avif)(;[a-z0-9=._+-]+)*;base64,[A-Za-z0-9+/=\\s]*|https?://\\S+)$");

    /** What may be worth decoding, by name; files whose name says nothing are tried too. */
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "image/bmp");

    /** What the generator needs of the filesystem: the content, and where to put the result. */
    interface Target {
        InputStream open(String blobKey, long length) throws IOException;

        /** Stores the thumbnail if the entry still has this content and no thumbnail. */
        void apply(String uuid, String blobKey, String dataUrl);
    }

    private final ThumbnailSettings settings;
    private final Target target;
    private final ThreadPoolExecutor workers;

    FsThumbnails(ThumbnailSettings settings, Target target) {
        this.settings = settings;
        this.target = target;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queue()), r -> {
                    Thread t = new Thread(r, "thumbnails-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.NORM_PRIORITY - 1);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        // Decode in memory, never through temporary files (a JVM-wide ImageIO switch; nothing else here wants them).
        ImageIO.setUseCache(false);
    }

    /**
     * A client's thumbnail as it will be stored: a raster image data URL (or a link) is kept; anything else (another
     * type, text, a script URL) is dropped, because the upload it came with matters more than its picture. One longer
     * than {@link Filesystem#MAX_THUMBNAIL_LENGTH} characters is refused ({@code 413 thumbnail_too_large}), as the
     * spec says.
     */
    static Optional<String> fromClient(Optional<String> thumbnail) {
        Optional<String> t = thumbnail.filter(s -> !s.isEmpty());
        if (t.isPresent() && t.get().length() > Filesystem.MAX_THUMBNAIL_LENGTH) {
            throw ApiError.of(413, "thumbnail_too_large", "Thumbnail too large. Max size is "
                    + Filesystem.MAX_THUMBNAIL_LENGTH + " bytes.").with("max_size", Filesystem.MAX_THUMBNAIL_LENGTH);
        }
        return t.filter(s -> CLIENT.matcher(s).matches());
    }

    /** Queues a thumbnail for a file that was just written without one, if it may be an image worth decoding. */
    void offer(Entry file) {
        if (!settings.enabled() || !file.isFile() || file.thumbnail().isPresent() || file.blobKey().isEmpty()
                || file.size().orElse(0L) == 0 || file.size().get() > settings.maxInputBytes() || inAppData(file)) {
            return;
        }
        Optional<String> type = MediaTypes.of(file.name()).map(t -> t.split(";", 2)[0]);
        if (type.isPresent() && !IMAGE_TYPES.contains(type.get())) {
            return;
        }
        String uuid = file.uuid();
        String key = file.blobKey().get();
        long length = file.size().get();
        try {
            workers.execute(() -> {
                try (InputStream in = target.open(key, length)) {
                    make(in).ifPresent(url -> target.apply(uuid, key, url));
                } catch (IOException | RuntimeException e) {
                    log.debug("no thumbnail for {}: {}", uuid, e.toString());
                }
            });
        } catch (RejectedExecutionException busy) {
            log.debug("thumbnail queue full; {} gets none", uuid);
        }
    }

    /**
     * The thumbnail of an image as a data URL; empty when it is not an image ImageIO can read, or announces more
     * pixels than allowed.
     */
    Optional<String> make(InputStream content) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(content)) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // The header only: nothing is decoded yet.
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width * height > settings.maxPixels()) {
                    log.debug("image of {}x{} pixels: no thumbnail", width, height);
                    return Optional.empty();
                }
                ImageReadParam param = reader.getDefaultReadParam();
                // Decode at most about four times the thumbnail's size; Thumbnailator scales the rest smoothly.
                int step = (int) Math.max(1, Math.max(width, height) / (settings.size() * 4L));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image = reader.read(0, param);
                boolean alpha = image.getColorModel().hasAlpha();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                net.coobird.thumbnailator.Thumbnails.of(image).size(settings.size(), settings.size()).outputFormat(alpha ? "png" : "jpg")
                        .outputQuality(0.8).toOutputStream(out);
                String url = "data:image/" + (alpha ? "png" : "jpeg") + ";base64,"
                        + Base64.getEncoder().encodeToString(out.toByteArray());
                return url.length() > Filesystem.MAX_THUMBNAIL_LENGTH ? Optional.empty() : Optional.of(url);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Waits a little for the thumbnails being made, then stops the workers. */
    void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    private static boolean inAppData(Entry e) {
        var parts = e.path().components();
        return parts.size() >= 2 && parts.get(1).equals("AppData");
    }
}
