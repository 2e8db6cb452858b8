package io.streamroutes.notify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Template files' existence is remembered for a while, and files added or removed are seen after it. */
class TemplateFilesTest {

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    @Test
    void anAddedFileIsSeenOnceTheAnswerIsOlderThanTheRecheckTimeAndSoIsARemovedOne(@TempDir Path dir) throws Exception {
        TemplateFiles files = new TemplateFiles(clock, Duration.ofSeconds(2), 100);
        Path subject = dir.resolve("news/de/subject.ftl");
        assertFalse(files.exists(subject));

        Files.createDirectories(subject.getParent());
        Files.writeString(subject, "Neu");
        now = now.plusMillis(1999);
        assertFalse(files.exists(subject), "remembered for 2 s");
        now = now.plusMillis(1);
        assertTrue(files.exists(subject), "seen after 2 s");

        Files.delete(subject);
        now = now.plusMillis(1000);
        assertTrue(files.exists(subject), "remembered for 2 s");
        now = now.plusMillis(1000);
        assertFalse(files.exists(subject), "removal seen after 2 s");
    }

    @Test
    void whenFullEveryAnswerIsForgotten(@TempDir Path dir) throws Exception {
        TemplateFiles files = new TemplateFiles(clock, Duration.ofHours(1), 2);
        Path subject = dir.resolve("subject.ftl");
        assertFalse(files.exists(subject));
        Files.writeString(subject, "Hi");
        assertFalse(files.exists(subject), "remembered");
        files.exists(dir.resolve("a")); // the second answer: full
        files.exists(dir.resolve("b")); // forgets all, keeps this one
        assertTrue(files.exists(subject), "asked the file system again");
    }
}
