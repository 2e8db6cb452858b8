package io.streamroutes.notify;

import java.nio.file.Files;
import java.nio.file.Path;

import freemarker.template.Configuration;
import freemarker.template.TemplateNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The template directory is read from files; one that does not exist makes templates missing, not the start fail. */
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
}
