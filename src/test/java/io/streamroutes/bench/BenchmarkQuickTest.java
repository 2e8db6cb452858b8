package io.streamroutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the benchmark from rotting: runs it in quick mode (5 000 entries, one repetition; the I/O contestants at
 * concurrency 10 for a 1 s window; a few small photos for the media part; 50 mails per variant for the SMTP part) as
 * part of {@code mvn verify} and checks that every contestant drained or wrote every entry (I/O: finished tasks, none
 * dead-lettered or charged twice; media: resized every photo; SMTP: GreenMail received every mail of both variants)
 * and that the outputs were written. It deliberately
 * asserts no timing: speed is judged from the full run ({@code ./bench/run.sh}), not on a shared CI machine.
 */
class BenchmarkQuickTest {

    @Test
    void everyContestantDrainsEveryEntryInQuickMode() throws Exception {
        Path output = Path.of("target", "bench-quick");
        BenchReport report = Benchmark.run(BenchOptions.quick(), System.out, output);

        assertEquals(List.of("raw-loop", "spring-container", "route-c1", "route-c2", "route-batch", "camel-floor", "raw-lettuce",
                "jedis-readahead", "lettuce-readahead", "raw-xadd", "route-producer", "pipelined-xadd", "pipelined-multi-xadd",
                "route-producer-batch", "route-producer-pipelined", "raw-xread-1000", "raw-xreadgroup-1000", "analytics-replay", "analytics-live", "io-standin-c100", "io-route-c10",
                "io-loop-c10"),
                report.results().stream().map(ContestantResult::id).toList());
        for (ContestantResult result : report.results()) {
            assertTrue(result.complete(), result.id() + ": " + result.problem());
            assertEquals(BenchOptions.quick().repetitions(), result.entriesPerSecond().size(), result.id());
            assertTrue(result.median() > 0, result.id() + " measured no throughput");
        }
        for (ContestantResult result : report.results().stream().filter(r -> "drain".equals(r.kind())).toList()) {
            assertTrue(result.p99Millis() > 0, result.id() + " recorded no latency samples");
        }
        for (ContestantResult result : report.results()) {
            if (!"io".equals(result.kind())) {
                // every drain and producer run read the server's CPU; the floor, which sends nothing, may show 0
                double redisCpu = result.redisCpuMicrosPerEntry();
                assertTrue(DrainBench.FLOOR.equals(result.kind()) ? redisCpu >= 0 : redisCpu > 0, result.id() + ": Redis CPU " + redisCpu);
            }
        }
        for (String ratio : List.of("io route (c=10) / io loop", BenchReport.FLOOR_SUM_CPU_RATIO, BenchReport.FLOOR_GOAL_CPU_RATIO,
                BenchReport.BATCH_DRAIN_RATIO, BenchReport.BATCH_CPU_RATIO, BenchReport.REPLAY_RATIO, BenchReport.LIVE_ANALYTICS_RATIO, BenchReport.GROUP_READ_RATIO,
                BenchReport.LIVE_GROUP_READ_RATIO, BenchReport.MULTI_RATIO,
                BenchReport.BATCH_MULTI_RATIO, BenchReport.REDIS_MULTI_RATIO,
                "CPU per entry: raw Lettuce loop / raw Jedis loop", "Lettuce read-ahead / Jedis read-ahead")) {
            assertTrue(report.ratios().containsKey(ratio), ratio + " missing from " + report.ratios());
        }
        assertTrue(report.backlog().complete(), "backlog check failed:\n" + report.backlog().output());
        // media: our route always; ImageMagick and libvips where installed (else printed as SKIPPED)
        List<String> media = report.media().stream().map(MediaResult::id).toList();
        assertEquals("media-route", media.get(0), media.toString());
        assertEquals(new java.io.File(ToolResizer.IMAGEMAGICK).canExecute(), media.contains("media-imagemagick"));
        assertEquals(new java.io.File(ToolResizer.VIPSTHUMBNAIL).canExecute(), media.contains("media-vips"));
        for (MediaResult result : report.media()) {
            assertTrue(result.complete(), result.id() + ": " + result.problem());
            assertEquals("1024x768", result.outputSize());
            assertTrue(result.median() > 0, result.id() + " measured no throughput");
        }
        // SMTP: both variants sent every mail of every round over SMTPS with AUTH, and the ratio is in the summary
        SmtpReuseResult smtp = report.smtp();
        assertTrue(smtp != null && smtp.complete(), "smtp reuse: " + (smtp == null ? "not run" : smtp.problem()));
        assertEquals(BenchOptions.quick().repetitions(), smtp.reused().size());
        assertTrue(report.ratios().get(SmtpReuseResult.RATIO) > 0, "SMTP reuse ratio missing from " + report.ratios());
        assertTrue(Files.size(output.resolve("results.json")) > 0);
        assertTrue(Files.readString(output.resolve("throughput.svg")).contains("<svg"));
    }
}
