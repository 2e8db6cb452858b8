package io.streamroutes.app;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar target/redis-stream-routes.jar --demo} as a newcomer runs it, watched from outside. */
class DemoJarIT {

    private static final Pattern SUMMARY_ROW = Pattern.compile("(?m)^\\s+(\\S+:\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    private static String row(String output, String stream) {
        Matcher m = SUMMARY_ROW.matcher(output.substring(output.indexOf("Summary")));
        while (m.find()) {
            if (m.group(1).equals(stream)) {
                return m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5);
            }
        }
        throw new AssertionError("no summary row for " + stream + " in:\n" + output);
    }

    @Test
    void demoProcessesTheSeedEventsShowsJmxAndExitsZero() throws Exception {
        try (JarProcess demo = JarProcess.start(List.of("-Xmx512m"), "--demo", "--exit-after-seconds", "40")) {
            String jmxUrl = demo.awaitOutput(Pattern.compile("JMX \\(jconsole/VisualVM, loopback only\\): (\\S+)"), 60_000).group(1);
            int redisPort = Integer.parseInt(demo.awaitOutput(Pattern.compile("redis-cli -h 127.0.0.1 -p (\\d+)"), 1000).group(1));
            demo.awaitOutput(Pattern.compile("dead letter integration:dead-letter"), 45_000);
            String output = demo.output();

            // entries / processed / pending / dead-lettered
            assertEquals("3 2 0 1", row(output, "notify:events"), output);
            assertEquals("4 3 0 1", row(output, "media:tasks"), output);
            assertEquals("2 2 0 0", row(output, "business:events"), output);
            assertEquals("4 3 0 1", row(output, "integration:tasks"), output);
            assertTrue(output.contains("mails received by the SMTP stand-in: 1, push requests: 1, charges accepted by the provider stand-in: 3"),
                    output);
            Matcher retried = Pattern.compile("Retry-After: 1 for customer 503; the task was retried (\\d+) ms later").matcher(output);
            assertTrue(retried.find(), output);
            assertTrue(Long.parseLong(retried.group(1)) >= 900, "retried after the second the provider asked for: " + retried.group(1));
            assertTrue(output.contains("derived/789/preview.jpg") && output.contains("derived/789/resized.jpg"), output);
            assertTrue(output.contains("orders_created=1") && output.contains("revenue_cents=1999"), output);
            assertTrue(output.contains("unknown template 'no_such_template'"), output);
            assertTrue(output.contains("HTTP 400 from"), output);
            // the demo prints the streams page's URL, and the page shows the dead letters
            String page = demo.awaitOutput(Pattern.compile("Streams page: (http://127\\.0\\.0\\.1:\\d+/streams)"), 1000).group(1);
            String html = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(page)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(html.contains("Dead letters in integration:dead-letter") && html.contains("HTTP 400 from"), html);

            // a JMX client reads our MBean and requeues the rejected charge
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl));
                 Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName("io.streamroutes:type=stream,key=\"integration:tasks\",group=\"integration-workers\"");
                assertEquals(4L, jmx.getAttribute(name, "StreamLength"));
                assertEquals(0L, jmx.getAttribute(name, "PendingCount"));
                assertEquals(1L, jmx.getAttribute(name, "DeadLetterLength"));
                assertEquals(1L, jmx.getAttribute(name, "DeadLettered"));
                assertTrue((Long) jmx.getAttribute(name, "Acked") >= 2);
                assertFalse(jmx.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null).isEmpty(), "camel-management is on");

                // camel-health is exposed over JMX, and every consumer is ready
                ObjectName health = jmx.queryNames(new ObjectName("org.apache.camel:type=health,*"), null).iterator().next();
                assertEquals(Boolean.TRUE, jmx.getAttribute(health, "Healthy"), "health " + health);

                // the analytics replay operation rebuilds the report from the stream
                String replay = (String) jmx.invoke(new ObjectName("io.streamroutes:type=analytics,name=reports"), "replay", new Object[0],
                        new String[0]);
                assertTrue(replay.startsWith("replayed 2 entries of business:events"), replay);
                assertEquals("1999", jedis.hget(jedis.keys("report:daily:*").iterator().next(), "revenue_cents"));

                String deadId = jedis.xrange("integration:dead-letter", (StreamEntryID) null, null).get(0).getID().toString();
                String newId = (String) jmx.invoke(name, "requeueDeadLetter", new Object[] { deadId }, new String[] { "java.lang.String" });
                assertTrue(jedis.xrange("integration:dead-letter", new StreamEntryID(deadId), new StreamEntryID(deadId)).isEmpty());
                assertEquals("400", jedis.xrange("integration:tasks", new StreamEntryID(newId), new StreamEntryID(newId)).get(0)
                        .getFields().get("user_id"));
            }
            assertEquals(0, demo.waitForExit(60_000), demo.output());
            assertTrue(demo.output().contains("demo stopped"));
        }
    }

    @Test
    void invalidConfigurationGivesOneClearMessageAndANonZeroExit() throws Exception {
        try (JarProcess app = JarProcess.start(List.of("-Dcamel.component.redis-streams.port=notanumber"))) {
            int exit = app.waitForExit(60_000);
            String output = app.output();
            assertTrue(exit != 0, output);
            assertTrue(output.contains("redis-stream-routes: ") && output.contains("notanumber"), output);
            assertFalse(output.contains("\tat "), "no stack trace wall:\n" + output);
        }
    }
}
