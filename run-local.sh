#!/usr/bin/env bash
# Builds bluegreen (tests skipped) and starts the whole local stack: a Kafka broker, the DigitalOcean sandbox,
# the four services, and the demo deployment. Ctrl-C stops everything. Extra arguments go to the stack
# (--no-demo, --exit-after-demo).
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -DskipTests install
exec java -jar local-stack/target/local-stack.jar "$@"
