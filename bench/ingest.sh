#!/usr/bin/env bash
# Ingest benchmark, run on demand (not in CI):
#   bench/ingest.sh [seconds] [harness options...]
# e.g. bench/ingest.sh 20 --agents=1000 --rate=10000
# Starts a real Nines server as its own JVM (-Xmx from SERVER_XMX, default 512m; more JVM flags in
# SERVER_JVM_OPTS, e.g. a JFR recording) on a fresh SQLite file, then runs the load harness
# (console-backend/src/test/java/dev/nines/server/IngestLoad.java) against it over HTTP: many
# simulated agents (default 500, each a host with 8 GPUs and 2 endpoints) posting valid reports with
# increasing seq, as fast as the server answers (or --rate=N reports/s), for the given seconds after a
# warm-up. Prints throughput, latency p50/p95/p99/p99.9/max, errors by status and the server's heap
# (jstat once a second; jcmd after a full GC at the end). Both JVMs run on this machine: the load
# generator's CPU is included in what the machine can do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_TO_MEASURE=${1:-20}
shift || true
SERVER_XMX=${SERVER_XMX:-512m}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:-}
LOAD_JVM_OPTS=${LOAD_JVM_OPTS:--Xmx256m -XX:+UseParallelGC}
OUT=${OUT:-$(mktemp -d)}; mkdir -p "$OUT"; rm -f "$OUT/port" "$OUT"/nines.db*
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

MOD=console-backend
if [ ! -f "$MOD/target/classes/dev/nines/server/ServerCommand.class" ] \
   || [ ! -f "$MOD/target/test-classes/dev/nines/server/IngestLoad.class" ] || [ -n "${REBUILD:-}" ]; then
  echo "building $MOD ..." >&2
  mvn -q -B -o -pl "$MOD" test-compile
fi
{ [ -f "$MOD/target/bench-classpath.txt" ] && [ -z "${REBUILD:-}" ]; } || \
  mvn -q -B -o -pl "$MOD" dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
DEPS=$(cat "$MOD/target/bench-classpath.txt")

TOKEN=bench-admin-token-0123456789abcdef
# shellcheck disable=SC2086
java -Xmx"$SERVER_XMX" $SERVER_JVM_OPTS -cp "$MOD/target/classes:$DEPS" dev.nines.server.ServerCommand \
  --bind 127.0.0.1 --port 0 --port-file "$OUT/port" --db "$OUT/nines.db" --admin-token "$TOKEN" \
  >"$OUT/server.log" 2>&1 &
SERVER=$!; PIDS+=($SERVER)
for _ in $(seq 1 300); do [ -s "$OUT/port" ] && break; kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
[ -s "$OUT/port" ] || { echo "the server did not start:" >&2; cat "$OUT/server.log" >&2; exit 1; }
PORT=$(cat "$OUT/port")
echo "server pid $SERVER on port $PORT (-Xmx$SERVER_XMX $SERVER_JVM_OPTS), data in $OUT" >&2
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# shellcheck disable=SC2086
java $LOAD_JVM_OPTS -cp "$MOD/target/test-classes:$MOD/target/classes:$DEPS" dev.nines.server.IngestLoad \
  --url="http://127.0.0.1:$PORT" --token="$TOKEN" --seconds="$SECONDS_TO_MEASURE" \
  --server-pid="$SERVER" --xmx="$SERVER_XMX" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
PIDS=()
