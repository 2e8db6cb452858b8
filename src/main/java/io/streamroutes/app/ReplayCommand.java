package io.streamroutes.app;

import java.io.PrintWriter;

import io.streamroutes.analytics.ReportReplay;
import org.apache.camel.main.Main;

/**
 * {@code --replay analytics}: rebuilds the daily reports once with the routes' beans and settings, consuming nothing
 * (every scenario's {@code <prefix>.enabled} is off), prints the summary and exits: 0 done, 1 no analytics route file.
 */
final class ReplayCommand {

    private final PrintWriter out;
    private final PrintWriter err;

    ReplayCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    int run() throws Exception {
        Main main = Application.createMain();
        for (String enabled : Scenarios.settings("enabled")) {
            main.addOverrideProperty(enabled, "false");
        }
        Application.noHttpServers(main);
        main.start();
        try {
            ReportReplay replay = main.getCamelContext().getRegistry().findSingleByType(ReportReplay.class);
            if (replay == null) {
                err.println("no analytics route file (routes/analytics.yaml) is loaded");
                return 1;
            }
            out.println(replay.replay());
            return 0;
        } finally {
            main.stop();
        }
    }
}
