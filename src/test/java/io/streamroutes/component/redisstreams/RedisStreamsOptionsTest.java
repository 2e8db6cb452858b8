package io.streamroutes.component.redisstreams;

import org.apache.camel.builder.RouteBuilder;
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
}
