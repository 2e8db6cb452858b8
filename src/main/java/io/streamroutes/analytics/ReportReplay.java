package io.streamroutes.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every daily report from the start of {@code business:events}: deletes all reports and their bookkeeping
 * (one atomic step), notes the stream's newest id, then reads the stream without a consumer group (plain XREAD
 * pages of {@value #PAGE} from {@code 0-0}, no BLOCK) up to that id and counts each page as the live route counts a
 * batch: one script call per UTC day in the page.
 * <p>
 * The live route may keep running meanwhile: both count through the same idempotent script, so an entry the live
 * route counts after the clear is skipped by the replay and vice versa, and entries newer than the noted id are the
 * live route's alone. Reading pages up to a fixed id ends by itself, even when the stream is empty or its newest
 * entry is deleted during the replay, which a following reader would wait for forever.
 */
@ManagedResource(description = "Rebuilds the analytics daily reports from business:events")
public class ReportReplay {

    private static final Logger LOG = LoggerFactory.getLogger(ReportReplay.class);
    static final String STREAM = "business:events";
    static final int PAGE = 1000;

    private DailyReports reports;

    /** Runs a full replay; concurrent calls in this process run one after the other. */
    public synchronized ReplaySummary replay() {
        long start = System.currentTimeMillis();
        try (RedisStreamsClient client = reports.client()) {
            long cleared = reports.clear(client);
            String lastId = client.lastId(STREAM);
            LOG.info("Analytics replay: deleted {} daily reports, replaying {} up to {}", cleared, STREAM, lastId);
            long read = 0;
            long counted = 0;
            long already = 0;
            long ignored = 0;
            long malformed = 0;
            TreeSet<String> days = new TreeSet<>();
            String cursor = "0-0";
            boolean done = "0-0".equals(lastId);
            while (!done) {
                List<StreamEntry> page = client.read(STREAM, PAGE, 0, cursor);
                if (page.isEmpty()) {
                    break;
                }
                List<BusinessEvent> events = new ArrayList<>(page.size());
                for (StreamEntry entry : page) {
                    if (BusinessEvent.compareIds(entry.id(), lastId) > 0) {
                        done = true;
                        break;
                    }
                    cursor = entry.id();
                    read++;
                    try {
                        events.add(BusinessEvent.parse(entry.id(), entry.fields()));
                    } catch (RedisStreamsNonRetryableException e) {
                        malformed++;
                    }
                }
                for (BusinessEvent event : events) {
                    days.add(event.day());
                    if (event.isIgnored()) {
                        ignored++;
                    }
                }
                long countedNow = reports.countOnce(client, events);
                counted += countedNow;
                already += events.size() - countedNow;
            }
            ReplaySummary summary = new ReplaySummary(lastId, read, counted, already, ignored, malformed, List.copyOf(days),
                    System.currentTimeMillis() - start);
            LOG.info("Analytics replay: {}", summary);
            return summary;
        }
    }

    /** For JMX: runs a full replay and describes it. */
    @ManagedOperation(description = "Deletes all report:daily:* hashes and recomputes them from business:events")
    public String replayReports() {
        return replay().toString();
    }

    public DailyReports getReports() {
        return reports;
    }

    public void setReports(DailyReports reports) {
        this.reports = reports;
    }
}
