#!/usr/bin/env bash
# Measures each service's start-to-ready time and resident memory, from its exec jar, as a person runs it.
#
#   bench/footprint.sh [--runs 3] [--idle 20] [--cycles 10] [--cds] [--no-stack]
#                      [--jvm-flags "..."] [--stack-jvm-flags "..."] [--compare-with WORK_FOLDER]
#
# Needs the jars: ./mvnw -o -q package -DskipTests -pl deploy-agent,health-monitor,traffic-router,gateway,local-stack -am
#
# 1. Starts a KRaft broker and the DigitalOcean sandbox (from local-stack.jar's class path) on free ports.
# 2. Starts each service alone, --runs times (0: none): start is from launching java to /actuator/health/readiness
#    answering UP (which needs its lifecycle stream running); idle RSS is VmRSS from /proc/<pid>/status --idle seconds
#    after ready.
# 3. Unless --no-stack: starts the four together (time until all four are ready), then runs --cycles cycles of deploy v2
#    and roll back through the gateway (SSH deploy, health check, switch; then back); RSS under load is each service's
#    peak (VmHWM) over the whole run. Then starts the local stack as run-local.sh does (local-stack-run.jar --no-demo)
#    and times it until it prints that it is running; its RSS at idle.
# With --cds each service runs as the Docker image runs it: unpacked by Boot's tools jar mode, with a class data
# archive from a training run (docker/cds-training.sh, as the Dockerfile runs it), made first.
# --compare-with (with --cds) takes the work folder an earlier --cds run left, of another checkout, and starts that
# checkout's services too, each run of this one's right after the other's: a before and after taken side by side, so
# that the machine's drift from minute to minute weighs on both alike.
# The JVM flags are the ones the Dockerfile and run-local.sh use (JVM_FLAGS and STACK_JVM_FLAGS below), or none with
# --jvm-flags "" --stack-jvm-flags "".
# The load average is printed with each figure: on a shared machine it is part of the result.
set -euo pipefail
cd "$(dirname "$0")/.."

# The flags the Dockerfile and run-local.sh give a service; keep the three in step.
JVM_FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms32m -Xmx128m -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m"
# The flags run-local.sh gives the local stack: broker, sandbox and four services in one JVM.
STACK_JVM_FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx512m -XX:ReservedCodeCacheSize=64m"
# glibc malloc's arenas, as the Dockerfile and run-local.sh set them (empty with --jvm-flags "": glibc's default)
MALLOC_ARENAS=2
RUNS=3
IDLE=20
CYCLES=10
STACK=1
CDS=0
COMPARE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --cycles) CYCLES=$2; shift 2 ;;
    --jvm-flags) JVM_FLAGS=$2; [ -n "$2" ] || MALLOC_ARENAS=""; shift 2 ;;
    --stack-jvm-flags) STACK_JVM_FLAGS=$2; shift 2 ;;
    --no-stack) STACK=0; shift ;;
    --cds) CDS=1; shift ;;
    --compare-with) COMPARE=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

SERVICES=(deploy-agent health-monitor traffic-router gateway)
LOCAL_STACK_JAR=local-stack/target/local-stack.jar
# what run-local.sh starts: the same classes, with its libraries as plain jars in local-stack/target/lib
LOCAL_STACK_RUN_JAR=local-stack/target/local-stack-run.jar
for service in "${SERVICES[@]}"; do
  ls "$service"/target/"$service"-*-exec.jar >/dev/null 2>&1 \
    || { echo "no exec jar for $service: build first (see the head of $0)" >&2; exit 1; }
done
if [ -n "$COMPARE" ]; then
  [ "$CDS" = 1 ] || { echo "--compare-with needs --cds" >&2; exit 2; }
  for service in "${SERVICES[@]}"; do
    [ -f "$COMPARE/cds/$service.jsa" ] || { echo "no $COMPARE/cds/$service.jsa: not the work folder of a --cds run" >&2; exit 1; }
  done
fi
for jar in "$LOCAL_STACK_JAR" "$LOCAL_STACK_RUN_JAR"; do
  [ -f "$jar" ] || { echo "no $jar: build first (see the head of $0)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/bluegreen-footprint.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
kb_to_mb() { echo $(( ($1 + 512) / 1024 )); }
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Runs a main class from local-stack.jar's nested class path (Boot's PropertiesLauncher), in the background.
run_from_stack_jar() {
  local main=$1 log=$2; shift 2
  java -XX:+UseSerialGC -Dloader.main="$main" -cp "$LOCAL_STACK_JAR" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@" >"$log" 2>&1 &
  PIDS+=($!)
}

wait_for_line() {  # file, text, seconds
  local deadline=$(( $(date +%s) + $3 ))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.2
  done
}

