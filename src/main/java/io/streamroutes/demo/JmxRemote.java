package io.streamroutes.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;

import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * A JMX connector over RMI for the platform MBean server, listening on the loopback interface only (registry and
 * RMI objects on one port), so tools such as JConsole or VisualVM on the same host can attach. For remote access with
 * authentication and TLS use the JDK's {@code com.sun.management.jmxremote.*} options instead (see README).
 */
public final class JmxRemote implements AutoCloseable {

    private final Registry registry;
    private final JMXConnectorServer server;

    private JmxRemote(Registry registry, JMXConnectorServer server) {
        this.registry = registry;
        this.server = server;
    }

    public static JmxRemote start(int port) throws IOException {
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        System.setProperty("java.rmi.server.hostname", host);
        RMIServerSocketFactory loopbackOnly = p -> new ServerSocket(p, 50, InetAddress.getLoopbackAddress());
        Registry registry = LocateRegistry.createRegistry(port, null, loopbackOnly);
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopbackOnly);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + port + "/jndi/rmi://" + host + ":" + port + "/jmxrmi");
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env, ManagementFactory.getPlatformMBeanServer());
        server.start();
        return new JmxRemote(registry, server);
    }

    public JMXServiceURL url() {
        return server.getAddress();
    }

    @Override
    public void close() throws IOException {
        server.stop();
        UnicastRemoteObject.unexportObject(registry, true);
    }
}
