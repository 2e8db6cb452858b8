package io.streamroutes.testsupport;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one place a test decides what to do when a daemon or tool it needs is not installed. On a developer's machine
 * the test is skipped with the reason; under CI ({@code CI=true} in the environment, as {@code .ci/run} runs, or
 * {@code -Dtools.required=true}) it fails instead, because there {@code .ci/run} installs everything and a skip would
 * hide an untested Cluster, Sentinel, TLS, failover, clamd or browser path.
 */
public final class InstalledTools {

    public static final String REQUIRED_PROPERTY = "tools.required";

    private InstalledTools() {
    }

    /** Skips (locally) or fails (under CI) the calling test when {@code installed} is false, saying {@code what} is missing. */
    public static void require(boolean installed, String what) {
        require(installed, what, required());
    }

    static void require(boolean installed, String what, boolean ciRun) {
        if (installed) {
            return;
        }
        if (ciRun) {
            fail("MISSING under CI: " + what + " (.ci/run installs it; a CI run never skips this test)");
        }
        System.out.println("SKIPPED: " + what);
        assumeTrue(false, "SKIPPED: " + what);
    }

    /** True under CI: {@code CI=true} in the environment or {@code -Dtools.required=true}. */
    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean(REQUIRED_PROPERTY);
    }
}
