#!/usr/bin/env bash
# Job-control figures of routes/integration.yaml with the shipped configuration (docs/job-control.md, "Measured"):
# throughput against a 100 ms provider, a 429 window with Retry-After, tasks whose first call fails.
# Needs only Java 17+ and Maven; starts its own Redis (redis-server from PATH, else the embedded 6.2 binary).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
mvn -q -B -ntp -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.camel.processor.errorhandler=error \
  -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  io.streamroutes.bench.IntegrationAcceptance "$@"
