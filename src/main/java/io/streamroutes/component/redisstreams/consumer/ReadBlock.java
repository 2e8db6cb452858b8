package io.streamroutes.component.redisstreams.consumer;

/** How long a read may block in Redis (BLOCK ms) without delaying anything else the reader has to do. */
final class ReadBlock {

    private ReadBlock() {
    }

    /**
     * @param blockMs         the configured {@code block}
     * @param outcomesWaiting exchanges running or outcomes not yet written: their acks must not wait for a long BLOCK
     * @param nextSweepAt     when the next XAUTOCLAIM step is due, or {@link Long#MAX_VALUE}
     * @param nextRetryAt     when the earliest retry is due, or {@link Long#MAX_VALUE}
     */
    static long millis(long blockMs, boolean outcomesWaiting, long nextSweepAt, long nextRetryAt, long nowMillis) {
        long block = outcomesWaiting ? Math.min(blockMs, StreamReader.SHORT_BLOCK_MS) : blockMs;
        for (long due : new long[] { nextSweepAt, nextRetryAt }) {
            if (due != Long.MAX_VALUE) {
                block = Math.min(block, Math.max(1, due - nowMillis));
            }
        }
        return block;
    }
}
