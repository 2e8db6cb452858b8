package io.streamroutes.component.redisstreams.client;

import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classification of Redis failures, on the exceptions Jedis and Spring Data Redis throw (Jedis 7.2, Spring Data Redis 3.5). */
class RedisErrorsTest {

    @Test
    void theErrorCodeIsTheFirstWordOfTheReplyThroughSpringsWrapping() {
        Exception nogroup = new InvalidDataAccessApiUsageException("NOGROUP No such key 'k'",
                new JedisDataException("NOGROUP No such key 'k' or consumer group 'g' in XREADGROUP with GROUP option"));
        assertEquals("NOGROUP", RedisErrors.errorCode(nogroup));
        assertTrue(RedisErrors.hasCode(nogroup, "NOGROUP"));
        assertFalse(RedisErrors.hasCode(nogroup, "WRONGTYPE"));
        assertTrue(RedisErrors.hasCode(new RedisSystemException("x",
                new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value")), "WRONGTYPE"));
    }

    @Test
    void redis6ReportsTheCodeOfACommandAScriptCalledInsideItsScriptError() {
        // as Redis 6.2.6 answers EVAL "return redis.call('XPENDING', KEYS[1], 'g', '-', '+', 1)" 1 nokey
        Exception e = new JedisDataException("ERR Error running script (call to f_0e53504a351d5956ada9f04afd9aef0d99f17567): "
                                             + "@user_script:1: NOGROUP No such key 'nokey' or consumer group 'g'");
        assertEquals("NOGROUP", RedisErrors.errorCode(e));
    }

    @Test
    void aCodeNamedInTheFreeTextDoesNotCount() {
        Exception e = new JedisDataException("ERR Error in the script, said the user: NOGROUP No such key");
        assertEquals("ERR", RedisErrors.errorCode(e));
        assertFalse(RedisErrors.hasCode(e, "NOGROUP"));
        assertNull(RedisErrors.leadingCode("Could not get a resource from the pool"));
        assertNull(RedisErrors.errorCode(new IllegalStateException("NOGROUP")), "only a reply of Redis carries a code");
    }

    @Test
    void anUnknownScriptIsRecognisedByJedisType() {
        assertTrue(RedisErrors.isUnknownScript(new InvalidDataAccessApiUsageException("x",
                new JedisNoScriptException("NOSCRIPT No matching script. Please use EVAL."))));
        assertFalse(RedisErrors.isUnknownScript(new JedisDataException("ERR unknown command 'EVALSHA'")));
    }

    @Test
    void rejectedCredentialsAreAuthFailuresAndAlsoFailuresToConnect() {
        // Spring: a connection whose AUTH fails is a RedisConnectionFailureException; the reader checks auth first
        Exception wrongPass = new RedisConnectionFailureException("Cannot get Jedis connection",
                new JedisAccessControlException("WRONGPASS invalid username-password pair or user is disabled."));
        assertTrue(RedisErrors.isAuthFailure(wrongPass));
        assertTrue(RedisErrors.isConnectionFailure(wrongPass));
        assertTrue(RedisErrors.isAuthFailure(new JedisAccessControlException("NOAUTH Authentication required.")));
        assertTrue(RedisErrors.isAuthFailure(new RedisConnectionFailureException("x", new JedisDataException(
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"))));
        assertFalse(RedisErrors.isAuthFailure(new JedisAccessControlException("NOPERM this user has no permissions to run the 'xadd' command")),
                "an ACL forbidding a command is not a credentials problem");
        assertFalse(RedisErrors.isAuthFailure(new JedisDataException("ERR wrong number of arguments for 'auth' command, NOAUTH")));
    }

    @Test
    void connectionFailuresByTypeAndServersThatCannotServeYetByCode() {
        assertTrue(RedisErrors.isConnectionFailure(new JedisConnectionException(new SocketTimeoutException("Read timed out"))));
        assertTrue(RedisErrors.isConnectionFailure(new RedisConnectionFailureException("x", new java.net.ConnectException("refused"))));
        for (String code : new String[] { "LOADING Redis is loading the dataset in memory", "READONLY You can't write against a read only replica.",
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'." }) {
            assertTrue(RedisErrors.isConnectionFailure(new InvalidDataAccessApiUsageException("x", new JedisDataException(code))), code);
        }
        assertTrue(RedisErrors.isConnectionFailure(new InvalidDataAccessApiUsageException("x",
                new JedisBusyException("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."))));
        assertFalse(RedisErrors.isConnectionFailure(new JedisBusyException("BUSYGROUP Consumer Group name already exists")),
                "Jedis throws the same type for an existing group");
        assertTrue(RedisErrors.hasCode(new JedisBusyException("BUSYGROUP Consumer Group name already exists"), "BUSYGROUP"));
        assertFalse(RedisErrors.isConnectionFailure(new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value")));
        assertFalse(RedisErrors.isConnectionFailure(new JedisDataException("ERR LOADING is mentioned here only")));
    }

    @Test
    void aClusterClientThatGaveUpIsAConnectionFailureOnlyWhenItsAttemptsFailedToConnect() {
        JedisClusterOperationException unreachable = new JedisClusterOperationException("No more cluster attempts left.");
        unreachable.addSuppressed(new JedisConnectionException("Failed to connect to any host resolved for DNS name."));
        assertTrue(RedisErrors.isConnectionFailure(unreachable));
        JedisClusterOperationException redirected = new JedisClusterOperationException("No more cluster attempts left.");
        redirected.addSuppressed(new JedisMovedDataException("MOVED 3999 127.0.0.1:6381", new HostAndPort("127.0.0.1", 6381), 3999));
        assertFalse(RedisErrors.isConnectionFailure(redirected));
    }

    @Test
    void theKindOfAnOutageIsStableAcrossRetriesOfTheSameCause() {
        assertEquals("NOGROUP", RedisErrors.kind(new JedisDataException("NOGROUP No such key 'a' or consumer group 'g'")));
        assertEquals("WRONGTYPE", RedisErrors.kind(new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value")));
        assertEquals("AUTH", RedisErrors.kind(new RedisConnectionFailureException("x", new JedisAccessControlException("WRONGPASS invalid"))));
        assertEquals("CONNECTION", RedisErrors.kind(new JedisConnectionException(new SocketTimeoutException("Read timed out"))));
        assertEquals("CONNECTION", RedisErrors.kind(new JedisConnectionException("Unexpected end of stream.")),
                "another text of the same outage is the same kind");
        assertEquals("JedisDataException: ERR unknown command", RedisErrors.kind(new JedisDataException("ERR unknown command")));
    }
}
