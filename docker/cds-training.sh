#!/usr/bin/env bash
# The class data sharing training run of a service, as the Dockerfile makes it and bench/footprint.sh --cds repeats it:
#
#   docker/cds-training.sh ARCHIVE PORT JAVA_ARGUMENTS...
#
# Starts the service with -XX:ArchiveClassesAtExit=ARCHIVE and its web server on PORT, with no Kafka to reach (the
# arguments point it at an address nothing answers), waits until its readiness endpoint answers (DOWN: its lifecycle
# stream cannot join its group), then stops it with SIGTERM; the JVM writes the classes it loaded to ARCHIVE as it
# exits. So the archive holds what a start loads after the context is refreshed too: the web server and the first
# request through it, the actuator's health and its JSON, the Kafka clients and the stream's threads. Stopping at the
# refreshed context instead (-Dspring.context.exit=onRefresh) left about 2,000 of those classes to be read from the jars
# at every start: about 0.5 s of the traffic-router's (bench/footprint.sh, README's Footprint).
set -euo pipefail
archive=$1 port=$2
shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=error "$@" --server.port="$port" >"$log" 2>&1 &
pid=$!
deadline=$(( $(date +%s) + 180 ))
# any answer will do (503 while the stream cannot run); 000 is curl's "no connection yet"
until [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/readiness")" != 000 ]; do
  if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
    echo "the training run did not answer on port $port; its log:" >&2
    cat "$log" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
kill "$pid"
wait "$pid" || true
if [ ! -s "$archive" ]; then
  echo "the training run wrote no class data archive; its log:" >&2
  cat "$log" >&2
  exit 1
fi
