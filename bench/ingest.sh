#!/usr/bin/env bash
# Ingest benchmark, run on demand (not in CI):
#   bench/ingest.sh [seconds] [harness options...]
# e.g. bench/ingest.sh 20 --agents=1000 --rate=10000
#      BENCH_DB=postgres REPLICAS=2 bench/ingest.sh 20 --agents=1000   (two replicas on PostgreSQL)
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
DB="$OUT/nines.db"
REPLICAS=${REPLICAS:-1}
if [ "${BENCH_DB:-sqlite}" = postgres ]; then
  # A PostgreSQL of its own (Debian's binaries, run as the postgres user), fsync and synchronous
  # commit on, on a free loopback port; REPLICAS servers share it.
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PGBIN/initdb" ] || { echo "BENCH_DB=postgres needs PostgreSQL (apt-get install postgresql)" >&2; exit 2; }
  AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups)
  chmod o+x "$OUT"; mkdir -p "$OUT/pg"; chown postgres:postgres "$OUT/pg"; chmod 700 "$OUT/pg"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$OUT/pg/data" -U nines --auth=trust -E UTF8 >"$OUT/pg-init.log" 2>&1
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${AS_PG[@]}" "$PGBIN/postgres" -D "$OUT/pg/data" -p "$PGPORT" -k "$OUT/pg" -c listen_addresses=127.0.0.1 \
    -c max_connections=200 -c shared_buffers=256MB >"$OUT/pg.log" 2>&1 &
  PGPID=$!; PIDS+=($PGPID)
  for _ in $(seq 1 100); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.1; done
  "$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U nines -d postgres -c "CREATE DATABASE nines" >/dev/null
  DB="jdbc:postgresql://127.0.0.1:$PGPORT/nines?user=nines"
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') pid $PGPID on port $PGPORT, $REPLICAS replica(s)" >&2
fi
pg_cpu_ms() { # CPU of every postgres process of this bench (the postmaster and its backends)
  [ -n "${PGPID:-}" ] || { echo 0; return; }
  local total=0 p f
  for p in $PGPID $(pgrep -P "$PGPID" || true); do
    f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    total=$((total + $(echo "$f" | awk '{print ($12 + $13) * 10}')))
  done
  echo "$total"
}

URLS=(); SERVERS=()
for i in $(seq 1 "$REPLICAS"); do
  # shellcheck disable=SC2086
  java -Xmx"$SERVER_XMX" $SERVER_JVM_OPTS -cp "$MOD/target/classes:$DEPS" dev.nines.server.ServerCommand \
    --bind 127.0.0.1 --port 0 --port-file "$OUT/port$i" --db "$DB" --admin-token "$TOKEN" \
    >"$OUT/server$i.log" 2>&1 &
  SERVER=$!; PIDS+=($SERVER); SERVERS+=($SERVER)
  for _ in $(seq 1 300); do [ -s "$OUT/port$i" ] && break; kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
  [ -s "$OUT/port$i" ] || { echo "server $i did not start:" >&2; cat "$OUT/server$i.log" >&2; exit 1; }
  URLS+=("http://127.0.0.1:$(cat "$OUT/port$i")")
  echo "server $i pid $SERVER at ${URLS[-1]} (-Xmx$SERVER_XMX $SERVER_JVM_OPTS), data in $OUT" >&2
done
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

PG0=$(pg_cpu_ms)
# shellcheck disable=SC2086
java $LOAD_JVM_OPTS -cp "$MOD/target/test-classes:$MOD/target/classes:$DEPS" dev.nines.server.IngestLoad \
  --url="$(IFS=,; echo "${URLS[*]}")" --token="$TOKEN" --seconds="$SECONDS_TO_MEASURE" \
  --server-pid="$(IFS=,; echo "${SERVERS[*]}")" --xmx="$SERVER_XMX" "$@"
if [ -n "${PGPID:-}" ]; then
  echo "RESULT postgres cpu: $(( $(pg_cpu_ms) - PG0 )) ms over the run (warm-up included; every backend of this bench)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${SERVERS[@]}"; do wait "$p" 2>/dev/null || true; done
PIDS=()
[ -n "${PGPID:-}" ] && { kill -INT "$PGPID" 2>/dev/null || true; wait "$PGPID" 2>/dev/null || true; }
