package io.streamroutes.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import io.streamroutes.embedded.EmbeddedRedis;

import static org.awaitility.Awaitility.await;

/**
 * JMX access to a child JVM through the JDK's own remote agent (loopback, no auth: test only), to read the Camel
 * health checks and our MBeans exactly as an operator's tool would.
 */
final class ChildJmx implements AutoCloseable {

    static final String HEALTH = "org.apache.camel:type=health,*";

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private ChildJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /** System properties that make the child listen for JMX on 127.0.0.1:{@code port}. */
    static Map<String, String> agentProperties(int port) {
        return Map.of("com.sun.management.jmxremote.port", Integer.toString(port),
                "com.sun.management.jmxremote.rmi.port", Integer.toString(port),
                "com.sun.management.jmxremote.host", "127.0.0.1",
                "java.rmi.server.hostname", "127.0.0.1",
                "com.sun.management.jmxremote.authenticate", "false",
                "com.sun.management.jmxremote.ssl", "false");
    }

    static int freePort() {
        return EmbeddedRedis.freePort();
    }

    /** Connects, retrying while the child starts up (bounded). */
    static ChildJmx connect(int port, long timeoutMs) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        return await("JMX connection to the child on port " + port).atMost(Duration.ofMillis(timeoutMs))
                .pollInterval(Duration.ofMillis(200)).pollInSameThread().ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> new ChildJmx(JMXConnectorFactory.connect(url)), Objects::nonNull);
    }

    /** Camel's health MBean, once the context registered it. */
    ObjectName health() throws IOException {
        Set<ObjectName> names = server.queryNames(objectName(HEALTH), null);
        return names.isEmpty() ? null : names.iterator().next();
    }

    boolean readiness() throws Exception {
        return (Boolean) server.getAttribute(health(), "HealthyReadiness");
    }

    /** Runs one health check through Camel's health MBean: "STATE" or "STATE: message" (the message of a failing check). */
    String check(String id) throws Exception {
        String state = (String) server.invoke(health(), "invoke", new Object[] { id }, new String[] { String.class.getName() });
        CompositeData row = details().get(new Object[] { id });
        return row == null || row.get("message") == null ? state : state + ": " + row.get("message");
    }

    /** All health check rows (state, message, failure URI, stack trace...). */
    TabularData details() throws Exception {
        return (TabularData) server.invoke(health(), "details", null, null);
    }

    MBeanServerConnection server() {
        return server;
    }

    static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
