#!/usr/bin/env bash
# Job-control figures of routes/integration.yaml with the shipped configuration (docs/job-control.md, "Measured"):
# throughput against a 100 ms provider, a 429 window with Retry-After, tasks whose first call fails.
# Needs only Java 17+ and Maven; starts its own Redis (redis-server from PATH, else the embedded 6.2 binary).
# Camel's error handler logs only errors: the 429 and 500 answers are expected by the program.
BENCH_MAIN=io.streamroutes.bench.IntegrationAcceptance \
BENCH_JAVA_OPTS="-Dorg.slf4j.simpleLogger.log.org.apache.camel.processor.errorhandler=error ${BENCH_JAVA_OPTS:-}" \
  exec "$(dirname "$0")/run.sh" "$@"
