package io.streamroutes.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.embedded.EmbeddedRedis;
import org.apache.camel.util.FileUtil;

import static org.awaitility.Awaitility.await;

/**
 * Debian's redis-server (and redis-cli) started as separate processes on free loopback ports: Cluster nodes, a
 * primary with replicas, sentinels. Each can be killed with SIGKILL; {@link #close()} stops all of them. Tests call
 * {@link #assumeInstalled} first, so they are skipped, with the reason shown, where the binaries are missing
 * (they fail instead under CI: {@link InstalledTools}).
 */
public final class RedisProcesses implements AutoCloseable {

    public static final String SERVER = "/usr/bin/redis-server";
    public static final String CLI = "/usr/bin/redis-cli";

    private final Path dir;
    private final Map<Integer, Process> processes = new LinkedHashMap<>();

    public RedisProcesses() {
        try {
            dir = Files.createTempDirectory("redis-processes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void assumeInstalled(String what) {
        InstalledTools.require(new File(SERVER).canExecute() && new File(CLI).canExecute(),
                what + " needs Debian's redis-server and redis-cli (apt-get install redis-server)");
    }

    /** A redis-server with the given extra arguments ({@code --name value ...}); returns its port once it answers. */
    public int startServer(String... args) {
        int port = EmbeddedRedis.freePort();
        List<String> command = new ArrayList<>(List.of(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
                dir.toString(), "--save", "", "--appendonly", "no", "--dbfilename", "dump-" + port + ".rdb"));
        command.addAll(List.of(args));
        start(port, command);
        return port;
    }

    /** A sentinel watching {@code master} at 127.0.0.1:{@code masterPort}, quorum 2, quick failover. */
    public int startSentinel(String master, int masterPort, long downAfterMs) {
        int port = EmbeddedRedis.freePort();
        Path conf = dir.resolve("sentinel-" + port + ".conf");
        try {
            Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
                    "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 2",
                    "sentinel down-after-milliseconds " + master + " " + downAfterMs,
                    "sentinel failover-timeout " + master + " 3000",
                    "sentinel parallel-syncs " + master + " 1", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start(port, List.of(SERVER, conf.toString(), "--sentinel"));
        return port;
    }

    /**
     * Three sentinels watching {@code master} (quorum 2, down after 1 s), returned once the first of them knows
     * {@code replicaPort} and the other two sentinels, so that a failover can start as soon as the primary dies.
     */
    public List<Integer> startSentinelsSeeing(String master, int masterPort, int replicaPort) {
        List<Integer> sentinels = List.of(startSentinel(master, masterPort, 1000), startSentinel(master, masterPort, 1000),
                startSentinel(master, masterPort, 1000));
        await("sentinels see the replica and each other").atMost(Duration.ofSeconds(20))
                .until(() -> cli(sentinels.get(0), "sentinel", "replicas", master).contains(Integer.toString(replicaPort))
                             && cli(sentinels.get(0), "sentinel", "sentinels", master).split("127.0.0.1").length > 2);
        return sentinels;
    }

    /** A redis-streams component that finds {@code master} through {@code sentinels}, with a 1 s command timeout. */
    public static RedisStreamsComponent componentThrough(String master, List<Integer> sentinels) {
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.getConfiguration().setSentinelMaster(master);
        component.getConfiguration().setSentinelNodes(String.join(",", sentinels.stream().map(p -> "127.0.0.1:" + p).toList()));
        component.getConfiguration().setTimeout(1000);
        return component;
    }

    private void start(int port, List<String> command) {
        try {
            processes.put(port, new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("redis on port " + port + " answers").atMost(Duration.ofSeconds(20)).until(() -> cli(port, "ping").contains("PONG"));
    }

    /** A Cluster of {@code masters} masters with {@code replicas} replicas each, quick failover; returns the ports. */
    public List<Integer> startCluster(int masters, int replicas, long nodeTimeoutMs) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < masters * (1 + replicas); i++) {
            ports.add(startServer("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + i + "-" + System.nanoTime() + ".conf",
                    "--cluster-node-timeout", Long.toString(nodeTimeoutMs),
                    // a replica may take over however long its link was down (a loaded test machine can delay the sync)
                    "--cluster-replica-validity-factor", "0"));
        }
        List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
        ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        run(create.toArray(new String[0]));
        for (int port : ports) {
            await("cluster state ok on " + port).atMost(Duration.ofSeconds(30))
                    .until(() -> cli(port, "cluster", "info").contains("cluster_state:ok"));
            await("replication link of " + port).atMost(Duration.ofSeconds(30)).until(() -> {
                String info = cli(port, "info", "replication");
                return info.contains("role:master") || info.contains("master_link_status:up");
            });
        }
        return ports;
    }

    /** SIGKILL, as a crashed machine would. */
    public void kill(int port) {
        Process p = processes.remove(port);
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** redis-cli -p port args..., its output. */
    public static String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of(CLI, "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return run(command.toArray(new String[0]));
    }

    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        stopAll();
        FileUtil.removeDir(dir.toFile());
    }

    private void stopAll() {
        new ArrayList<>(processes.keySet()).forEach(port -> {
            Process p = processes.remove(port);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
