package io.streamroutes.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.streamroutes.embedded.EmbeddedRedis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A 3-master Redis Cluster on free loopback ports from Debian's redis-server ({@code .ci/run} installs it); the caller
 * is skipped, with the reason shown, where it is missing.
 */
public final class LocalRedisCluster implements AutoCloseable {

    private static final String SERVER = "/usr/bin/redis-server";
    private static final String CLI = "/usr/bin/redis-cli";
    private final List<Process> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private LocalRedisCluster() {
    }

    public static LocalRedisCluster start() throws Exception {
        assumeTrue(new File(SERVER).canExecute() && new File(CLI).canExecute(),
                "SKIPPED: Redis Cluster test needs Debian's redis-server and redis-cli (apt-get install redis-server)");
        LocalRedisCluster cluster = new LocalRedisCluster();
        Path dir = Files.createTempDirectory("redis-cluster");
        for (int i = 0; i < 3; i++) {
            int port = EmbeddedRedis.freePort();
            cluster.ports.add(port);
            cluster.nodes.add(new ProcessBuilder(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes-" + port + ".conf", "--dir", dir.toString(), "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("node-" + port + ".log").toFile()).start());
        }
        for (int port : cluster.ports) {
            Await.until("node " + port, 20_000, () -> run(CLI, "-p", Integer.toString(port), "ping").contains("PONG"));
        }
        List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
        cluster.ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        run(create.toArray(new String[0]));
        for (int port : cluster.ports) {
            Await.until("cluster state ok", 20_000, () -> run(CLI, "-p", Integer.toString(port), "cluster", "info").contains("cluster_state:ok"));
        }
        return cluster;
    }

    public List<Integer> ports() {
        return ports;
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}, the component's clusterNodes option. */
    public String clusterNodes() {
        return String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    @Override
    public void close() {
        nodes.forEach(Process::destroy);
        for (Process p : nodes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
