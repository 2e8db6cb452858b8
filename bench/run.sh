#!/usr/bin/env bash
# Runs the side-by-side benchmark (README.md, "Performance"): ./bench/run.sh [--quick] [--entries N] [--repetitions N] [--only ids]
# Needs only Java 17+ and Maven: builds the classes, resolves the class path, starts its own Redis on a free port
# (redis-server from PATH when present, else the embedded 6.2 binary; -Dredis.server=/path via BENCH_JAVA_OPTS).
# Writes target/bench/results.json and target/bench/throughput.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
mvn -q -B -ntp -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
exec java -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  "${BENCH_MAIN:-io.streamroutes.bench.Benchmark}" "$@"
