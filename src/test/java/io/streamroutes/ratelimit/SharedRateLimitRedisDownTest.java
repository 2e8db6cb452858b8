package io.streamroutes.ratelimit;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.embedded.EmbeddedRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** With Redis unreachable a limited call fails (its entry stays pending): the limit is never skipped. */
class SharedRateLimitRedisDownTest {

    @Test
    void aLimitedCallFailsWhenRedisCannotBeAsked() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setHost("127.0.0.1");
            component.getConfiguration().setPort(EmbeddedRedis.freePort()); // nothing listens there
            component.getConfiguration().setTimeout(1000);
            context.addComponent("redis-streams", component);
            context.start();
            context.getPropertiesComponent().addOverrideProperty("down.rate-limit", "5");
            SharedRateLimit limit = new SharedRateLimit();
            limit.setCamelContext(context);
            assertThrows(RuntimeException.class, () -> limit.acquire("down"));
            // and without a limit nothing needs Redis
            limit.acquire("down-unlimited");
        }
    }
}
