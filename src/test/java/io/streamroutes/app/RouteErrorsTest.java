package io.streamroutes.app;

import java.io.IOException;
import java.nio.file.Path;

import io.streamroutes.testsupport.BrokenRouteFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The one line an engineer sees for each kind of mistake in a route file (as {@code validate} prints it): file, line,
 * what is wrong, the offending key. In-process and without Redis; RouteAuthoringJarIT checks the packaged jar.
 */
class RouteErrorsTest {

    @TempDir
    Path dir;

    private static String problem(BrokenRouteFile broken) {
        RouteFileCheck.Result result = RouteFileCheck.check(broken.file());
        assertFalse(result.ok(), broken.file() + " passed");
        return result.problem();
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() throws IOException {
        BrokenRouteFile broken = BrokenRouteFile.write(dir, "media-syntax.yaml", "media.yaml",
                "      steps:\n        - choice:", "     steps:\n        - choice:", "steps");
        String problem = problem(broken);
        assertEquals(broken.file() + ":" + broken.lineOf("     steps:") + ":6: ", problem.substring(0, problem.indexOf(": ") + 2), problem);
        assertEquals("; key: steps", problem.substring(problem.lastIndexOf(';')), problem);
    }

    @Test
    void unknownEndpointOptionIsNamed() throws IOException {
        BrokenRouteFile broken = BrokenRouteFile.write(dir, "analytics-option.yaml", "analytics.yaml",
                "group: analytics", "gruop: analytics", "gruop");
        assertEquals(broken.file() + ":" + broken.lineOf("gruop") + ": unknown option gruop on redis-streams://business:events"
                     + " (misspelt?) (route 'analytics-events'); key: gruop", problem(broken));
    }

    @Test
    void missingPlaceholderIsNamedWithHowToSetIt() throws IOException {
        BrokenRouteFile broken = BrokenRouteFile.write(dir, "analytics-placeholder.yaml", "analytics.yaml",
                "{{analytics.block-ms:5000}}", "{{analytics.block-msec}}", "analytics.block-msec");
        assertEquals(broken.file() + ":" + broken.lineOf("{{analytics.block-msec}}") + ": property placeholder {{analytics.block-msec}}"
                     + " has no value (set analytics.block-msec in application.properties or with -Danalytics.block-msec=..., or give"
                     + " a default: {{analytics.block-msec:default}}) (route 'analytics-events'); key: analytics.block-msec", problem(broken));
    }

    @Test
    void optionalPlaceholdersAreNotBlamed() throws IOException {
        BrokenRouteFile broken = BrokenRouteFile.write(dir, "analytics-optional.yaml", "analytics.yaml",
                "{{analytics.block-ms:5000}}", "{{?analytics.not-set}}{{analytics.block-msec}}", "analytics.block-msec");
        String problem = problem(broken);
        assertEquals(broken.file() + ":" + broken.lineOf("{{analytics.block-msec}}") + ": property placeholder {{analytics.block-msec}}",
                problem.substring(0, problem.indexOf(" has no value")), problem);
    }

    @Test
    void unknownBeanIsNamed() throws IOException {
        BrokenRouteFile broken = BrokenRouteFile.write(dir, "analytics-bean.yaml", "analytics.yaml",
                "ref: dailyReports", "ref: dailyReport", "dailyReport");
        assertEquals(broken.file() + ":" + broken.lineOf("ref: dailyReport") + ": no bean named 'dailyReport' (not defined in this"
                     + " file's beans, nor bound by the application) (route 'analytics-events'); key: dailyReport", problem(broken));
    }

    @Test
    void unknownBeanClassIsNamed() throws IOException {
        BrokenRouteFile broken = BrokenRouteFile.write(dir, "analytics-class.yaml", "analytics.yaml",
                "type: io.streamroutes.analytics.DailyReports", "type: io.streamroutes.analytics.DailyReport",
                "io.streamroutes.analytics.DailyReport");
        String problem = problem(broken);
        assertEquals(broken.file() + ":" + broken.lineOf("type: io.streamroutes.analytics.DailyReport") + ": class not found: ",
                problem.substring(0, problem.indexOf("class not found: ") + "class not found: ".length()), problem);
        assertEquals("; key: io.streamroutes.analytics.DailyReport", problem.substring(problem.lastIndexOf(';')), problem);
    }
}
