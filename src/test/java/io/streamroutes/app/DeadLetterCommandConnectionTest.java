package io.streamroutes.app;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.streamroutes.testsupport.RedisProcesses;
import io.streamroutes.testsupport.TlsRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dlq command connects through the redis-streams component as camel-main configures it for the routes, so the
 * component's Cluster and TLS options apply to it (before, it read six keys of its own and ignored them).
 */
class DeadLetterCommandConnectionTest {

    private static final List<String> SET = List.of("camel.component.redis-streams.host", "camel.component.redis-streams.port",
            "camel.component.redis-streams.cluster-nodes", "camel.component.redis-streams.ssl",
            "camel.component.redis-streams.ssl-trust-store", "camel.component.redis-streams.ssl-trust-store-password",
            "camel.component.redis-streams.use-global-ssl-context-parameters", "camel.ssl.enabled", "camel.ssl.trust-store",
            "camel.ssl.trust-store-password");
    private final CommandLineRun cli = new CommandLineRun();

    @AfterEach
    void clearSettings() {
        SET.forEach(System::clearProperty);
    }

    @Test
    void onARedisCluster() throws Exception {
        RedisProcesses.assumeInstalled("dlq on a Redis Cluster");
        try (RedisProcesses cluster = new RedisProcesses()) {
            List<Integer> ports = cluster.startCluster(3, 0, 5000);
            Set<HostAndPort> seeds = new HashSet<>();
            ports.forEach(p -> seeds.add(new HostAndPort("127.0.0.1", p)));
            try (JedisCluster jedis = new JedisCluster(seeds)) {
                Map<String, String> f = new LinkedHashMap<>();
                f.put("user_id", "124");
                f.put("x-source-stream", "{integration}:tasks");
                f.put("x-source-id", "1-0");
                f.put("x-delivery-count", "3");
                f.put("x-error", "HTTP 400 from provider");
                String id = jedis.xadd("{integration}:dead-letter", StreamEntryID.NEW_ENTRY, f).toString();
                System.setProperty("camel.component.redis-streams.cluster-nodes",
                        String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList()));
                // host/port point nowhere: only clusterNodes can make this work
                System.setProperty("camel.component.redis-streams.port", "1");

                assertEquals(0, cli.dlq("list", "{integration}:dead-letter"), cli.err());
                assertTrue(cli.out().contains("HTTP 400 from provider"), cli.out());
                assertEquals(0, cli.dlq("requeue", "{integration}:dead-letter", id), cli.err());
                assertEquals(Map.of("user_id", "124"),
                        jedis.xrange("{integration}:tasks", (StreamEntryID) null, (StreamEntryID) null).get(0).getFields());
                assertEquals(0, jedis.xlen("{integration}:dead-letter"));
            }
        }
    }

    @Test
    void overTlsWithAPrivateCa() throws Exception {
        try (TlsRedis tls = TlsRedis.start()) {
            pointAt(tls);
            System.setProperty("camel.component.redis-streams.ssl", "true");
            System.setProperty("camel.component.redis-streams.ssl-trust-store", tls.trustStore().toString());
            System.setProperty("camel.component.redis-streams.ssl-trust-store-password", TlsRedis.TRUST_STORE_PASSWORD);
            assertListsNoDeadLetters();

            // a trust store without the CA: the same refusal the routes would meet
            System.setProperty("camel.component.redis-streams.ssl-trust-store", tls.otherTrustStore().toString());
            assertEquals(1, cli.dlq("list", "notify:dead-letter"));
            assertTrue(cli.err().contains("cannot talk to Redis at 127.0.0.1:" + tls.port() + " (TLS)"),
                    cli.err());
        }
    }

    private static void pointAt(TlsRedis tls) {
        System.setProperty("camel.component.redis-streams.host", "127.0.0.1");
        System.setProperty("camel.component.redis-streams.port", Integer.toString(tls.port()));
    }

    private void assertListsNoDeadLetters() {
        assertEquals(0, cli.dlq("list", "notify:dead-letter"), cli.err());
        assertTrue(cli.out().contains("0 of 0 dead letters in notify:dead-letter"),
                cli.out());
    }

    @Test
    void overTlsWithCamelsGlobalSslSettings() throws Exception {
        try (TlsRedis tls = TlsRedis.start()) {
            pointAt(tls);
            // no ssl=true: camel.ssl.* with use-global-ssl-context-parameters turns TLS on
            System.setProperty("camel.ssl.enabled", "true");
            System.setProperty("camel.ssl.trust-store", "file:" + tls.trustStore());
            System.setProperty("camel.ssl.trust-store-password", TlsRedis.TRUST_STORE_PASSWORD);
            System.setProperty("camel.component.redis-streams.use-global-ssl-context-parameters", "true");
            assertListsNoDeadLetters();

            // the failure names the connection as TLS although ssl is not set: TLS is on as the component decides it
            System.setProperty("camel.ssl.trust-store", "file:" + tls.otherTrustStore());
            assertEquals(1, cli.dlq("list", "notify:dead-letter"));
            assertTrue(cli.err().contains("cannot talk to Redis at 127.0.0.1:" + tls.port() + " (TLS)"),
                    cli.err());
        }
    }
}
