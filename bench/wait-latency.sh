#!/usr/bin/env bash
# Latency cost of waitReplicas (docs/long-run.md): ./bench/wait-latency.sh [sends per round] [rounds]
# Starts a primary and a replica on free ports (redis-server from PATH, else the embedded 6.2 binary).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
mvn -q -B -ntp -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
exec java -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  io.streamroutes.bench.WaitLatencyBench "$@"
