package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;

import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.client.StreamGroupInfo;
import io.streamroutes.demo.JmxRemote;
import io.streamroutes.embedded.EmbeddedRedis;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XReadGroupParams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer's MBean, read and operated through a real JMX connection over RMI. */
class ManagedRedisStreamsConsumerTest extends RedisStreamsTestSupport {

    private static final String KEY = "integration:tasks";
    private static final String GROUP = "integration-workers";
    private static final String DL = "integration:dead-letter";

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&password=s3cret-Pa55"
                     + "&deadLetterStream=" + DL + "&claimInterval=0")
                        .routeId("integration")
                        .process(e -> {
                            if ("400".equals(e.getIn().getBody(Map.class).get("amount"))) {
                                throw new RedisStreamsNonRetryableException("provider answered 400");
                            }
                            if ("slow".equals(e.getIn().getBody(Map.class).get("amount"))) {
                                throw new IllegalStateException("transient");
                            }
                        });
            }
        };
    }

    private static final String PASSWORD = "s3cret-Pa55";

    @Override
    protected Jedis newJedis() {
        // the endpoint sets a password: this test's server requires it
        Jedis admin = super.newJedis();
        try {
            admin.auth(PASSWORD);
        } catch (JedisDataException notYetRequired) {
            admin.configSet("requirepass", PASSWORD);
            admin.auth(PASSWORD);
        }
        return admin;
    }

    @Test
    void attributesAndDeadLetterOperationsOverRemoteJmx() throws Exception {
        try (JmxRemote remote = JmxRemote.start(EmbeddedRedis.freePort());
             JMXConnector connector = JMXConnectorFactory.connect(remote.url())) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName name = ManagedRedisStreamsConsumer.objectName(KEY, GROUP);
            assertEquals("io.streamroutes:type=stream,key=\"integration:tasks\",group=\"integration-workers\"", name.toString());

            xadd(KEY, "provider", "stripe", "action", "create_charge", "user_id", "123", "amount", "1999");
            xadd(KEY, "provider", "stripe", "action", "create_charge", "user_id", "124", "amount", "400");
            xadd(KEY, "provider", "stripe", "action", "create_charge", "user_id", "125", "amount", "slow");
            await("processed").atMost(Duration.ofSeconds(5)).until(() -> jedis.xlen(DL) == 1 && pendingCount(KEY, GROUP) == 1);
            await("counters").atMost(Duration.ofSeconds(5)).until(() -> {
                try {
                    return ((Long) jmx.getAttribute(name, "Acked")) == 1L;
                } catch (Exception e) {
                    return false;
                }
            });

            assertEquals(3L, jmx.getAttribute(name, "StreamLength"));
            assertEquals(0L, jmx.getAttribute(name, "GroupLag"));
            assertEquals(1L, jmx.getAttribute(name, "PendingCount"));
            assertTrue((Long) jmx.getAttribute(name, "OldestPendingIdleMillis") >= 0);
            assertEquals(1, jmx.getAttribute(name, "ConsumerCount"));
            assertEquals(3L, jmx.getAttribute(name, "Delivered"));
            assertEquals(2L, jmx.getAttribute(name, "Failed"));
            assertEquals(0L, jmx.getAttribute(name, "Claimed"));
            assertEquals(1L, jmx.getAttribute(name, "DeadLettered"));
            assertEquals(1L, jmx.getAttribute(name, "DeadLetterLength"));
            assertTrue(String.valueOf(jmx.getAttribute(name, "LastError")).contains("transient"));

            // nothing on the JMX side shows the password
            for (var attribute : jmx.getMBeanInfo(name).getAttributes()) {
                assertFalse(String.valueOf(jmx.getAttribute(name, attribute.getName())).contains("s3cret-Pa55"), attribute.getName());
            }
            for (ObjectName camelName : jmx.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null)) {
                assertFalse(String.valueOf(jmx.getAttribute(camelName, "EndpointUri")).contains("s3cret-Pa55"), camelName.toString());
            }

            String[] lines = (String[]) jmx.invoke(name, "listDeadLetters", new Object[] { 10 }, new String[] { "int" });
            assertEquals(1, lines.length);
            assertTrue(lines[0].contains("provider answered 400") && lines[0].contains("user_id=124"), lines[0]);

            String deadId = jedis.xrange(DL, (StreamEntryID) null, null).get(0).getID().toString();
            long before = jedis.xlen(KEY);
            String newId = (String) jmx.invoke(name, "requeueDeadLetter", new Object[] { deadId }, new String[] { "java.lang.String" });
            // the route is running and rejects it again at once, so look for this dead letter, not for an empty stream
            assertTrue(jedis.xrange(DL, new StreamEntryID(deadId), new StreamEntryID(deadId)).isEmpty(),
                    "removed from the dead-letter stream");
            assertEquals(before + 1, jedis.xlen(KEY), "back on the source stream");
            Map<String, String> requeued = jedis.xrange(KEY, new StreamEntryID(newId),
                    new StreamEntryID(newId)).get(0).getFields();
            assertEquals(Map.of("provider", "stripe", "action", "create_charge", "user_id", "124", "amount", "400"), requeued);
            // it fails again (the route still rejects 400) and comes back to the dead-letter stream
            await("dead-lettered again").atMost(Duration.ofSeconds(5)).until(() -> jedis.xlen(DL) == 1);

            assertEquals(1L, jmx.invoke(name, "purgeDeadLetters", new Object[0], new String[0]));
            assertEquals(0L, jedis.xlen(DL) + (jedis.exists(DL) ? 1 : 0));
        }
    }

    @Test
    void groupLagCountsEntriesNotYetDeliveredOnRedis62() {
        jedis.xgroupCreate("lagging", "g", new StreamEntryID(0, 0), true);
        for (int i = 0; i < 5; i++) {
            xadd("lagging", "n", Integer.toString(i));
        }
        jedis.xreadGroup("g", "c", XReadGroupParams.xReadGroupParams().count(2),
                Map.of("lagging", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        try (RedisStreamsClient client = ((RedisStreamsEndpoint) context.getRoute("integration").getEndpoint()).newClient()) {
            StreamGroupInfo info = new StreamGroupInfo(client, new StreamGroup("lagging", "g"));
            assertEquals(3, info.groupLag());
            assertEquals(2, info.pendingCount());
            assertEquals(5, info.streamLength());
            assertEquals(1, info.consumerCount());
        }
    }

    @Test
    void requeueAllMovesEveryDeadLetter() throws Exception {
        for (int i = 0; i < 3; i++) {
            xadd(KEY, "amount", "400", "n", Integer.toString(i));
        }
        await("dead-lettered").atMost(Duration.ofSeconds(5)).until(() -> jedis.xlen(DL) == 3);
        context.getRouteController().stopRoute("integration");
        ObjectName name = ManagedRedisStreamsConsumer.objectName(KEY, GROUP);
        context.getRouteController().startRoute("integration");
        context.getRouteController().stopRoute("integration");
        // with the route stopped, call the operation in-process (the MBean object is the same code as over RMI)
        var consumer = new ManagedRedisStreamsConsumer(
                (RedisStreamsConsumer) context.getRoute("integration").getConsumer());
        assertEquals(3, consumer.requeueAllDeadLetters());
        assertEquals(0, jedis.xlen(DL));
        assertEquals(6, jedis.xlen(KEY));
        List<Map<String, String>> all = entries(KEY);
        assertTrue(all.subList(3, 6).stream().noneMatch(f -> f.keySet().stream().anyMatch(k -> k.startsWith("x-"))));
        assertTrue(name.toString().startsWith("io.streamroutes:type=stream"));
    }
}
