package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work behind the three actions of a {@code media:tasks} entry. Each method takes the entry's fields and returns
 * the {@code media:results} entry ({@code file_id}, {@code action}, {@code status}, {@code output} relative to the
 * media root). Permanent problems throw {@link io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException};
 * anything else (a missing original, a full disk) propagates as is so the task is retried later.
 * Every action can run again for the same task with the same outcome, as a retried task must.
 */
public class MediaTasks {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTasks.class);

    private final MediaRoot root;
    private final EicarScanner scanner = new EicarScanner();
    private int resizeMax = 1024;
    private int previewSize = 256;
    private ImageScaler scaler = new ImageScaler(50_000_000L);

    public MediaTasks(String root) {
        this.root = new MediaRoot(Paths.get(root));
    }

    /** {@code derived/<file_id>/resized.png}, longest side at most {@code media.resize.max}. */
    public Map<String, String> resize(Map<String, String> task) throws IOException {
        return scaled(task, "resize", "resized.png", resizeMax);
    }

    /** {@code derived/<file_id>/preview.png}, longest side at most {@code media.preview.size}. */
    public Map<String, String> preview(Map<String, String> task) throws IOException {
        return scaled(task, "preview", "preview.png", previewSize);
    }

    /** Scans the original; an infected one is moved to {@code quarantine/<file_id>}. */
    public Map<String, String> antivirus(Map<String, String> task) throws IOException {
        String fileId = MediaRoot.checkFileId(task.get("file_id"));
        Path quarantined = root.quarantineDirectory().resolve(fileId);
        Path original;
        try {
            original = root.original(fileId);
        } catch (NoSuchFileException e) {
            if (Files.exists(quarantined, LinkOption.NOFOLLOW_LINKS)) {
                // an earlier delivery quarantined it but did not complete: report the same outcome again
                return result(fileId, "antivirus", "infected", root.relative(quarantined));
            }
            throw e;
        }
        Optional<String> threat = scanner.scan(original);
        if (threat.isEmpty()) {
            return result(fileId, "antivirus", "clean", root.relative(original));
        }
        Files.move(original, quarantined, StandardCopyOption.ATOMIC_MOVE);
        LOG.warn("File {} contains {}: moved to {}", fileId, threat.get(), root.relative(quarantined));
        return result(fileId, "antivirus", "infected", root.relative(quarantined));
    }

    private Map<String, String> scaled(Map<String, String> task, String action, String name, int box) throws IOException {
        String fileId = MediaRoot.checkFileId(task.get("file_id"));
        Path original = root.original(fileId);
        BufferedImage scaledImage = ImageScaler.fit(scaler.read(original), box);
        Path target = root.derivedDirectory(fileId).resolve(name);
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(scaledImage, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
        LOG.debug("{} {}: wrote {} ({}x{})", action, fileId, root.relative(target), scaledImage.getWidth(), scaledImage.getHeight());
        return result(fileId, action, "ok", root.relative(target));
    }

    private static Map<String, String> result(String fileId, String action, String status, String output) {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("file_id", fileId);
        result.put("action", action);
        result.put("status", status);
        result.put("output", output);
        return result;
    }

    public void setResizeMax(int resizeMax) {
        this.resizeMax = positive("media.resize.max", resizeMax);
    }

    public void setPreviewSize(int previewSize) {
        this.previewSize = positive("media.preview.size", previewSize);
    }

    /** Largest width x height accepted before decoding (decompression-bomb guard). */
    public void setMaxPixels(long maxPixels) {
        this.scaler = new ImageScaler(positive("media.max-pixels", maxPixels));
    }

    private static <N extends Number> N positive(String key, N value) {
        if (value.longValue() < 1) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return value;
    }
}
