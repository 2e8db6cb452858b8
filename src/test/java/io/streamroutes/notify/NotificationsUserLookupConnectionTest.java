package io.streamroutes.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.RedisProcesses;
import io.streamroutes.testsupport.TlsRedis;
import jakarta.mail.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.clients.jedis.Jedis;

/**
 * routes/notifications.yaml's user lookups ({@code user:<id>}, field email) go where the redis-streams component goes,
 * with its settings: a TLS Redis with a private CA (trust store options) and a Sentinel-managed master (the lookups
 * once used only host/port/credentials/ssl, so they failed there). Needs Debian's redis-server: skipped, with the
 * reason shown, without it.
 */
class NotificationsUserLookupConnectionTest {

    @RegisterExtension
    final NotificationsFixture notify = new NotificationsFixture(null);

    /** The application with only the notifications route; the caller stops it before the Redis servers stop. */
    private void startApp(String host, int port, Map<String, String> redisSettings) throws Exception {
        notify.startOn(host, port, redisSettings);
    }

    /** The mail of an email notification for user 123 reaches the address in the user's hash. */
    private void assertMailGoesTo(String address) throws Exception {
        notify.awaitMails(1); // the user lookup reached the server
        assertEquals(address, notify.greenMail().getReceivedMessages()[0].getRecipients(Message.RecipientType.TO)[0].toString());
    }

    @Test
    void overTlsWithAPrivateCaGivenByTheTrustStoreOptions() throws Exception {
        try (TlsRedis tls = TlsRedis.start()) {
            RedisStreamsConfiguration config = new RedisStreamsConfiguration();
            config.setHost("127.0.0.1");
            config.setPort(tls.port());
            config.setSsl(true);
            config.setSslTrustStore(tls.trustStore().toString());
            config.setSslTrustStorePassword(TlsRedis.TRUST_STORE_PASSWORD);
            JedisConnectionFactory test = RedisStreamsComponent.createFactory(config);
            try {
                StringRedisTemplate redis = new StringRedisTemplate(test);
                redis.opsForHash().put("user:123", "email", "alice@example.com");
                redis.opsForStream().add("notify:events", Map.of("user_id", "123", "type", "email", "template", "welcome"));

                startApp("127.0.0.1", tls.port(), Map.of(
                        "camel.component.redis-streams.ssl", "true",
                        "camel.component.redis-streams.ssl-trust-store", tls.trustStore().toString(),
                        "camel.component.redis-streams.ssl-trust-store-password", TlsRedis.TRUST_STORE_PASSWORD));
                try {
                    assertMailGoesTo("alice@example.com");
                } finally {
                    notify.stopApp();
                }
            } finally {
                test.destroy();
            }
        }
    }

    @Test
    void throughSentinelTheLookupReachesTheMaster() throws Exception {
        RedisProcesses.assumeInstalled("notifications user lookup through Sentinel");
        try (RedisProcesses processes = new RedisProcesses()) {
            int master = processes.startServer();
            int sentinel = processes.startSentinel("notify-master", master, 5000);
            try (Jedis jedis = new Jedis("127.0.0.1", master)) {
                jedis.hset("user:123", "email", "bob@example.com");
                String id = jedis.xadd("notify:events", redis.clients.jedis.StreamEntryID.NEW_ENTRY,
                        Map.of("user_id", "123", "type", "email", "template", "welcome")).toString();

                // host/port point nowhere: only the Sentinel settings can lead to the master
                startApp("127.0.0.1", 1, Map.of(
                        "camel.component.redis-streams.sentinel-master", "notify-master",
                        "camel.component.redis-streams.sentinel-nodes", "127.0.0.1:" + sentinel));
                try {
                    assertMailGoesTo("bob@example.com");
                    Await.allAcked(jedis, "notify:events", "notify-workers", id, Duration.ofSeconds(10));
                } finally {
                    notify.stopApp();
                }
            }
        }
    }
}
