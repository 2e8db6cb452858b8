package io.streamroutes.component.redisstreams.consumer;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a failed round means for the reader, and how long a read may block: pure functions, no server. */
class ReadFailureTest {

    private final RedisStreamsConfiguration config = new RedisStreamsConfiguration();

    ReadFailureTest() {
        config.setGroup("g");
    }

    @Test
    void eachKindOfFailureHasItsRecovery() {
        ReadFailure noGroup = ReadFailure.of(new JedisDataException("NOGROUP No such key 'orders' or consumer group 'g'"), config, "orders");
        assertEquals(ReadFailure.Recovery.RECREATE_GROUP, noGroup.recovery());
        assertTrue(noGroup.description().contains("re-creating it"), noGroup.description());

        assertEquals(ReadFailure.Recovery.NOTHING,
                ReadFailure.of(new JedisDataException("WRONGTYPE Operation against a key"), config, "orders").recovery());

        ReadFailure auth = ReadFailure.of(new JedisAccessControlException("WRONGPASS invalid username-password pair"), config, "orders");
        assertEquals("AUTH", auth.kind());
        assertEquals(ReadFailure.AUTH_BACKOFF_MS, auth.minWaitMs());

        ReadFailure lost = ReadFailure.of(new JedisConnectionException("Connection reset"), config, "orders");
        assertEquals("CONNECTION", lost.kind());
        assertEquals(ReadFailure.Recovery.RECONNECT_AND_RESUME_PENDING, lost.recovery());

        ReadFailure other = ReadFailure.of(new JedisDataException("ERR something else"), config, "orders");
        assertEquals(ReadFailure.Recovery.RECONNECT, other.recovery());
        assertEquals(other.description(), other.kind(), "another error is its own kind");
    }

    @Test
    void aReadBlocksNoLongerThanWhatComesNext() {
        long now = 1_000_000;
        assertEquals(2000, ReadBlock.millis(2000, false, Long.MAX_VALUE, Long.MAX_VALUE, now));
        assertEquals(StreamReader.SHORT_BLOCK_MS, ReadBlock.millis(2000, true, Long.MAX_VALUE, Long.MAX_VALUE, now),
                "acks of running exchanges are not held back");
        assertEquals(300, ReadBlock.millis(2000, false, now + 300, now + 900, now));
        assertEquals(1, ReadBlock.millis(2000, false, Long.MAX_VALUE, now - 5, now), "a retry already due: at least 1 ms");
    }
}
