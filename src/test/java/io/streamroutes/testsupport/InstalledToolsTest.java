package io.streamroutes.testsupport;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing tool skips the test on a developer's machine and fails it under CI. */
class InstalledToolsTest {

    @Test
    void installedToolPassesEverywhere() {
        InstalledTools.require(true, "anything", true);
        InstalledTools.require(true, "anything", false);
    }

    @Test
    void missingToolFailsUnderCi() {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> InstalledTools.require(false, "/usr/bin/nothing", true));
        assertTrue(failure.getMessage().contains("/usr/bin/nothing"), failure.getMessage());
    }

    @Test
    void missingToolSkipsOnADevelopersMachine() {
        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> InstalledTools.require(false, "/usr/bin/nothing", false));
        assertTrue(skip.getMessage().contains("/usr/bin/nothing"), skip.getMessage());
    }

    @Test
    void ciRunIsRecognisedFromTheSystemProperty() {
        String before = System.getProperty(InstalledTools.REQUIRED_PROPERTY);
        try {
            System.setProperty(InstalledTools.REQUIRED_PROPERTY, "true");
            assertTrue(InstalledTools.required());
        } finally {
            if (before == null) {
                System.clearProperty(InstalledTools.REQUIRED_PROPERTY);
            } else {
                System.setProperty(InstalledTools.REQUIRED_PROPERTY, before);
            }
        }
    }
}
