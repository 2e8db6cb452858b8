package io.streamroutes.ratelimit;

import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rate limit on the embedded Redis (6.2, the oldest the component supports). */
class RateLimitScriptTest extends RateLimitScriptContract {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    @Override
    String host() {
        return redis.host();
    }

    @Override
    int port() {
        return redis.port();
    }
}
