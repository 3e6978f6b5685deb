#!/usr/bin/env bash
# Reach at scale on one database engine, from nothing:
#
#   bench/reach_load.sh sqlite|pg N [cache_runs] [sql_runs]
#
# 1. a fresh database (SQLite file under $WORK, or a throwaway PostgreSQL cluster on port
#    $PG_PORT, default 55439, via scripts/pg-test-cluster.sh);
# 2. `khien demo --scale N` (generation time; database size per million participations);
# 3. two `khien serve` processes on that database (A and B), then bench/reach_load.mjs:
#    dashboard queries p50/p95 on the cache and on GROUP BY (engine=sql), a new participant
#    seen by A and B, a 100,000-row CSV import.
# KHIEN_BIN defaults to build-reach-rel/khien (a Release build). Everything is removed at the end
# unless KEEP=1.
set -euo pipefail
engine=${1:?sqlite or pg}
n=${2:?participations}
cache_runs=${3:-40}
sql_runs=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${KHIEN_BIN:-$root/build-reach-rel/khien}
work=${WORK:-/tmp/khien-reach-bench-$engine}
pg_port=${PG_PORT:-55439}
port_a=${PORT_A:-18431}
port_b=${PORT_B:-18432}
rm -rf "$work"
mkdir -p "$work"
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$engine" = pg ]; then "$root/scripts/pg-test-cluster.sh" stop "$work/pg" || true; fi
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

if [ "$engine" = pg ]; then
  "$root/scripts/pg-test-cluster.sh" start "$work/pg" "$pg_port" >/dev/null
  url=$("$root/scripts/pg-test-cluster.sh" createdb "$pg_port" khien_bench)
else
  url="sqlite:$work/khien.db"
fi
echo "== reach benchmark: $engine, $n participations, $(nproc) cores, $(date -u +%FT%TZ)"
"$bin" migrate --db "$url" >/dev/null 2>&1
start=$(date +%s.%N)
"$bin" demo --db "$url" --scale "$n" 2>"$work/demo.err" | grep -v '^  ' || { cat "$work/demo.err"; exit 1; }
end=$(date +%s.%N)
echo "generation: $(echo "$end - $start" | bc) s for $n participations"
if [ "$engine" = pg ]; then
  bytes=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d khien_bench -Atc "SELECT pg_database_size('khien_bench')")
else
  sqlite3 "$work/khien.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  bytes=$(stat -c %s "$work/khien.db")
fi
echo "database size: $((bytes / 1048576)) MB; $(echo "scale=0; $bytes * 1000000 / $n / 1048576" | bc) MB per million participations"

# The plain GROUP BY baselines at the province level run for minutes on PostgreSQL at 5 M: give
# them the time the 10 s default statement timeout (a guard for production) would cut off.
export KHIEN_PG_STATEMENT_TIMEOUT_MS=${KHIEN_PG_STATEMENT_TIMEOUT_MS:-900000}
for port in "$port_a" "$port_b"; do
  "$bin" serve --db "$url" --listen "127.0.0.1:$port" --cache-dir "$work/cache" >"$work/serve-$port.log" 2>&1 &
  pids+=($!)
done
for port in "$port_a" "$port_b"; do
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
done
node "$root/bench/reach_load.mjs" "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b" "$cache_runs" "$sql_runs"
for p in "${pids[@]}"; do echo "serve pid $p: $(ps -o rss= -p "$p" | awk '{printf "%.0f MB resident", $1/1024}')"; done