KAFKA_PORT=$(free_port)
APP=sample-app
echo "Starting a KRaft broker on $KAFKA_PORT and the sandbox (work folder $WORK) ..."
run_from_stack_jar dev.bluegreen.kafka.KraftBrokerMain "$WORK/kafka.log" --port "$KAFKA_PORT" --data "$WORK/kafka"
run_from_stack_jar dev.bluegreen.sandbox.SandboxMain "$WORK/sandbox.log" --api-port 0 --load-balancer-port 0 \
  --first-ssh-port 0 --first-http-port 0 --app "$APP" --work-dir "$WORK/sandbox" --apps-file "$WORK/bluegreen.yml"
wait_for_line "$WORK/kafka.log" "Kafka is running" 120
wait_for_line "$WORK/sandbox.log" "Point the services at it" 120
API_URL=$(awk '/DigitalOcean API/ { print $3 }' "$WORK/sandbox.log")
API_TOKEN=$(awk '/API token/ { print $3 }' "$WORK/sandbox.log")
GATEWAY_TOKEN=footprint-token

# service -> its extra arguments
service_args() {
  case "$1" in
    traffic-router) echo "--bluegreen.digitalocean.api-url=$API_URL --bluegreen.digitalocean.token=$API_TOKEN" ;;
    gateway) echo "--bluegreen.gateway.tokens.bench.secret=$GATEWAY_TOKEN --bluegreen.gateway.tokens.bench.apps=*" ;;
    *) echo "" ;;
  esac
}

# How a service's java command names its code: the exec jar, or (--cds) the unpacked jar and its class data archive,
# this run's or (a second argument) those in another work folder.
jar_of() {
  if [ "$CDS" = 1 ]; then
    local work=${2:-$WORK}
    echo "-XX:SharedArchiveFile=$work/cds/$1.jsa -jar $work/cds/$1/service.jar"
  else
    echo "-jar $(ls "$1"/target/"$1"-*-exec.jar)"
  fi
}

if [ "$CDS" = 1 ]; then
  for service in "${SERVICES[@]}"; do
    echo "Unpacking $service and making its class data archive (a training run) ..."
    java -Djarmode=tools -jar "$service"/target/"$service"-*-exec.jar extract --destination "$WORK/cds/$service" >/dev/null
    mv "$WORK/cds/$service/$service"-*-exec.jar "$WORK/cds/$service/service.jar"
    # as the Dockerfile makes it: no Kafka to reach, stopped once its readiness endpoint answers
    # shellcheck disable=SC2046,SC2086
    docker/cds-training.sh "$WORK/cds/$service.jsa" "$(free_port)" $JVM_FLAGS \
      -jar "$WORK/cds/$service/service.jar" --bluegreen.config="$WORK/bluegreen.yml" \
      --spring.kafka.bootstrap-servers=127.0.0.1:1 --spring.kafka.admin.auto-create=false $(service_args "$service") \
      >"$WORK/$service-training.log" 2>&1
  done
fi

