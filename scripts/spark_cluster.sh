#!/usr/bin/env bash
# A Spark standalone cluster on this machine: one master and two workers (1 core each), bound to 127.0.0.1.
#
#   scripts/spark_cluster.sh start  [DIR]   start (or find running) and print the master URL, spark://127.0.0.1:PORT
#   scripts/spark_cluster.sh status [DIR]   print the master URL and alive workers; exit 1 unless both are up
#   scripts/spark_cluster.sh stop   [DIR]   stop the workers (and their executors), then the master
#
# DIR holds logs/, pids/, work/ (executor dirs), conf/ and cluster.env (the URLs); default
# ${TMPDIR:-/tmp}/matcher-spark-<uid>. Ports are chosen free at start. The daemons are Spark's own
# (sbin/spark-daemon.sh over spark-class, from the installed pyspark package), started WITHOUT the caller's
# PYTHONPATH: executors see only what a job ships (the Spark engine ships matcher), as on a real cluster.
# Environment: PYSPARK_PYTHON (the Python with pyspark; default ${MATCHER_VENV:-<repo>/.venv}/bin/python, else
# python3), SPARK_WORKER_MEMORY (per worker, default 1g), SPARK_WORKER_CORES (per worker, default 1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKERS=2
WAIT_SECONDS=90

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

python_with_pyspark() {
  local candidate="${PYSPARK_PYTHON:-${MATCHER_VENV:-$ROOT/.venv}/bin/python}"
  [ -x "$candidate" ] || candidate="$(command -v python3 || true)"
  "$candidate" -c "import pyspark" 2>/dev/null \
    || { echo "spark_cluster: no Python with pyspark (set PYSPARK_PYTHON, or pip install -e .[spark])" >&2; exit 1; }
  echo "$candidate"
}

ensure_java() {  # Java 17+ for the daemons; installed like scripts/setup.sh installs system packages
  command -v java >/dev/null 2>&1 && return 0
  local as_root=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || { echo "spark_cluster: java missing and not root: apt-get install default-jre-headless" >&2; exit 1; }
    as_root="sudo -n"
  fi
  $as_root apt-get update -qq && $as_root apt-get install -y -qq --no-install-recommends default-jre-headless
}

free_ports() {  # N distinct free TCP ports on 127.0.0.1 (held together while chosen, so they differ)
  "$PY" - "$1" <<'EOF'
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
}

alive_workers() {  # alive workers registered at the master's web UI; 0 when the master does not answer
  "$PY" - "$1" <<'EOF' 2>/dev/null || echo 0
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json", timeout=3) as response:
    state = json.load(response)
print(sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE"))
EOF
}

daemon() {  # daemon start CLASS INSTANCE [ARGS...]: Spark's own daemon script, pid and log under DIR
  env -u PYTHONPATH SPARK_HOME="$SPARK_HOME" SPARK_CONF_DIR="$DIR/conf" SPARK_LOG_DIR="$DIR/logs" \
    SPARK_PID_DIR="$DIR/pids" SPARK_IDENT_STRING=matcher SPARK_LOCAL_IP=127.0.0.1 SPARK_WORKER_DIR="$DIR/work" \
    SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false" \
    bash "$SPARK_HOME/sbin/spark-daemon.sh" "$@" >>"$DIR/logs/daemons.log" 2>&1
}

pid_of() { cat "$DIR/pids/spark-matcher-$1-$2.pid" 2>/dev/null || true; }

running() { [ -n "$1" ] && [[ "$(ps -p "$1" -o comm= 2>/dev/null || true)" =~ java ]]; }

descendants() {  # every process below pid $1 (a worker's executors and their Python workers)
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null || true); do
    echo "$child"
    descendants "$child"
  done
}

