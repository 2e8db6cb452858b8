package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work behind the four actions of a {@code media:tasks} entry. Each method takes the entry's fields and returns
 * the {@code media:results} entry ({@code file_id}, {@code action}, {@code status}, {@code output} relative to the
 * media root, and per action {@code bytes_in}/{@code bytes_out} or {@code engine}/{@code threat}). Permanent problems
 * throw {@link io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException}; anything else (a missing
 * original, a full disk, clamd unreachable) propagates as is so the task is retried later.
 * Every action can run again for the same task with the same outcome, as a retried task must.
 */
public class MediaTasks implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTasks.class);

    private final MediaRoot root;
    private int resizeMax = 1024;
    private int previewSize = 256;
    private long maxPixels = 50_000_000L;
    private String outputFormat = ImageEncoder.JPEG;
    private int jpegQuality = 85;
    private int webpQuality = 80;
    private String vipsCommand = "vips";
    private String cwebpCommand = "cwebp";
    private Duration toolTimeout = Duration.ofMinutes(2);
    private ImageScaler scaler;
    private ImageEncoder encoder;
    private String clamdHost = "";
    private int clamdPort = 3310;
    private int clamdTimeoutMs = 30_000;
    private long clamdMaxBytes = 100L * 1024 * 1024;
    private VirusScanner scanner;
    private CamelContext camelContext;
    private boolean healthCheckRegistered;

    public MediaTasks(String root) {
        this.root = new MediaRoot(Paths.get(root));
        rebuildCodecs();
    }

    /** The decoder and encoder from the current settings (each setter calls it, so a bad value fails at start). */
    private synchronized void rebuildCodecs() {
        scaler = new ImageScaler(maxPixels, new HeifDecoder(new ExternalTool(vipsCommand, toolTimeout)));
        encoder = new ImageEncoder(outputFormat, jpegQuality, webpQuality, new ExternalTool(cwebpCommand, toolTimeout));
    }

    /** {@code derived/<file_id>/resized.jpg} (or {@code .webp}), longest side at most {@code media.resize.max}. */
    public Map<String, String> resize(Map<String, String> task) throws IOException {
        return scaled(task, "resize", "resized", resizeMax);
    }

    /** {@code derived/<file_id>/preview.jpg} (or {@code .webp}), longest side at most {@code media.preview.size}. */
    public Map<String, String> preview(Map<String, String> task) throws IOException {
        return scaled(task, "preview", "preview", previewSize);
    }

    /**
     * The original re-encoded at its own size (upright, sRGB, without metadata) as {@code derived/<file_id>/compressed.jpg}
     * (or {@code .webp}) when that is smaller; otherwise the original is kept and is the output.
     */
    public Map<String, String> compress(Map<String, String> task) throws IOException {
        String fileId = MediaRoot.checkFileId(task.get("file_id"));
        Path original = root.original(fileId);
        long bytesIn = Files.size(original);
        ImageScaler scaler;
        ImageEncoder encoder;
        synchronized (this) {
            scaler = this.scaler;
            encoder = this.encoder;
        }
        ImageScaler.Decoded decoded = scaler.read(original);
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        encoder.write(ExifOrientation.apply(decoded.image(), decoded.orientation()), encoded);
        Path target = root.derivedDirectory(fileId).resolve("compressed." + encoder.extension());
        if (encoded.size() >= bytesIn) {
            Files.deleteIfExists(target); // a stale one from an earlier, different original
            return sized(result(fileId, "compress", "ok", root.relative(original), decoded.format()), bytesIn, bytesIn);
        }
        AtomicFiles.write(target, encoded::writeTo);
        return sized(result(fileId, "compress", "ok", root.relative(target), encoder.format()), bytesIn, encoded.size());
    }

    /**
     * Scans the original with clamd (or the built-in EICAR check when no clamd is configured); an infected one is
     * moved to {@code quarantine/<file_id>}. A scan that cannot be done fails the task, which is retried.
     */
    public Map<String, String> antivirus(Map<String, String> task) throws IOException {
        String fileId = MediaRoot.checkFileId(task.get("file_id"));
        Path quarantined = root.quarantineDirectory().resolve(fileId);
        Path original;
        try {
            original = root.original(fileId);
        } catch (NoSuchFileException e) {
            if (Files.isRegularFile(quarantined, LinkOption.NOFOLLOW_LINKS)) {
                // an earlier delivery quarantined it but did not complete: scan again for the same outcome and threat name
                VirusScanner.ScanVerdict verdict = scanner().scan(quarantined);
                return scanned(fileId, verdict.infected() ? "infected" : "clean", root.relative(quarantined), verdict,
                        Files.size(quarantined));
            }
            throw e;
        }
        long bytesIn = Files.size(original);
        VirusScanner.ScanVerdict verdict = scanner().scan(original);
        if (!verdict.infected()) {
            return scanned(fileId, "clean", root.relative(original), verdict, bytesIn);
        }
        Files.move(original, quarantined, StandardCopyOption.ATOMIC_MOVE);
        LOG.warn("File {} contains {} ({}): moved to {}", fileId, verdict.threat(), verdict.engine(), root.relative(quarantined));
        return scanned(fileId, "infected", root.relative(quarantined), verdict, bytesIn);
    }

    private Map<String, String> scaled(Map<String, String> task, String action, String name, int box) throws IOException {
        String fileId = MediaRoot.checkFileId(task.get("file_id"));
        Path original = root.original(fileId);
        long bytesIn = Files.size(original);
        ImageScaler scaler;
        ImageEncoder encoder;
        synchronized (this) {
            scaler = this.scaler;
            encoder = this.encoder;
        }
        ImageScaler.Decoded decoded = scaler.read(original, box);
        BufferedImage scaledImage = ExifOrientation.apply(ImageScaler.fit(decoded.image(), box), decoded.orientation());
        Path target = root.derivedDirectory(fileId).resolve(name + "." + encoder.extension());
        AtomicFiles.write(target, out -> encoder.write(scaledImage, out));
        LOG.debug("{} {}: wrote {} ({}x{})", action, fileId, root.relative(target), scaledImage.getWidth(), scaledImage.getHeight());
        return sized(result(fileId, action, "ok", root.relative(target), encoder.format()), bytesIn, Files.size(target));
    }

    private static Map<String, String> result(String fileId, String action, String status, String output) {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("file_id", fileId);
        result.put("action", action);
        result.put("status", status);
        result.put("output", output);
        return result;
    }

    /** An image result: also the {@code format} of the output file ({@code jpeg}, {@code webp}, or the kept original's). */
    private static Map<String, String> result(String fileId, String action, String status, String output, String format) {
        Map<String, String> result = result(fileId, action, status, output);
        result.put("format", format);
        return result;
    }

    private static Map<String, String> sized(Map<String, String> result, long bytesIn, long bytesOut) {
        result.put("bytes_in", Long.toString(bytesIn));
        result.put("bytes_out", Long.toString(bytesOut));
        return result;
    }

    private static Map<String, String> scanned(String fileId, String status, String output, VirusScanner.ScanVerdict verdict,
            long bytesIn) {
        Map<String, String> result = result(fileId, "antivirus", status, output);
        result.put("engine", verdict.engine());
        if (verdict.infected()) {
            result.put("threat", verdict.threat());
        }
        result.put("bytes_in", Long.toString(bytesIn));
        return result;
    }

    /** clamd when {@code media.antivirus.clamd.host} is set, else the built-in EICAR check; built on first use. */
    synchronized VirusScanner scanner() {
        if (scanner == null) {
            scanner = clamdConfigured() ? new ClamdScanner(clamdHost, clamdPort, clamdTimeoutMs, clamdMaxBytes) : new EicarScanner();
            if (clamdConfigured()) {
                LOG.info("Antivirus engine: clamd at {}", clamdAddress());
            } else {
                LOG.warn("Antivirus engine: {} (no media.antivirus.clamd.host): it finds only the EICAR test file", EicarScanner.ENGINE);
            }
        }
        return scanner;
    }

    private boolean clamdConfigured() {
        return clamdHost != null && !clamdHost.isBlank();
    }

    private String clamdAddress() {
        return clamdHost + ":" + clamdPort;
    }

    /** With clamd configured, a readiness check {@code media:clamd} (UP while clamd answers PING). */
    private synchronized void registerHealthCheck() {
        if (healthCheckRegistered || camelContext == null || !clamdConfigured()) {
            return;
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(new ClamdHealthCheck(() -> (ClamdScanner) scanner()));
            healthCheckRegistered = true;
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        // the health check registry is set up while the context starts, after the beans of the route files
        try {
            camelContext.addStartupListener((context, alreadyStarted) -> registerHealthCheck());
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the clamd readiness check: " + e.getMessage(), e);
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setResizeMax(int resizeMax) {
        this.resizeMax = positive("media.resize.max", resizeMax);
    }

    public void setPreviewSize(int previewSize) {
        this.previewSize = positive("media.preview.size", previewSize);
    }

    /** Largest width x height accepted before decoding (decompression-bomb guard), for every input format. */
    public synchronized void setMaxPixels(long maxPixels) {
        this.maxPixels = positive("media.max-pixels", maxPixels);
        rebuildCodecs();
    }

    /** {@code media.output-format}: {@code jpeg} or {@code webp}. */
    public synchronized void setOutputFormat(String outputFormat) {
        this.outputFormat = outputFormat;
        rebuildCodecs();
    }

    /** {@code media.jpeg.quality}, 1-100. */
    public synchronized void setJpegQuality(int jpegQuality) {
        this.jpegQuality = jpegQuality;
        rebuildCodecs();
    }

    /** {@code media.webp.quality}, 1-100 (cwebp's {@code -q}). */
    public synchronized void setWebpQuality(int webpQuality) {
        this.webpQuality = webpQuality;
        rebuildCodecs();
    }

    /** {@code media.vips.command}: the vips executable that decodes HEIC/HEIF. */
    public synchronized void setVipsCommand(String vipsCommand) {
        this.vipsCommand = command("media.vips.command", vipsCommand);
        rebuildCodecs();
    }

    /** {@code media.cwebp.command}: the cwebp executable that encodes WebP outputs. */
    public synchronized void setCwebpCommand(String cwebpCommand) {
        this.cwebpCommand = command("media.cwebp.command", cwebpCommand);
        rebuildCodecs();
    }

    /** {@code media.tool-timeout} ({@code 2m}, {@code 30s}, ...): how long vips or cwebp may take for one image. */
    public synchronized void setToolTimeout(String toolTimeout) {
        Duration timeout = TimeUtils.toDuration(toolTimeout);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("media.tool-timeout must be positive, got " + toolTimeout);
        }
        this.toolTimeout = timeout;
        rebuildCodecs();
    }

    private static String command(String key, String command) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException(key + " must name an executable");
        }
        return command.strip();
    }

    /** {@code media.antivirus.clamd.host}; empty: no clamd, the built-in EICAR check. */
    public synchronized void setClamdHost(String clamdHost) {
        this.clamdHost = clamdHost == null ? "" : clamdHost.strip();
        this.scanner = null;
    }

    public synchronized void setClamdPort(int clamdPort) {
        if (clamdPort < 1 || clamdPort > 65535) {
            throw new IllegalArgumentException("media.antivirus.clamd.port must be between 1 and 65535, got " + clamdPort);
        }
        this.clamdPort = clamdPort;
        this.scanner = null;
    }

    public synchronized void setClamdTimeoutMs(int clamdTimeoutMs) {
        this.clamdTimeoutMs = positive("media.antivirus.clamd.timeout-ms", clamdTimeoutMs);
        this.scanner = null;
    }

    /** clamd's StreamMaxLength: larger files are refused as a permanent error instead of being sent. */
    public synchronized void setClamdMaxBytes(long clamdMaxBytes) {
        this.clamdMaxBytes = positive("media.antivirus.clamd.max-bytes", clamdMaxBytes);
        this.scanner = null;
    }

    private static <N extends Number> N positive(String key, N value) {
        if (value.longValue() < 1) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return value;
    }
}
