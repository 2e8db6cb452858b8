package io.streamroutes.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * routes/media.yaml as the media tests run it: the real application in-process against its own Redis, its
 * {@code media.root} (with {@code originals/}) under a temporary directory, reads blocking 200 ms, and a Redis
 * connection open for each test. A test class names only its own settings and the tools it needs:
 * <pre>{@code @RegisterExtension static final MediaRoute media = MediaRoute.with(Map.of("media.max-deliveries", "3"))
 *         .requiring(Corpus::requireTools);}</pre>
 * The helpers read the route's streams: {@code media:tasks}, {@code media:results}, {@code media:dead-letter}.
 */
final class MediaRoute implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    private final Map<String, String> settings;
    private Runnable requirement = () -> { };
    private Path dir;
    private Path root;
    private ScenarioApp app;
    private Jedis jedis;
    private Corpus corpus;

    private MediaRoute(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The route with these settings on top of the fixture's ({@code media.root}, {@code media.block-ms}). */
    static MediaRoute with(Map<String, String> settings) {
        return new MediaRoute(settings);
    }

    /** Checked before anything starts: skips (or, under CI, fails) the class when a tool is missing. */
    MediaRoute requiring(Runnable toolCheck) {
        this.requirement = toolCheck;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requirement.run();
        redis.beforeAll(context);
        dir = Files.createTempDirectory("media-route");
        root = Files.createDirectories(dir.resolve("media/originals")).getParent();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("media.root", root.toString());
        all.put("media.block-ms", "200");
        all.putAll(settings);
        app = ScenarioApp.start(redis.host(), redis.port(), all, "routes/media.yaml");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (app != null) {
            app.close();
            app = null;
        }
        redis.afterAll(context);
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file); // links are deleted, never followed
                }
            }
            dir = null;
            corpus = null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        jedis = redis.newJedis();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        jedis.close();
    }

    /** The temporary directory holding the media root (and whatever a test puts next to it). */
    Path dir() {
        return dir;
    }

    /** {@code media.root}. */
    Path root() {
        return root;
    }

    ScenarioApp app() {
        return app;
    }

    /** This test's connection to the route's Redis. */
    Jedis jedis() {
        return jedis;
    }

    /** Photos built with ImageMagick and exiftool next to the media root (the class requires {@link Corpus#requireTools}). */
    Corpus corpus() throws IOException {
        if (corpus == null) {
            corpus = new Corpus(dir.resolve("corpus"));
        }
        return corpus;
    }

    /** Where the route reads the original of {@code fileId}. */
    Path original(String fileId) {
        return root.resolve("originals").resolve(fileId);
    }

    /** Writes an original under another name first, so the route never reads a half-written one. */
    void writeOriginal(String fileId, byte[] content) {
        Path temp = root.resolve("originals").resolve(fileId + ".part");
        try {
            Files.write(temp, content);
            Files.move(temp, original(fileId), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a task of user 456 to {@code media:tasks}; returns its id. */
    String task(String fileId, String action) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("user_id", "456");
        fields.put("file_id", fileId);
        fields.put("action", action);
        return jedis.xadd("media:tasks", StreamEntryID.NEW_ENTRY, fields).toString();
    }

    /**
     * Adds a task and waits (up to a minute: HEIC decoding is slow on a loaded machine) until it has a result for
     * {@code action}; fails when it was dead-lettered instead.
     */
    Map<String, String> process(String fileId, String action) {
        task(fileId, action);
        await(action + " " + fileId).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> result(fileId, action) != null || !deadLetters(fileId).isEmpty());
        assertEquals(List.of(), deadLetters(fileId), fileId + " dead-lettered");
        return result(fileId, action);
    }

    /** Waits until {@code fileId} has a result for {@code action}. */
    Map<String, String> awaitResult(String fileId, String action, Duration atMost) {
        await("result for " + fileId).atMost(atMost).until(() -> result(fileId, action) != null);
        return result(fileId, action);
    }

    /** Waits until {@code fileId} was dead-lettered; its first dead letter. */
    Map<String, String> awaitDeadLetter(String fileId, Duration atMost) {
        await("dead letter for " + fileId).atMost(atMost).until(() -> !deadLetters(fileId).isEmpty());
        return deadLetters(fileId).get(0);
    }

    void awaitNothingPending() {
        await("nothing pending").atMost(Duration.ofSeconds(15)).until(() -> pendingCount() == 0);
    }

    long pendingCount() {
        return jedis.xpending("media:tasks", "media-workers").getTotal();
    }

    List<Map<String, String>> results(String fileId) {
        return entries("media:results", fileId);
    }

    /** The dead letters of {@code fileId} (null: of tasks without one). */
    List<Map<String, String>> deadLetters(String fileId) {
        return entries("media:dead-letter", fileId);
    }

    /** How often the pending task was delivered (0 when not pending). */
    long deliveryCount(String id) {
        return jedis.xpending("media:tasks", "media-workers",
                        XPendingParams.xPendingParams(new StreamEntryID(id), new StreamEntryID(id), 1))
                .stream().findFirst().map(p -> p.getDeliveredTimes()).orElse(0L);
    }

    private Map<String, String> result(String fileId, String action) {
        return results(fileId).stream().filter(r -> action.equals(r.get("action"))).findFirst().orElse(null);
    }

    private List<Map<String, String>> entries(String stream, String fileId) {
        return jedis.xrange(stream, (StreamEntryID) null, (StreamEntryID) null).stream().map(StreamEntry::getFields)
                .filter(f -> Objects.equals(f.get("file_id"), fileId)).toList();
    }
}
