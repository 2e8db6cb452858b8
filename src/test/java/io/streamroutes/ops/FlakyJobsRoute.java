package io.streamroutes.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import org.apache.camel.builder.RouteBuilder;

/** A job route whose downstream is broken while {@link #BROKEN} is set: its entries go straight to the dead letters. */
public class FlakyJobsRoute extends RouteBuilder {

    static final AtomicBoolean BROKEN = new AtomicBoolean(true);
    static final List<String> PROCESSED = new CopyOnWriteArrayList<>();

    @Override
    public void configure() {
        from("redis-streams:test:jobs?group=jobs-workers&block=200&maxDeliveries=1&deadLetterStream=test:dead-letter")
                .routeId("test-jobs")
                .process(exchange -> {
                    Map<?, ?> fields = exchange.getMessage().getBody(Map.class);
                    if (BROKEN.get()) {
                        throw new RedisStreamsNonRetryableException("downstream unavailable for job " + fields.get("job"));
                    }
                    PROCESSED.add(String.valueOf(fields.get("job")));
                });
    }
}
