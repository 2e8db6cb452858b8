package io.streamroutes.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.RouteStoppedEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

import static org.apache.camel.component.micrometer.MicrometerConstants.KIND;
import static org.apache.camel.component.micrometer.MicrometerConstants.KIND_EXCHANGE;
import static org.apache.camel.component.micrometer.MicrometerConstants.ROUTE_ID_TAG;

/**
 * Keeps camel-micrometer's per-route in-flight gauge ({@code camel_exchanges_inflight}) registered once across a
 * route's stop and start (JMX, the streams page, Jolokia). camel-micrometer registers it when Camel announces the route
 * as added and removes it when the route is removed, but Camel announces a stopped route as added again when it
 * starts, so the second registration was ignored with Micrometer's "Gauge already registered" warning. Removing the
 * gauge when the route stops makes the start's registration the only one; it reads the same in-flight count. A stopped
 * route has no in-flight gauge until it starts again.
 */
final class InflightGaugeOnRestart extends SimpleEventNotifierSupport {

    private final CamelContext context;

    private InflightGaugeOnRestart(CamelContext context) {
        this.context = context;
    }

    /** Does nothing while the context has no meter registry (camel.metrics.enabled=false). */
    static void install(CamelContext context) throws Exception {
        context.getManagementStrategy().addEventNotifier(new InflightGaugeOnRestart(context));
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof RouteStoppedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return;
        }
        String routeId = ((RouteStoppedEvent) event).getRoute().getRouteId();
        Search.in(registry).tags(KIND, KIND_EXCHANGE, ROUTE_ID_TAG, routeId).gauges().forEach(registry::remove);
    }
}