stop_daemon() {  # stop_daemon CLASS INSTANCE: SIGTERM, then wait; SIGKILL what is left
  local pid children n
  pid="$(pid_of "$1" "$2")"
  if ! running "$pid"; then
    rm -f "$DIR/pids/spark-matcher-$1-$2.pid"
    return 0
  fi
  children="$(descendants "$pid")"
  kill "$pid" 2>/dev/null || true  # SIGTERM, as spark-daemon.sh stop does: a worker then stops its executors
  for n in $(seq 50); do
    running "$pid" || break
    sleep 0.2
  done
  running "$pid" && kill -9 "$pid" 2>/dev/null || true
  for pid in $children; do  # a worker stops its executors on SIGTERM; this catches any that outlive it
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$DIR/pids/spark-matcher-$1-$2.pid"
}

stop_all() {
  local i
  for i in $(seq "$WORKERS"); do stop_daemon "$WORKER_CLASS" "$i"; done
  stop_daemon "$MASTER_CLASS" 1
}

status() {
  [ -f "$DIR/cluster.env" ] || { echo "no cluster in $DIR" >&2; return 1; }
  # shellcheck source=/dev/null
  . "$DIR/cluster.env"
  local alive=0
  running "$(pid_of "$MASTER_CLASS" 1)" && alive="$(alive_workers "$MASTER_WEBUI_PORT")"
  echo "$MASTER_URL workers_alive=$alive web_ui=http://127.0.0.1:$MASTER_WEBUI_PORT dir=$DIR"
  [ "$alive" -ge "$WORKERS" ]
}

start() {
  if status >/dev/null 2>&1; then
    . "$DIR/cluster.env"
    echo "$MASTER_URL"
    return 0
  fi
  stop_all  # whatever is left of an earlier cluster in DIR
  PY="$(python_with_pyspark)"
  SPARK_HOME="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
  ensure_java
  mkdir -p "$DIR/conf" "$DIR/logs" "$DIR/pids" "$DIR/work"
  local ports master_port webui_port i
  read -r -a ports <<<"$(free_ports $((2 + 2 * WORKERS)))"
  master_port="${ports[0]}"
  webui_port="${ports[1]}"
  printf 'MASTER_URL=spark://127.0.0.1:%s\nMASTER_WEBUI_PORT=%s\nPY=%q\n' "$master_port" "$webui_port" "$PY" \
    >"$DIR/cluster.env"
  daemon start "$MASTER_CLASS" 1 --host 127.0.0.1 --port "$master_port" --webui-port "$webui_port"
  for i in $(seq "$WORKERS"); do
    daemon start "$WORKER_CLASS" "$i" --host 127.0.0.1 --port "${ports[2 * i]}" --webui-port "${ports[2 * i + 1]}" \
      --cores "${SPARK_WORKER_CORES:-1}" --memory "${SPARK_WORKER_MEMORY:-1g}" --work-dir "$DIR/work/$i" \
      "spark://127.0.0.1:$master_port"
  done
  local deadline=$((SECONDS + WAIT_SECONDS))
  until [ "$(alive_workers "$webui_port")" -ge "$WORKERS" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "spark_cluster: $WORKERS workers not registered within ${WAIT_SECONDS}s; logs in $DIR/logs" >&2
      tail -n 20 "$DIR"/logs/*.out >&2 || true
      stop_all
      exit 1
    fi
    sleep 1
  done
  echo "spark://127.0.0.1:$master_port"
}

case "${1:-}" in
  -h|--help|help) usage; exit 0 ;;
  start|stop|status) COMMAND="$1" ;;
  *) usage >&2; exit 2 ;;
esac
DIR="${2:-${TMPDIR:-/tmp}/matcher-spark-$(id -u)}"
mkdir -p "$DIR/logs"
DIR="$(cd "$DIR" && pwd)"
MASTER_CLASS=org.apache.spark.deploy.master.Master
WORKER_CLASS=org.apache.spark.deploy.worker.Worker
case "$COMMAND" in
  start) start ;;
  status) status ;;
  stop) stop_all; rm -f "$DIR/cluster.env"; echo "stopped the cluster in $DIR" ;;
esac
