package io.streamroutes.reliability;

import java.util.ArrayList;
import java.util.List;

import io.streamroutes.embedded.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/** A fresh Redis per test and the child applications a test starts, all stopped afterwards whatever happened. */
abstract class ChildAppTestSupport {

    protected EmbeddedRedis redis;
    protected Jedis jedis;
    private final List<ChildApp> children = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        ChildApp.assumeJarBuilt();
        redis = EmbeddedRedis.start();
        jedis = new Jedis(redis.host(), redis.port());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ChildApp child : children) {
            child.close();
        }
        if (jedis != null) {
            jedis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Remembers the child so it is stopped after the test. */
    protected ChildApp track(ChildApp child) {
        children.add(child);
        return child;
    }

    protected ChildApp lastChild() {
        return children.get(children.size() - 1);
    }
}