# Starts a service on a free port, from this checkout or (a third argument) another --cds work folder; sets
# STARTED_PID and STARTED_PORT.
start_service() {
  local service=$1 log=$2 from=${3:-}
  STARTED_PORT=$(free_port)
  # shellcheck disable=SC2046,SC2086
  MALLOC_ARENA_MAX=$MALLOC_ARENAS java $JVM_FLAGS $(jar_of "$service" "$from") --bluegreen.config="$WORK/bluegreen.yml" \
    --spring.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT" --server.port="$STARTED_PORT" \
    --spring.main.banner-mode=off $(service_args "$service") >"$log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

ready() { curl -fsS -m 2 "http://127.0.0.1:$1/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; }

wait_ready() {  # pid, port, log
  local deadline=$(( $(date +%s) + 600 ))
  until ready "$2"; do
    kill -0 "$1" 2>/dev/null || { echo "it exited; see $3" >&2; tail -30 "$3" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "not ready within 600 s; see $3" >&2; exit 1; }
    sleep 0.1
  done
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# One start of a service alone (arguments as start_service's): sets ALONE_MS, from launch to ready, and ALONE_RSS,
# after --idle seconds; then stops it.
run_alone() {
  local started
  started=$(now_ms)
  start_service "$@"
  wait_ready "$STARTED_PID" "$STARTED_PORT" "$2"
  ALONE_MS=$(( $(now_ms) - started ))
  sleep "$IDLE"
  ALONE_RSS=$(kb_to_mb "$(status_kb "$STARTED_PID" VmRSS)")
  stop "$STARTED_PID"
}

echo
echo "JVM flags: ${JVM_FLAGS:-(none)}$([ "$CDS" = 1 ] && echo ", with a class data archive (--cds)")"
echo "Java: $(java -version 2>&1 | head -1); $(nproc) cores; $(free -m | awk '/Mem:/ { print $2 }') MB memory"
echo
if [ "$RUNS" -gt 0 ]; then
  printf '%-15s | %-28s | %-22s | %s\n' "alone" "start to ready (ms), median" "idle RSS (MB), median" "load average at each run"
  printf '%-15s-+-%-28s-+-%-22s-+-%s\n' "---------------" "----------------------------" "----------------------" "------------------------"
  for service in "${SERVICES[@]}"; do
    times=() rss=() loads=() other_times=() other_rss=()
    for run in $(seq "$RUNS"); do
      loads+=("$(load)")
      if [ -n "$COMPARE" ]; then
        run_alone "$service" "$WORK/$service-compared-$run.log" "$COMPARE"
        other_times+=("$ALONE_MS") other_rss+=("$ALONE_RSS")
      fi
      run_alone "$service" "$WORK/$service-alone-$run.log"
      times+=("$ALONE_MS") rss+=("$ALONE_RSS")
    done
    if [ -n "$COMPARE" ]; then
      printf '%-15s | %-28s | %-22s | %s\n' "$service, other" "$(median "${other_times[@]}") (${other_times[*]})" \
        "$(median "${other_rss[@]}") (${other_rss[*]})" "(from $COMPARE)"
    fi
    printf '%-15s | %-28s | %-22s | %s\n' "$service" "$(median "${times[@]}") (${times[*]})" \
      "$(median "${rss[@]}") (${rss[*]})" "$(IFS=';'; echo "${loads[*]}")"
  done
fi

if [ "$STACK" = 1 ]; then
  echo
  echo "The four together: load average $(load) at start"
  declare -A PID_OF PORT_OF
  started=$(now_ms)
  for service in "${SERVICES[@]}"; do
    start_service "$service" "$WORK/$service-together.log"
    PID_OF[$service]=$STARTED_PID PORT_OF[$service]=$STARTED_PORT
  done
  for service in "${SERVICES[@]}"; do
    wait_ready "${PID_OF[$service]}" "${PORT_OF[$service]}" "$WORK/$service-together.log"
  done
  echo "  all four ready after $(( $(now_ms) - started )) ms"
  sleep "$IDLE"
  declare -A IDLE_OF
  for service in "${SERVICES[@]}"; do IDLE_OF[$service]=$(kb_to_mb "$(status_kb "${PID_OF[$service]}" VmRSS)"); done

  GATEWAY="http://127.0.0.1:${PORT_OF[gateway]}"
  await_outcome() {  # deployment id
    local deadline=$(( $(date +%s) + 120 )) outcome=""
    while [ "$(date +%s)" -lt "$deadline" ]; do
      outcome=$(curl -fsS -H "Authorization: Bearer $GATEWAY_TOKEN" "$GATEWAY/api/deployments/$1" 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["outcome"])' 2>/dev/null || true)
      case "$outcome" in succeeded) return 0 ;; failed|cancelled|expired|refused) echo "deployment $1 $outcome" >&2; return 1 ;; esac
      sleep 0.5
    done
    echo "deployment $1 did not end within 120 s" >&2; return 1
  }
  request() {  # path, body
    curl -fsS -X POST -H "Authorization: Bearer $GATEWAY_TOKEN" -H 'Content-Type: application/json' -d "$2" \
      "$GATEWAY$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["deploymentId"])'
  }
  echo "  load average $(load) before $CYCLES cycles of deploy v2 and roll back for $APP"
  cycles_started=$(now_ms)
  for cycle in $(seq "$CYCLES"); do
    await_outcome "$(request "/api/apps/$APP/deployments" '{"ref":"v2","requestedBy":"footprint"}')"
    await_outcome "$(request "/api/apps/$APP/rollbacks" '{"requestedBy":"footprint"}')"
  done
  echo "  $CYCLES cycles in $(( $(now_ms) - cycles_started )) ms; load average $(load) after"
  printf '  %-15s | %-14s | %s\n' "service" "idle RSS (MB)" "peak RSS over the run, VmHWM (MB)"
  for service in "${SERVICES[@]}"; do
    printf '  %-15s | %-14s | %s\n' "$service" "${IDLE_OF[$service]}" \
      "$(kb_to_mb "$(status_kb "${PID_OF[$service]}" VmHWM)")"
    stop "${PID_OF[$service]}"
  done

  echo
  echo "The local stack (local-stack-run.jar --no-demo, its own broker and sandbox): load average $(load) at start"
  # the stack takes fixed ports: the broker and sandbox above stand aside first
  cleanup
  PIDS=()
  for port in 9092 8080 8081 8082 8083 8088 8090 2221 9001; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "  port $port is taken (someone else's local stack?): not measured"; exit 0
    fi
  done
  echo "  JVM flags: ${STACK_JVM_FLAGS:-(none)}"
  started=$(now_ms)
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=$MALLOC_ARENAS java $STACK_JVM_FLAGS -jar "$LOCAL_STACK_RUN_JAR" --no-demo >"$WORK/local-stack.log" 2>&1 &
  stack_pid=$!
  PIDS+=("$stack_pid")
  wait_for_line "$WORK/local-stack.log" "bluegreen is running locally" 180
  echo "  ready after $(( $(now_ms) - started )) ms"
  sleep "$IDLE"
  echo "  idle RSS $(kb_to_mb "$(status_kb "$stack_pid" VmRSS)") MB; load average $(load)"
fi
echo
echo "Logs in $WORK"
