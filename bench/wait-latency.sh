#!/usr/bin/env bash
# Latency cost of waitReplicas (docs/long-run.md): ./bench/wait-latency.sh [sends per round] [rounds]
# Starts a primary and a replica on free ports (redis-server from PATH, else the embedded 6.2 binary).
BENCH_MAIN=io.streamroutes.bench.WaitLatencyBench exec "$(dirname "$0")/run.sh" "$@"
