#!/usr/bin/env bash
# Builds bluegreen (tests skipped) and starts the whole local stack: a Kafka broker, the DigitalOcean sandbox,
# the four services, and the demo deployment. Ctrl-C stops everything. Extra arguments go to the stack
# (--no-demo, --exit-after-demo).
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -DskipTests install
# Broker, sandbox and four services share this one JVM: the serial collector and the C1 compiler only start it sooner
# and keep it smaller on a laptop or a 2-core machine (README, Footprint). local-stack-run.jar is the stack with its
# libraries as plain jars beside it (target/lib), which start sooner than the exec jar's nested ones.
export MALLOC_ARENA_MAX=2  # two of glibc's malloc arenas, not eight a core: less resident, as in the Dockerfile
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx512m -XX:ReservedCodeCacheSize=64m \
  -jar local-stack/target/local-stack-run.jar "$@"
