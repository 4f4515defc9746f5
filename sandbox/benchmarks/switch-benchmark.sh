#!/usr/bin/env bash
# Does a switch between colours drop requests? Starts a sandbox, puts steady load through its load balancer with
# wrk, and compares three windows: no switch, naive switches (replace the pool in one PUT), and switches that add
# the new colour, wait until the balancer's health check passes it, then remove the old.
#
#   sandbox/benchmarks/switch-benchmark.sh [seconds-per-window, default 30] [requests-per-second, default 250]
#
# Needs wrk (sudo apt-get install -y wrk), Java 17, git and python3.
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed. Install it with: sudo apt-get install -y wrk" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
../mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/benchmark.classpath \
  -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/benchmark.classpath)" \
  dev.bluegreen.sandbox.benchmark.SwitchBenchmark "$@"
