package io.streamroutes.component.redisstreams;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import redis.clients.jedis.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what a Jedis {@link Connection} has buffered without waiting for a reply. Jedis writes commands into a buffer
 * and flushes it only when a reply is read; its {@code flush()} is protected. A read sent ahead must reach Redis at
 * once, so the method is looked up once; where that is not possible, reading ahead is simply not used.
 */
final class JedisFlush {

    private static final Logger LOG = LoggerFactory.getLogger(JedisFlush.class);
    private static final MethodHandle FLUSH = lookup();

    private JedisFlush() {
    }

    static boolean isAvailable() {
        return FLUSH != null;
    }

    static void flush(Connection connection) {
        try {
            FLUSH.invokeExact(connection);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle lookup() {
        try {
            return MethodHandles.privateLookupIn(Connection.class, MethodHandles.lookup())
                    .findVirtual(Connection.class, "flush", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("Jedis Connection.flush() is not accessible ({}); stream consumers will not read ahead", e.toString());
            return null;
        }
    }
}
