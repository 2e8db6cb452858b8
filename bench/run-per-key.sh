#!/usr/bin/env bash
# Per-key concurrency figures (docs/job-control.md, "Concurrency per key"): one user with a backlog of 1 000 tasks and
# nine users with 10 each against a WireMock provider answering in 100 ms, concurrency 10, without and with
# maxConcurrencyPerKey=1: when the nine users' tasks are done. ./bench/run-per-key.sh [--quick]
# Needs only Java 17+ and Maven; starts its own Redis (redis-server from PATH, else the embedded 6.2 binary).
BENCH_MAIN=io.streamroutes.bench.PerKeyConcurrencyBench \
BENCH_JAVA_OPTS="-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn -Dorg.slf4j.simpleLogger.log.com.github.tomakehurst=warn ${BENCH_JAVA_OPTS:-}" \
  exec "$(dirname "$0")/run.sh" "$@"
