package io.streamroutes.examples;

import io.streamroutes.analytics.DailyReports;
import io.streamroutes.analytics.ReportReplay;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * routes/analytics.yaml written in the Java DSL, as an example of using the redis-streams component from Java. Same
 * route ids, beans, settings and behaviour (AnalyticsJavaDslEquivalenceTest compares both on the same input).
 * <p>
 * Not loaded by default (camel-main only scans io.streamroutes.app); to run it instead of the YAML file:
 * <pre>
 * java -Dcamel.main.routes-builder-classes=io.streamroutes.examples.AnalyticsRoutes \
 *      -Dcamel.main.routes-exclude-pattern=**&#47;analytics.yaml -jar target/redis-stream-routes.jar
 * </pre>
 */
public class AnalyticsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        DailyReports dailyReports = new DailyReports();
        dailyReports.setCamelContext(getContext());
        dailyReports.setBookkeepingRetention(getContext().resolvePropertyPlaceholders("{{analytics.bookkeeping-retention:7d}}"));
        ReportReplay reportReplay = new ReportReplay();
        reportReplay.setReports(dailyReports);
        bindToRegistry("dailyReports", dailyReports);
        bindToRegistry("reportReplay", reportReplay);

        // the YAML file's routeConfiguration analytics-errors: no Camel redelivery, one WARN line per failed batch;
        // its entries stay pending (retried by the redis-streams consumer); malformed events are dead-lettered alone
        errorHandler(defaultErrorHandler()
                .loggingLevel(LoggingLevel.WARN.name()) // the "Failed delivery" line: with no redelivery this, not the next, sets its level
                .maximumRedeliveries(0)
                .retriesExhaustedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .logExhaustedMessageHistory(false));

        from("redis-streams:business:events"
             + "?group=analytics"
             + "&consumer={{analytics.consumer:}}"
             + "&batching=true"
             + "&count={{analytics.batch-size:1000}}"
             + "&block={{analytics.block-ms:5000}}"
             + "&minIdleTime={{analytics.min-idle-time-ms:300000}}"
             + "&claimInterval={{analytics.claim-interval-ms:30000}}"
             + "&maxDeliveries={{analytics.max-deliveries:10}}"
             + "&concurrency={{analytics.concurrency:1}}"
             + "&redeliveryDelay={{analytics.redelivery-delay:1s}}"
             + "&backOffMultiplier={{analytics.backoff-multiplier:2}}"
             + "&maximumRedeliveryDelay={{analytics.maximum-redelivery-delay:3m}}"
             + "&deadLetterStream=business:dead-letter"
             + "&deadLetterMaxLen={{analytics.dead-letter.max-len:10000}}")
                .routeId("analytics-events")
                .autoStartup("{{analytics.enabled:true}}")
                .bean("dailyReports", "recordBatch");

        // on demand only: replays business:events into fresh reports once, then stops itself
        from("timer:analytics-replay?repeatCount=1&delay=0")
                .routeId("analytics-replay")
                .autoStartup(false)
                .bean("reportReplay", "replay")
                .log("Analytics replay finished: ${body}")
                .to("controlbus:route?routeId=analytics-replay&action=stop&async=true");
    }
}
