package io.streamroutes.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import redis.clients.jedis.Jedis;

/**
 * Measures the I/O-bound contestants against the {@link SlowProvider}. Throughput is measured over fixed windows of a
 * backlog that is never used up (tasks/s = results written during the window / window), after a warm-up: so a slow
 * contestant costs the same time as a fast one. The backlog holds 1.5 times what the ideal, {@code concurrency /
 * latency}, would do in warm-up plus windows. After the contestant stopped, the run is checked: no dead letter, no
 * task charged twice (a repeated {@code Idempotency-Key}), no malformed call, one result per call the provider answered.
 */
final class IoBench {

    /** Twice the highest contestant concurrency: the stand-in must not be what limits 50 callers. */
    static final int STAND_IN_CONCURRENCY = 100;

    private final Jedis admin;
    private final SlowProvider provider;
    private final BenchOptions options;

    IoBench(Jedis admin, SlowProvider provider, BenchOptions options) {
        this.admin = admin;
        this.provider = provider;
        this.options = options;
    }

    /** Tasks per second the concurrency allows at most against the stand-in: {@code concurrency / latency}. */
    static double ideal(int concurrency) {
        return concurrency * 1000.0 / SlowProvider.LATENCY_MS;
    }

    ContestantResult measure(IoContestant contestant) {
        int concurrency = contestant.concurrency();
        long millis = options.ioWarmupMillis() + (long) options.ioWindowMillis() * options.repetitions();
        int tasks = (int) Math.ceil(ideal(concurrency) * millis / 1000.0 * 1.5) + 2 * concurrency;
        IoTasks.reset(admin, tasks);
        provider.reset();
        List<String> problems = new ArrayList<>();
        Windows windows = new Windows();
        try (contestant) {
            contestant.start();
            windows.measure(() -> admin.xlen(IoTasks.RESULTS));
        } catch (Exception e) {
            problems.add(contestant.name() + " failed: " + e);
        }
        // the contestant has stopped and finished its calls in flight
        long results = admin.xlen(IoTasks.RESULTS);
        long dead = admin.xlen(IoTasks.DEAD);
        IoTasks.delete(admin);
        if (results >= tasks) {
            problems.add("the backlog of " + tasks + " tasks ran out: the windows were not all busy");
        }
        if (dead > 0) {
            problems.add(dead + " tasks dead-lettered");
        }
        if (provider.repeatedKeys() > 0 || provider.malformed() > 0) {
            problems.add(provider.repeatedKeys() + " tasks charged twice, " + provider.malformed() + " malformed calls");
        }
        if (provider.calls() != results) {
            problems.add("the provider answered " + provider.calls() + " calls but " + results + " results were written");
        }
        return windows.result(contestant.id(), contestant.name(), concurrency, problems);
    }

    /** The stand-in alone: {@link #STAND_IN_CONCURRENCY} threads POSTing with {@link HttpClient}, no Redis. */
    ContestantResult measureStandIn() {
        int concurrency = STAND_IN_CONCURRENCY;
        provider.reset();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI charges = URI.create(provider.url() + SlowProvider.PATH);
        AtomicLong keys = new AtomicLong();
        LongAdder answered = new LongAdder();
        List<String> problems = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        Windows windows = new Windows();
        try {
            for (int i = 0; i < concurrency; i++) {
                callers.execute(() -> {
                    while (!Thread.currentThread().isInterrupted() && windows.running) {
                        try {
                            HttpRequest request = HttpRequest.newBuilder(charges)
                                    .header("Idempotency-Key", "standin-" + keys.incrementAndGet())
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString("amount=1999&currency=usd&customer=1")).build();
                            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                                answered.increment();
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            synchronized (problems) {
                                problems.add("call failed: " + e);
                            }
                            return;
                        }
                    }
                });
            }
            windows.measure(answered::sum);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        } finally {
            callers.shutdown();
            try {
                callers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // its peak calls in flight is reported, not checked: on a loaded machine not all callers overlap every time
        return windows.result("io-standin-c" + concurrency, "stand-in alone: HttpClient, " + concurrency + " threads",
                concurrency, problems);
    }

    /** Warm-up (at least until one task is done), then {@code repetitions} windows of a counter that grows with every finished task; CPU and allocation meanwhile. */
    private final class Windows {

        volatile boolean running = true;
        private final List<Double> rates = new ArrayList<>();
        private final ResourceMeter meter = new ResourceMeter();
        private long counted;
        private long cpu = -1;
        private long allocated = -1;
        private double peakHeap = Double.NaN;
        private double peakLive = Double.NaN;

        void measure(java.util.function.LongSupplier finished) throws InterruptedException {
            try {
                Thread.sleep(options.ioWarmupMillis());
                // at least until the first task is done: the first call is slow (endpoint creation, class loading)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (finished.getAsLong() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                meter.reset();
                for (int run = 0; run < options.repetitions(); run++) {
                    long before = finished.getAsLong();
                    long start = System.nanoTime();
                    Thread.sleep(options.ioWindowMillis());
                    long done = finished.getAsLong() - before;
                    rates.add(done / ((System.nanoTime() - start) / 1e9));
                    counted += done;
                }
                cpu = meter.cpuNanosSinceReset();
                allocated = meter.allocatedSinceReset();
                peakHeap = meter.peakHeapMb();
                peakLive = meter.peakLiveHeapMb();
            } finally {
                running = false;
            }
        }

        ContestantResult result(String id, String name, int concurrency, List<String> problems) {
            if (counted == 0) {
                problems.add("no task finished during the windows");
            }
            double perTask = counted > 0 ? counted : Double.NaN;
            Map<String, Number> details = new LinkedHashMap<>();
            details.put("concurrency", concurrency);
            details.put("providerPeakInFlight", provider.peakInFlight());
            details.put("providerCalls", provider.calls());
            return new ContestantResult(id, name, "io", rates, Double.NaN, Double.NaN, peakHeap, peakLive,
                    allocated < 0 ? Double.NaN : allocated / perTask, cpu < 0 ? Double.NaN : cpu / 1e3 / perTask,
                    problems.isEmpty(), String.join("; ", problems), details);
        }
    }
}
