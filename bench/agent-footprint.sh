#!/usr/bin/env bash
# Agent footprint benchmark, run on demand (not in CI):
#   bench/agent-footprint.sh [seconds]
# Starts, in the same run on this machine, the Nines agent (with the JVM flags it ships with,
# agent/jvm.options) and Debian's prometheus-node-exporter, then measures
#   - the agent's resident memory (VmRSS at the end, VmHWM peak) and CPU seconds per collection cycle,
#   - node_exporter's resident memory and CPU seconds per scrape,
# with CPU read from /proc/<pid>/stat (utime+stime) over the same window, after a warm-up.
# The agent reports to a real backend (./nines server, not measured) every second; it is measured
# twice: host metrics only (--gpu none, no endpoint: what node_exporter does), and the full cycle
# (one simulated model server probed and scraped, simulated GPUs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_TO_MEASURE=${1:-60}
WARMUP=${WARMUP:-90}
HZ=$(getconf CLK_TCK)
OUT=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if ! command -v prometheus-node-exporter >/dev/null 2>&1; then
  echo "installing prometheus-node-exporter ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-node-exporter >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-node-exporter >/dev/null; }
fi
[ -f launcher/target/nines.jar ] && [ -f agent/target/nines-agent.jar ] || mvn -q -B -ntp -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
wait_http() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

TOKEN=bench-admin-token-0123456789abcdef
SPORT=$(free_port); SIMPORT=$(free_port); NEPORT=$(free_port)
java -jar launcher/target/nines.jar server --bind 127.0.0.1 --port "$SPORT" --db "$OUT/nines.db" --admin-token "$TOKEN" >"$OUT/server.log" 2>&1 &
PIDS+=($!)
java -jar launcher/target/nines.jar sim --count 1 --port "$SIMPORT" --control-port -1 >"$OUT/sim.log" 2>&1 &
PIDS+=($!)
prometheus-node-exporter --web.listen-address="127.0.0.1:$NEPORT" >"$OUT/ne.log" 2>&1 &
NE=$!; PIDS+=($NE)
wait_http "http://127.0.0.1:$SPORT/healthz"; wait_http "http://127.0.0.1:$SIMPORT/health"; wait_http "http://127.0.0.1:$NEPORT/metrics"

start_agent() { # name, extra args...
  local name=$1; shift
  java @agent/jvm.options -jar agent/target/nines-agent.jar --server "http://127.0.0.1:$SPORT" --token "$TOKEN" \
    --id "bench-$name" --pool bench --interval 1s --bind 127.0.0.1 --port 0 --agent-check-port 0 \
    --spool-dir "$OUT/spool-$name" "$@" >"$OUT/agent-$name.log" 2>&1 &
  echo $!
}

measure_agent() { # name pid -> prints "rss_mib hwm_mib cpu_ms_per_cycle cycles"
  local pid=$2 t0 t1 s0 s1
  sleep "$WARMUP"
  s0=$(stored_seq "bench-$1"); t0=$(cpu_ticks "$pid")
  sleep "$SECONDS_TO_MEASURE"
  t1=$(cpu_ticks "$pid"); s1=$(stored_seq "bench-$1")
  local cycles=$((s1 - s0))
  awk -v t="$((t1 - t0))" -v hz="$HZ" -v c="$cycles" -v rss="$(rss_kib "$pid")" -v hwm="$(hwm_kib "$pid")" \
    'BEGIN { printf "%.1f %.1f %.2f %d\n", rss/1024, hwm/1024, (c>0 ? t*1000/hz/c : -1), c }'
}
stored_seq() { # reports stored for an agent, read through the API
  curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$SPORT/api/v1/hosts/$1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["lastSeq"])' 2>/dev/null || echo 0
}

# node_exporter: one scrape per second over the same kind of window.
measure_ne() {
  local n=$SECONDS_TO_MEASURE t0 t1
  for _ in $(seq 1 5); do curl -fs -o /dev/null "http://127.0.0.1:$NEPORT/metrics"; done
  t0=$(cpu_ticks "$NE")
  for _ in $(seq 1 "$n"); do curl -fs -o /dev/null "http://127.0.0.1:$NEPORT/metrics"; sleep 1; done
  t1=$(cpu_ticks "$NE")
  awk -v t="$((t1 - t0))" -v hz="$HZ" -v n="$n" -v rss="$(rss_kib "$NE")" -v hwm="$(hwm_kib "$NE")" \
    'BEGIN { printf "%.1f %.1f %.2f %d\n", rss/1024, hwm/1024, t*1000/hz/n, n }'
}

echo "measuring: warm-up ${WARMUP}s, window ${SECONDS_TO_MEASURE}s, clock ticks ${HZ}/s" >&2
A1=$(start_agent host --gpu none); PIDS+=("$A1")
R_HOST=$(measure_agent host "$A1" & measure_ne >"$OUT/ne.result"; wait)
R_NE=$(cat "$OUT/ne.result")
kill "$A1"
A2=$(start_agent full --gpu "sim:http://127.0.0.1:$SIMPORT" --endpoint "http://127.0.0.1:$SIMPORT"); PIDS+=("$A2")
R_FULL=$(measure_agent full "$A2")

printf '\n%-34s %9s %9s %14s %8s\n' "process" "RSS MiB" "peak MiB" "CPU ms/cycle" "cycles"
read -r a b c d <<<"$R_HOST"; printf '%-34s %9s %9s %14s %8s\n' "nines agent (host only, 1 s)" "$a" "$b" "$c" "$d"
read -r a b c d <<<"$R_FULL"; printf '%-34s %9s %9s %14s %8s\n' "nines agent (full: probes + GPUs)" "$a" "$b" "$c" "$d"
read -r a b c d <<<"$R_NE"; printf '%-34s %9s %9s %14s %8s\n' "prometheus-node-exporter (scrape)" "$a" "$b" "$c" "$d"
echo "logs in $OUT"
