package io.streamroutes.reliability;

import java.time.Duration;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real jar against a Redis that requires a password (requirepass) and an ACL user: correct credentials work,
 * wrong ones give a clear error without a retry storm, and no password shows up in the output or over JMX.
 */
class RedisAuthIT {

    static final String ADMIN_PASSWORD = "Adm1n-S3cret-9f8e";
    static final String USER = "streams";
    static final String USER_PASSWORD = "Us3r-S3cret-4c2d";

    private EmbeddedRedis redis;
    private ChildApp child;

    @BeforeEach
    void start() {
        ChildApp.assumeJarBuilt();
        redis = EmbeddedRedis.start(false, "requirepass " + ADMIN_PASSWORD,
                "user " + USER + " on >" + USER_PASSWORD + " ~reliability:* +@all");
    }

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private Jedis admin() {
        Jedis jedis = new Jedis(redis.host(), redis.port());
        jedis.auth(ADMIN_PASSWORD);
        return jedis;
    }

    private Map<String, String> props(String username, String password) {
        Map<String, String> props = ChildApp.redisAt(redis.host(), redis.port());
        props.put("reliability.consumer", "worker-a");
        if (username != null) {
            props.put("camel.component.redis-streams.username", username);
        }
        if (password != null) {
            props.put("camel.component.redis-streams.password", password);
        }
        return props;
    }

    @Test
    void aclUserWorksAndItsPasswordIsNeitherLoggedNorShownOverJmx() throws Exception {
        int jmxPort = ChildJmx.freePort();
        Map<String, String> props = props(USER, USER_PASSWORD);
        props.putAll(ChildJmx.agentProperties(jmxPort));
        String jmxText;
        try (Jedis jedis = admin()) {
            RecordingStreams streams = new RecordingStreams(jedis);
            streams.add(0, 100);
            child = ChildApp.start("auth-acl-user", "256m", props);
            await("entries processed as the ACL user").atMost(Duration.ofSeconds(60))
                    .until(() -> streams.pendingCount() == 0 && streams.tally(100).complete());
            try (ChildJmx jmx = ChildJmx.connect(jmxPort, 30_000)) {
                // the JVM's own Runtime MBean lists every -D option (like ps does): the test passes the password that
                // way, production should use application.properties instead (docs/reliability.md)
                jmxText = JmxDump.everything(jmx.server(), "java.lang:type=Runtime");
            }
        }
        child.stopGracefully();
        String output = child.output();
        assertFalse(output.contains(USER_PASSWORD), "password in the output; see " + child.outputFile());
        assertFalse(jmxText.contains(USER_PASSWORD), () -> "password in JMX attributes: "
                + jmxText.lines().filter(l -> l.contains(USER_PASSWORD)).map(l -> l.length() > 300 ? l.substring(0, 300) : l).toList());
        assertTrue(jmxText.contains("reliability:entries"), "the JMX dump must include our MBeans");
        ReliabilityReport.section("8-auth", """
                ## Redis AUTH / ACL with the real jar
                ACL user `%s` with password: 100/100 entries processed. Password found in the child's output: no
                (%d lines checked); in any readable JMX attribute of the child: no (%d characters checked).
                """.formatted(USER, output.lines().count(), jmxText.length()));
    }

    @Test
    void wrongPasswordFailsClearlyWithoutARetryStorm() throws Exception {
        String wrong = "Wr0ng-Pa55-77aa";
        long connectionsBefore;
        try (Jedis jedis = admin()) {
            connectionsBefore = connectionsReceived(jedis);
        }
        child = ChildApp.start("auth-wrong-password", "256m", props(USER, wrong));
        Thread.sleep(10_000); // ten seconds of refused logins: the connection rate they cause is measured below
        long connections;
        try (Jedis jedis = admin()) {
            connections = connectionsReceived(jedis) - connectionsBefore - 1;
        }
        String output = child.output();
        boolean alive = child.isAlive();
        child.close();
        ReliabilityReport.section("9-wrong-password", """
                ## Wrong password with the real jar
                Connections Redis received from the app in 10 s: %d. App still running: %s. Clear error: `%s`.
                Wrong password found in the output: %s.
                """.formatted(connections, alive ? "yes" : "no (start failed)",
                child.lines("rejected the credentials").stream().findFirst().orElse("(none)").strip(),
                output.contains(wrong) ? "YES" : "no"));
        assertTrue(output.contains("Redis rejected the credentials"), "clear error expected; see " + child.outputFile());
        assertFalse(output.contains(wrong), "password in the output; see " + child.outputFile());
        assertTrue(connections <= 5, connections + " connections in 10 s: a retry storm");
    }

    private static long connectionsReceived(Jedis jedis) {
        for (String line : jedis.info("stats").split("\r?\n")) {
            if (line.startsWith("total_connections_received:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no total_connections_received in INFO stats");
    }
}
