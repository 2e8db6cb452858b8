package io.streamroutes.notify;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;

import freemarker.template.Configuration;
import freemarker.template.TemplateNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The template directory is read from files; one that does not exist makes templates missing, not the start fail, and
 * is read once it is created.
 */
class NotificationTemplatesDirectoryTest {

    @Test
    void templatesAreReadFromTheDirectory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("welcome/en"));
        Files.writeString(dir.resolve("welcome/en/subject.ftl"), "Hello ${name}");
        Configuration configuration = NotificationTemplates.freemarker(dir.toString());
        assertEquals("Hello ${name}", configuration.getTemplate("welcome/en/subject.ftl").toString());
    }

    @Test
    void aDirectoryThatDoesNotExistMakesEveryTemplateMissing(@TempDir Path dir) throws Exception {
        Configuration configuration = NotificationTemplates.freemarker(dir.resolve("no-such-directory").toString());
        assertThrows(TemplateNotFoundException.class, () -> configuration.getTemplate("welcome/en/subject.ftl"));
    }

    @Test
    void aDirectoryCreatedAfterTheStartIsReadWithoutARestart(@TempDir Path dir) throws Exception {
        Path later = dir.resolve("mounted-later");
        Configuration configuration = NotificationTemplates.freemarker(later.toString());
        assertThrows(TemplateNotFoundException.class, () -> configuration.getTemplate("welcome/en/subject.ftl"));

        Files.createDirectories(later.resolve("welcome/en"));
        Files.writeString(later.resolve("welcome/en/subject.ftl"), "Hello ${name}");
        // a lookup that found nothing is kept for the 2 s update delay, then looked up again
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> configuration.getTemplate("welcome/en/subject.ftl").toString().equals("Hello ${name}"));
    }
}
