#!/usr/bin/env bash
# kafka.sh start|stop|status - single-node Apache Kafka 4.0.0 (KRaft) for dev/CI.
# Jars come from Maven Central via ./pom.xml into $MASH_CACHE_DIR/kafka-4.0.0/libs
# (default ~/.cache/mash-hub); needs java >= 17, plus mvn on first start only.
# Env: MASH_KAFKA_PORT (9092), MASH_KAFKA_CONTROLLER_PORT (9093),
#      MASH_KAFKA_DATA_DIR ($CACHE/kafka-data), MASH_KAFKA_HEAP (512m).
# Logs: $DATA_DIR/logs/server.log (broker), $DATA_DIR/kafka.out (stdout/stderr).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_VERSION=4.0.0
CACHE_DIR="${MASH_CACHE_DIR:-${HOME:-/tmp}/.cache/mash-hub}"
LIBS_DIR="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
LIBS_MARKER="$LIBS_DIR/.mash-complete"
DATA_DIR="${MASH_KAFKA_DATA_DIR:-$CACHE_DIR/kafka-data}"
PORT="${MASH_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${MASH_KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${MASH_KAFKA_HEAP:-512m}"
HOST=127.0.0.1
BOOTSTRAP="$HOST:$PORT"
START_TIMEOUT=90
STOP_TIMEOUT=30

PID_FILE="$DATA_DIR/kafka.pid"
OUT_FILE="$DATA_DIR/kafka.out"
LOG_DIR="$DATA_DIR/logs"
CONFIG_FILE="$DATA_DIR/server.properties"
CLUSTER_ID_FILE="$DATA_DIR/cluster.id"
ADMIN_CONFIG="$DATA_DIR/probe-admin.properties"

log() { echo "kafka: $*"; }
die() { echo "kafka: ERROR: $*" >&2; exit 1; }

