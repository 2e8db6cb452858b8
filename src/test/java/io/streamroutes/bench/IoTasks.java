package io.streamroutes.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/** The streams of routes/integration.yaml (fixed names in the route file), emptied and filled for each I/O contestant. */
final class IoTasks {

    static final String TASKS = "integration:tasks";
    static final String RESULTS = "integration:results";
    static final String DEAD = "integration:dead-letter";
    static final String GROUP = "integration-workers";
    static final String PROVIDER = "stripe";

    private IoTasks() {
    }

    /** {@code XADD integration:tasks * provider stripe action create_charge user_id <n> amount 1999}. */
    static Map<String, String> task(int i) {
        Map<String, String> task = new LinkedHashMap<>(4);
        task.put("provider", PROVIDER);
        task.put("action", "create_charge");
        task.put("user_id", Integer.toString(100 + i % 1000));
        task.put("amount", "1999");
        return task;
    }

    /** Deletes the three streams, then adds {@code tasks} tasks (pipelined) and the group at 0. */
    static void reset(Jedis jedis, int tasks) {
        jedis.del(TASKS, RESULTS, DEAD);
        BenchStreams.fill(jedis, TASKS, tasks, IoTasks::task);
        jedis.xgroupCreate(TASKS, GROUP, new StreamEntryID(0, 0), true);
    }

    static void delete(Jedis jedis) {
        jedis.del(TASKS, RESULTS, DEAD);
    }
}
