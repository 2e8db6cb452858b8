#!/usr/bin/env bash
# Compares the candidate JPEG decoders for the media route:
# ./bench/imaging-libraries.sh (docs/scenarios/media.md, "Why these engines").
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
mvn -q -B -ntp -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench/imaging-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench/imaging-classpath.txt)" \
  io.streamroutes.bench.ImagingLibraries "$@"