now() { if [[ -n "${EPOCHREALTIME:-}" ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    die "java not found (need Java >= 17; e.g. apt-get install -y openjdk-17-jre-headless, or set JAVA_HOME)"
  fi
  local ver major
  ver="$("$JAVA" -version 2>&1 || true)"
  ver="$(awk -F'"' '/version/ && !v { v = $2 } END { print v }' <<<"$ver")"
  major="${ver%%.*}"
  [[ "$major" == 1 ]] && major="$(echo "$ver" | cut -d. -f2)"
  if [[ "$major" =~ ^[0-9]+$ ]] && (( major < 17 )); then
    die "Kafka $KAFKA_VERSION needs Java >= 17, found '$ver' at $JAVA"
  fi
}

# The marker holds a hash of pom.xml so editing the pom triggers a clean re-fetch.
pom_hash() { sha256sum "$SCRIPT_DIR/pom.xml" | cut -d' ' -f1; }

ensure_jars() {
  local want; want="$(pom_hash)"
  if [[ -f "$LIBS_MARKER" && "$(cat "$LIBS_MARKER")" == "$want" ]]; then
    return 0
  fi
  command -v "${MASH_MVN:-mvn}" >/dev/null 2>&1 \
    || die "mvn not found and $LIBS_DIR is not populated (apt-get install -y maven)"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR"
  local t0 mvn_log; t0="$(now)"
  rm -rf "$LIBS_DIR"
  mkdir -p "$LIBS_DIR"
  mvn_log="$CACHE_DIR/kafka-$KAFKA_VERSION/mvn.log"
  if ! "${MASH_MVN:-mvn}" -q -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" \
        -Dkafka.libs.dir="$LIBS_DIR" package >"$mvn_log" 2>&1; then
    tail -n 40 "$mvn_log" >&2 || true
    rm -rf "$LIBS_DIR"
    die "mvn failed to fetch Kafka jars (full output: $mvn_log)"
  fi
  # Maven writes target/ next to the pom; don't leave build output in the repo.
  rm -rf "$SCRIPT_DIR/target"
  ls "$LIBS_DIR"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 \
    || die "mvn succeeded but kafka_2.13-$KAFKA_VERSION.jar is missing from $LIBS_DIR"
  echo "$want" >"$LIBS_MARKER"
  log "fetched $(ls "$LIBS_DIR"/*.jar | wc -l) jars in $(elapsed "$t0")s"
}

render_config() {
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  local tpl; tpl="$(cat "$SCRIPT_DIR/server.properties")"
  tpl="${tpl//@@KAFKA_PORT@@/$PORT}"
  tpl="${tpl//@@CONTROLLER_PORT@@/$CONTROLLER_PORT}"
  tpl="${tpl//@@DATA_DIR@@/$DATA_DIR}"
  printf '%s\n' "$tpl" >"$CONFIG_FILE"
  # Short timeouts for the TopicCommand readiness fallback.
  printf '%s\n' "request.timeout.ms=3000" "default.api.timeout.ms=5000" \
    "retries=0" >"$ADMIN_CONFIG"
}

# CLI tools (StorageTool) log to logs/tools/, keeping logs/server.log broker-only.
java_tool() { "$JAVA" -Xmx256m -cp "$LIBS_DIR/*" -Dlog4j2.configurationFile="$SCRIPT_DIR/log4j2.properties" \
  -Dkafka.logs.dir="$LOG_DIR/tools" "$@"; }

format_storage() {
  if [[ -f "$DATA_DIR/kraft-logs/meta.properties" ]]; then
    return 0
  fi
  local cid
  if [[ -s "$CLUSTER_ID_FILE" ]]; then
    cid="$(cat "$CLUSTER_ID_FILE")"
  else
    cid="$(java_tool kafka.tools.StorageTool random-uuid | tail -n 1)"
    [[ -n "$cid" ]] || die "kafka.tools.StorageTool random-uuid produced no cluster id"
    echo "$cid" >"$CLUSTER_ID_FILE"
  fi
  log "formatting storage in $DATA_DIR/kraft-logs (cluster id $cid)"
  java_tool kafka.tools.StorageTool format --ignore-formatted -t "$cid" -c "$CONFIG_FILE" \
    >"$DATA_DIR/format.out" 2>&1 || { cat "$DATA_DIR/format.out" >&2; die "storage format failed"; }
}

# Alive and not a zombie (an unreaped zombie still passes kill -0).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state; state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
  [[ "$state" != Z ]]
}

# pid of our broker if the pid file points at a live kafka.Kafka process.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  # (grep the file directly: "tr | grep -q" can fail with SIGPIPE under pipefail)
  grep -qa 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

have_kafka_python() {
  command -v "${PYTHON:-python3}" >/dev/null 2>&1 \
    && "${PYTHON:-python3}" -c 'import kafka' >/dev/null 2>&1
}

# Cheap TCP check so we don't spend a client's bootstrap timeout on a closed port.
port_open() { (exec 3<>"/dev/tcp/$HOST/${1:-$PORT}") 2>/dev/null; }

# One real metadata round-trip against the broker; exit 0 if it answered.
init_probe_mode() {
  if [[ -z "${PROBE_MODE:-}" ]]; then
    if have_kafka_python; then PROBE_MODE=python; else PROBE_MODE=java; fi
  fi
}

probe() {
  init_probe_mode
  if [[ "$PROBE_MODE" == python ]]; then
    timeout 15 "${PYTHON:-python3}" - "$BOOTSTRAP" >/dev/null 2>&1 <<'PY'
import logging, sys
logging.disable(logging.CRITICAL)
from kafka.admin import KafkaAdminClient
cfg = dict(bootstrap_servers=sys.argv[1], client_id="mash-ready-probe", request_timeout_ms=5000)
for key, val in (("bootstrap_timeout_ms", 4000), ("api_version_auto_timeout_ms", 4000)):
    if key in KafkaAdminClient.DEFAULT_CONFIG:
        cfg[key] = val
client = KafkaAdminClient(**cfg)
try:
    client.list_topics()
finally:
    client.close()
PY
  else
    [[ -n "${JAVA:-}" ]] || find_java
    [[ -f "$ADMIN_CONFIG" ]] || render_config
    timeout 20 "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -cp "$LIBS_DIR/*" \
      -Dlog4j2.configurationFile="$SCRIPT_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR/tools" \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
      --command-config "$ADMIN_CONFIG" --list >/dev/null 2>&1
  fi
}

show_log_tail() {
  echo "----- tail of $OUT_FILE -----" >&2
  tail -n 20 "$OUT_FILE" >&2 2>/dev/null || true
  echo "----- tail of $LOG_DIR/server.log -----" >&2
  tail -n 40 "$LOG_DIR/server.log" >&2 2>/dev/null || true
  echo "----- last ERROR/FATAL lines of $LOG_DIR/server.log -----" >&2
  grep -E '^\[[^]]*\] (ERROR|FATAL) ' "$LOG_DIR/server.log" 2>/dev/null | tail -n 5 | cut -c1-400 >&2 || true
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while (( SECONDS < deadline )); do
    if ! alive "$pid"; then
      show_log_tail
      rm -f "$PID_FILE"
      die "broker process $pid exited during startup"
    fi
    if port_open && probe; then
      return 0
    fi
    sleep 0.25
  done
  show_log_tail
  die "broker did not answer a metadata request at $BOOTSTRAP within ${START_TIMEOUT}s (pid $pid still running; stop with: $0 stop)"
}

cmd_start() {
  local t0 pid; t0="$(now)"
  if pid="$(running_pid)"; then
    if port_open && probe; then
      log "already running (pid $pid) at $BOOTSTRAP"
      return 0
    fi
    log "pid $pid is up but not answering yet; waiting"
    wait_ready "$pid"
    echo "kafka ready at $BOOTSTRAP in $(elapsed "$t0")s (pid $pid)"
    return 0
  fi
  rm -f "$PID_FILE"
  find_java
  init_probe_mode
  if port_open && { [[ -f "$LIBS_MARKER" ]] || [[ "$PROBE_MODE" == python ]]; } && probe; then
    log "something already answers Kafka metadata at $BOOTSTRAP (not started by this script; no live pid in $PID_FILE) - using it"
    return 0
  fi

  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "port $HOST:$p is already in use by another process (not a Kafka broker answering metadata); free it or set MASH_KAFKA_PORT / MASH_KAFKA_CONTROLLER_PORT"
  done

  ensure_jars
  render_config
  format_storage

  : >"$OUT_FILE"
  local t_launch; t_launch="$(now)"
  # setsid+nohup: detach from this shell/session; the inner bash records its own
  # pid and then execs java, so the pid file holds the JVM's pid.
  # shellcheck disable=SC2016
  setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    "$JAVA" "-Xmx$HEAP" "-Xms$HEAP" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$SCRIPT_DIR/log4j2.properties" \
    -Dkafka.logs.dir="$LOG_DIR" \
    ${MASH_KAFKA_JAVA_OPTS:-} \
    -cp "$LIBS_DIR/*" kafka.Kafka "$CONFIG_FILE" \
    >>"$OUT_FILE" 2>&1 </dev/null &
  local i
  for i in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "failed to launch the broker (no pid written to $PID_FILE)"
  log "started broker pid $pid (data dir $DATA_DIR), waiting for metadata at $BOOTSTRAP (probe: $PROBE_MODE)"
  wait_ready "$pid"
  echo "kafka ready at $BOOTSTRAP in $(elapsed "$t_launch")s (pid $pid; total $(elapsed "$t0")s incl. setup)"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while alive "$pid" && (( SECONDS < deadline )); do sleep 0.2; done
  if alive "$pid"; then
    log "pid $pid still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while alive "$pid" && (( SECONDS < deadline )); do sleep 0.1; done
    alive "$pid" && die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  if ! port_open; then
    echo "stopped"; return 1
  fi
  if { [[ -f "$LIBS_MARKER" ]] || have_kafka_python; } && probe; then
    local pid; pid="$(running_pid || true)"
    echo "running${pid:+ (pid $pid)} at $BOOTSTRAP"
    return 0
  fi
  echo "stopped"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
