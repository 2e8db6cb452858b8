package io.streamroutes.analytics;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.ManagementAgent;

/**
 * JMX operation {@code replay()} on {@code io.streamroutes:type=analytics,name=reports}: rebuilds every daily report
 * from the start of {@code business:events} and answers with the summary.
 */
@ManagedResource(description = "Analytics daily reports")
public class ManagedReportReplay {

    private final ReportReplay replay;

    public ManagedReportReplay(ReportReplay replay) {
        this.replay = replay;
    }

    public static ObjectName objectName() throws MalformedObjectNameException {
        return new ObjectName("io.streamroutes:type=analytics,name=reports");
    }

    @ManagedOperation(description = "Deletes all report:daily:* hashes and recomputes them from business:events")
    public String replay() {
        return replay.replay().toString();
    }

    /** Registers the operation when the analytics route file declared a {@code reportReplay} bean and JMX is on. */
    public static void registerIfPresent(CamelContext context) throws Exception {
        ReportReplay replay = context.getRegistry().findSingleByType(ReportReplay.class);
        ManagementAgent agent = context.getManagementStrategy() != null ? context.getManagementStrategy().getManagementAgent() : null;
        if (replay != null && agent != null && !agent.isRegistered(objectName())) {
            agent.register(new ManagedReportReplay(replay), objectName());
        }
    }
}
