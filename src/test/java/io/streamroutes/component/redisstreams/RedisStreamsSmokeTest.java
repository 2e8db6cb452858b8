package io.streamroutes.component.redisstreams;

import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedisStreamsSmokeTest extends RedisStreamsTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:notify:events?group=notify-workers&consumer=worker-1&block=200").to("mock:out");
            }
        };
    }

    @Test
    void readsAndAcks() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedMessageCount(1);
        String id = xadd("notify:events", "user_id", "123", "type", "email", "template", "welcome");
        out.assertIsSatisfied(5000);
        assertEquals(Map.of("user_id", "123", "type", "email", "template", "welcome"), out.getExchanges().get(0).getIn().getBody());
        assertEquals(id, out.getExchanges().get(0).getIn().getHeader(RedisStreamsConstants.ENTRY_ID));
        await("ack", 3000, () -> pendingCount("notify:events", "notify-workers") == 0);
    }
}
