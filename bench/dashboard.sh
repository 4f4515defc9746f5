#!/usr/bin/env bash
# Measures how the dashboard holds up with 50 apps while 5,000 lines of a deployment's output arrive, in Debian's
# headless Chromium (apt-get install chromium chromium-driver), as the page measures itself.
#
#   bench/dashboard.sh [--runs 3]
#
# Each run is local-stack's DashboardAtScaleInBrowserTest, its output test alone: a gateway (a JVM of its own) with 50
# apps, a deployment's page open, and 5,000 lines published to Kafka at once as 1,000 DeploymentLog batches of 5 lines
# on two droplets. The page records, from the first batch sent until it shows the last line: how long that took
# (arrivedInMs), its long tasks (over 50 ms: how many, the longest, and the blocking time, the sum of each one's time
# over 50 ms), the longest gap between two animation frames, the lines left in the DOM and the page's element count.
# The test itself only fails past a generous bound (a task over 500 ms, or other than 500 lines in the DOM); these
# are the figures to compare. The load average is printed with each run: on a shared machine it is part of the result.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: bench/dashboard.sh [--runs N]" >&2; exit 2 ;;
  esac
done

OUTPUT=local-stack/target/surefire-reports/dev.bluegreen.localstack.DashboardAtScaleInBrowserTest-output.txt
for run in $(seq 1 "$RUNS"); do
  if ! ./mvnw -o -q verify -pl local-stack -am -Dtest='DashboardAtScaleInBrowserTest#fiveThousand*' \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null; then
    echo "run $run: the test failed (local-stack/target/surefire-reports); what the page measured follows"
  fi
  echo "run $run (load $(cut -d' ' -f1-3 /proc/loadavg)): $(grep -h '^Dashboard with' "$OUTPUT" | tail -1)"
done
