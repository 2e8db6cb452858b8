package io.streamroutes.bench;

import java.math.BigDecimal;

import redis.clients.jedis.Jedis;

/**
 * The Redis server's own CPU time ({@code INFO cpu}: {@code used_cpu_sys + used_cpu_user}, the whole server process,
 * in seconds with microsecond precision since Redis 6), read before and after a measured run so that each contestant's
 * cost on the server side is reported next to its cost in the JVM. The server's idle housekeeping ({@code hz}) is in
 * it too, a few µs per 100 ms: small against what 200 000 entries cost.
 */
final class RedisCpu {

    private final Jedis jedis;

    /** @param jedis a connection the harness uses on its own thread only */
    RedisCpu(Jedis jedis) {
        this.jedis = jedis;
    }

    /** The server's CPU time so far in µs, -1 when its INFO does not tell. */
    long micros() {
        String info = jedis.info("cpu");
        try {
            BigDecimal seconds = new BigDecimal(BenchRedis.infoField(info, "used_cpu_sys"))
                    .add(new BigDecimal(BenchRedis.infoField(info, "used_cpu_user")));
            return seconds.movePointRight(6).longValue();
        } catch (NumberFormatException e) {
            return -1; // field missing ("?")
        }
    }

    /** CPU µs per entry since {@code microsAtStart} (a {@link #micros()} reading), NaN when either reading failed. */
    double microsPerEntrySince(long microsAtStart, int entries) {
        long now = micros();
        return microsAtStart < 0 || now < 0 ? Double.NaN : (double) (now - microsAtStart) / entries;
    }
}
