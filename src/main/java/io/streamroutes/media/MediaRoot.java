package io.streamroutes.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * The media directory tree and the only place that turns a task's {@code file_id} into paths. Every path it hands
 * out is inside the root: the id is checked against a strict pattern (no dots, slashes, backslashes or NUL can get
 * through), and the directories and files are checked on disk so that a symbolic link planted inside the root cannot
 * lead outside it.
 */
public final class MediaRoot {

    static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Path root;

    public MediaRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The id if it is a safe single path segment; anything else is a permanent error. */
    public static String checkFileId(String fileId) {
        if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
            throw new RedisStreamsNonRetryableException("invalid file_id " + printable(fileId)
                                                        + ": must match " + FILE_ID.pattern());
        }
        return fileId;
    }

    /**
     * The original upload as a regular file (not a link). A missing file is an upload that may still be in progress:
     * {@link NoSuchFileException}, which the route lets propagate so the task is retried later.
     */
    public Path original(String fileId) throws IOException {
        Path file = insideRealDirectory("originals").resolve(checkFileId(fileId));
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(relative(file), null, "original not found (upload still in progress?)");
        }
        if (!attrs.isRegularFile()) {
            throw new RedisStreamsNonRetryableException("original " + relative(file) + " is not a regular file"
                                                        + (attrs.isSymbolicLink() ? " (symbolic link, not followed)" : ""));
        }
        return file;
    }

    /** {@code derived/<file_id>/}, created when missing. */
    public Path derivedDirectory(String fileId) throws IOException {
        Path derived = insideRealDirectory("derived");
        Path dir = derived.resolve(checkFileId(fileId));
        Files.createDirectories(dir);
        return requireInside(dir);
    }

    /** {@code quarantine/}, created when missing. */
    public Path quarantineDirectory() throws IOException {
        return insideRealDirectory("quarantine");
    }

    /** Path relative to the root with forward slashes, the form written to {@code media:results}. */
    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** A top-level directory of the root, created when missing, whose real location is inside the real root. */
    private Path insideRealDirectory(String name) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        return requireInside(dir);
    }

    /** Fails unless the directory, with all links resolved, is inside the root (with its links resolved). */
    private Path requireInside(Path dir) throws IOException {
        Path realRoot = root.toRealPath();
        Path realDir = dir.toRealPath();
        if (!realDir.startsWith(realRoot) || !Files.isDirectory(realDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new RedisStreamsNonRetryableException("directory " + relative(dir) + " leads outside the media root");
        }
        return dir;
    }

    /** The id for an error message, with control characters made visible and its length capped. */
    static String printable(String s) {
        if (s == null) {
            return "(missing)";
        }
        StringBuilder b = new StringBuilder("'");
        s.codePoints().limit(140).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(s.length() > 140 ? "...'" : "'").toString();
    }
}
