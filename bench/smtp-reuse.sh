#!/usr/bin/env bash
# Kept-open SMTP connections against one connection per mail (docs/scenarios/notifications.md), GreenMail over SMTPS
# with AUTH: ./bench/smtp-reuse.sh [mails per round] [rounds] [concurrency]
BENCH_MAIN=io.streamroutes.bench.SmtpReuseBench exec "$(dirname "$0")/run.sh" "$@"
