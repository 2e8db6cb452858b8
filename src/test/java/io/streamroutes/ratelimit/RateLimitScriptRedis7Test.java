package io.streamroutes.ratelimit;

import io.streamroutes.testsupport.InstalledTools;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;


/** The rate limit on Debian's Redis 7 ({@code .ci/run} installs it); skipped, with the reason, where it is missing. */
class RateLimitScriptRedis7Test extends RateLimitScriptContract {

    private static final String SERVER = "/usr/bin/redis-server";
    private static Process server;
    private static int port;

    @BeforeAll
    static void startRedis7() throws Exception {
        InstalledTools.require(new File(SERVER).canExecute(), "the Redis 7 rate-limit test needs Debian's redis-server");
        port = EmbeddedRedis.freePort();
        Path dir = Files.createTempDirectory("redis7-ratelimit");
        server = new ProcessBuilder(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Await.listening("Redis 7", port, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopRedis7() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    String host() {
        return "127.0.0.1";
    }

    @Override
    int port() {
        return port;
    }
}
