package io.streamroutes.media;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of the configured clamd: UP while it answers {@code PING}. Not a liveness check (restarting us won't help). */
final class ClamdHealthCheck extends AbstractHealthCheck {

    private final Supplier<ClamdScanner> scanner;

    ClamdHealthCheck(Supplier<ClamdScanner> scanner) {
        super("media", "clamd");
        this.scanner = scanner;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ClamdScanner clamd = scanner.get();
        builder.detail("clamd.address", clamd.address());
        try {
            clamd.ping();
            builder.up();
        } catch (Exception e) {
            builder.message(e.getMessage()).error(e).down();
        }
    }
}
