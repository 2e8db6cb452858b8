package io.streamroutes.component.redisstreams;

import java.util.List;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options and a key of the wrong type fail route start with a message naming the option or key. */
class RedisStreamsOptionsTest extends RedisStreamsTestSupport {

    private String startFailure(String uri) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("log:x");
            }
        }));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" | ");
        }
        return messages.toString();
    }

    @Test
    void countMustBePositive() {
        String msg = startFailure("redis-streams:s?group=g&count=0");
        assertTrue(msg.contains("Invalid option count=0") && msg.contains("'s'"), msg);
    }

    @Test
    void blockZeroIsRejected() {
        String msg = startFailure("redis-streams:s?group=g&block=0");
        assertTrue(msg.contains("Invalid option block=0"), msg);
    }

    @Test
    void startIdMustBeAStreamId() {
        String msg = startFailure("redis-streams:s?group=g&startId=yesterday");
        assertTrue(msg.contains("Invalid option startId=yesterday"), msg);
    }

    @Test
    void nonNumericValueNamesTheOption() {
        String msg = startFailure("redis-streams:s?group=g&count=ten");
        assertTrue(msg.contains("count"), msg);
    }

    @Test
    void unknownOptionIsNamed() {
        String msg = startFailure("redis-streams:s?gruop=g");
        assertTrue(msg.contains("gruop"), msg);
    }

    @Test
    void deadLetterNeedsAGroup() {
        String msg = startFailure("redis-streams:s?deadLetterStream=dl");
        assertTrue(msg.contains("deadLetterStream") && msg.contains("needs a group"), msg);
    }

    @Test
    void deadLetterStreamMustDifferFromTheSource() {
        String msg = startFailure("redis-streams:s?group=g&deadLetterStream=s");
        assertTrue(msg.contains("must differ"), msg);
    }

    @Test
    void aKeyThatIsNotAStreamFailsStart() {
        jedis.set("user:123", "not a stream");
        String msg = startFailure("redis-streams:user:123?group=g");
        assertTrue(msg.contains("Redis key 'user:123' holds a string, not a stream"), msg);
    }

    @Test
    void aMissingStreamKeyIsAClearError() {
        String msg = startFailure("redis-streams:?group=g");
        assertTrue(msg.contains("needs a stream key"), msg);
    }
    @Test
    void perKeyOptionsAreChecked() {
        assertTrue(startFailure("redis-streams:s?group=g&maxConcurrencyPerKey=1").contains("needs concurrencyKey"));
        assertTrue(startFailure("redis-streams:s?group=g&concurrencyKey=RAW(${body[user]})&maxConcurrencyPerKey=0")
                .contains("Invalid option maxConcurrencyPerKey=0"));
        assertTrue(startFailure("redis-streams:s?concurrencyKey=RAW(${body[user]})&maxConcurrencyPerKey=1").contains("needs a group"));
        assertTrue(startFailure("redis-streams:s?group=g&batching=true&concurrencyKey=RAW(${body[user]})&maxConcurrencyPerKey=1")
                .contains("cannot be used with batching=true"));
        assertTrue(startFailure("redis-streams:s?group=g&concurrencyKey=RAW(${body[user)&maxConcurrencyPerKey=1")
                .contains("Invalid option concurrencyKey="));
    }

    @Test
    void retryOptionsAreChecked() {
        assertTrue(startFailure("redis-streams:s?group=g&concurrency=0").contains("Invalid option concurrency=0"));
        assertTrue(startFailure("redis-streams:s?group=g&backOffMultiplier=0.5").contains("Invalid option backOffMultiplier=0.5"));
        String msg = startFailure("redis-streams:s?group=g&redeliveryDelay=10s&maximumRedeliveryDelay=5s");
        assertTrue(msg.contains("Invalid option maximumRedeliveryDelay=5000") && msg.contains("redeliveryDelay (10000 ms)"), msg);
    }

    @Test
    void durationsAcceptUnitsAndPlainMilliseconds() throws Exception {
        RedisStreamsEndpoint endpoint = context.getEndpoint(
                "redis-streams:s?group=g&redeliveryDelay=1s&maximumRedeliveryDelay=3m", RedisStreamsEndpoint.class);
        assertEquals(1000, endpoint.getConfiguration().getRedeliveryDelay());
        assertEquals(180_000, endpoint.getConfiguration().getMaximumRedeliveryDelay());
        RedisStreamsEndpoint plain = context.getEndpoint("redis-streams:s?group=g&redeliveryDelay=250", RedisStreamsEndpoint.class);
        assertEquals(250, plain.getConfiguration().getRedeliveryDelay());
    }

    @Test
    void theComponentIsCataloguedAsMessagingOnly() throws Exception {
        String json = ((org.apache.camel.CatalogCamelContext) context).getComponentParameterJsonSchema("redis-streams");
        assertTrue(json.contains("\"label\": \"messaging\","), "category in the generated metadata: " + json.substring(0, 400));
    }

    @Test
    void theTimeOptionsAreCataloguedAsDurations() throws Exception {
        String json = ((org.apache.camel.CatalogCamelContext) context).getComponentParameterJsonSchema("redis-streams");
        for (String option : List.of("block", "minIdleTime", "claimInterval", "keepAliveInterval", "consumerTimeout", "timeout",
                "redeliveryDelay", "maximumRedeliveryDelay")) {
            assertTrue(java.util.regex.Pattern.compile("\"" + option + "\": \\{ \"index\": \\d+, \"kind\": \"parameter\"[^}]*\"type\": \"duration\"")
                    .matcher(json).find(), option + " is a duration in the endpoint metadata");
        }
    }

    @Test
    void everyTimeOptionAcceptsUnitsAndPlainMilliseconds() throws Exception {
        RedisStreamsConfiguration units = context.getEndpoint("redis-streams:s?group=g&block=500ms&minIdleTime=2m&claimInterval=45s"
                + "&keepAliveInterval=30s&consumerTimeout=1h&timeout=3s", RedisStreamsEndpoint.class).getConfiguration();
        assertEquals(500, units.getBlock());
        assertEquals(120_000, units.getMinIdleTime());
        assertEquals(45_000, units.getClaimInterval());
        assertEquals(30_000L, units.getKeepAliveInterval());
        assertEquals(3_600_000, units.getConsumerTimeout());
        assertEquals(3000, units.getTimeout());
        RedisStreamsConfiguration plain = context.getEndpoint("redis-streams:s?group=g&block=700&minIdleTime=90000&claimInterval=4000"
                + "&keepAliveInterval=20000&consumerTimeout=600000&timeout=1500", RedisStreamsEndpoint.class).getConfiguration();
        assertEquals(700, plain.getBlock());
        assertEquals(90_000, plain.getMinIdleTime());
        assertEquals(4000, plain.getClaimInterval());
        assertEquals(20_000L, plain.getKeepAliveInterval());
        assertEquals(600_000, plain.getConsumerTimeout());
        assertEquals(1500, plain.getTimeout());
        RedisStreamsConfiguration defaults = context.getEndpoint("redis-streams:s?group=g", RedisStreamsEndpoint.class).getConfiguration();
        assertEquals(List.of(2000L, 60_000L, 30_000L, 0L, 2000L), List.of(defaults.getBlock(), defaults.getMinIdleTime(),
                defaults.getClaimInterval(), defaults.getConsumerTimeout(), defaults.getTimeout()));
        assertEquals(null, defaults.getKeepAliveInterval(), "unset: minIdleTime / 2");
    }

    @Test
    void componentLevelTimeOptionsAcceptUnits() {
        RedisStreamsComponent component = context.getComponent("redis-streams", RedisStreamsComponent.class);
        PropertyBindingSupport.build().bind(context, component,
                new java.util.HashMap<>(Map.of("timeout", "2s", "block", "250ms", "keepAliveInterval", "10s")));
        assertEquals(2000, component.getConfiguration().getTimeout());
        assertEquals(250, component.getConfiguration().getBlock());
        assertEquals(10_000L, component.getConfiguration().getKeepAliveInterval());
    }
}
