package io.streamroutes.ratelimit;

/**
 * What the limit answered: a slot was {@code reserved} for the caller in {@code waitMicros} (0 = now), or none was,
 * because the next free one is {@code waitMicros} away, more than the caller accepts to wait.
 */
record RateLimitAnswer(boolean reserved, long waitMicros) {
}
