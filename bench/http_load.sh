#!/usr/bin/env bash
# Loopback load test with wrk: authenticated org-unit search against /healthz, in the same run.
#   bench/http_load.sh [DURATION_SECONDS] [CONNECTIONS]
# Prints a Markdown table: requests/s, p50 and p99 for both, and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-64}
bin=${KHIEN_BIN:-build/khien}
dir=$(mktemp -d /tmp/khien-bench.XXXXXX)
port=$((20000 + RANDOM % 20000))
db="sqlite:$dir/khien.db"
"$bin" migrate --db "$db" >/dev/null
"$bin" demo --db "$db" >/dev/null
# The access log goes to a file so that terminal output does not slow the server.
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --static "$dir/none" >"$dir/access.log" 2>"$dir/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"xem.daklak","password":"khien-demo-2026"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')

run() {  # name url [header]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "$3" "$2")
  else
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$2")
  fi
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$1|$rps|$p50|$p99|${non2xx:-0}"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v); print v } else { sub(/s/,"",v); print v*1000 } }'; }

health=$(run "GET /healthz" "http://127.0.0.1:$port/healthz")
search=$(run "GET /api/v1/org-units?q=ea (signed in)" "http://127.0.0.1:$port/api/v1/org-units?q=ea" "Authorization: Bearer $token")
echo "| request | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
for row in "$health" "$search"; do echo "| ${row//|/ | } |"; done
h_rps=$(echo "$health" | cut -d'|' -f2); s_rps=$(echo "$search" | cut -d'|' -f2)
h_p99=$(to_ms "$(echo "$health" | cut -d'|' -f4)"); s_p99=$(to_ms "$(echo "$search" | cut -d'|' -f4)")
awk -v a="$s_rps" -v b="$h_rps" -v c="$s_p99" -v d="$h_p99" -v n="$connections" -v t="$duration" \
  'BEGIN { printf "\nsearch/healthz throughput ratio: %.2f; p99 search %.1f ms vs healthz %.1f ms (%d connections, %d s each, %s cores)\n", a/b, c, d, n, t, "'"$(nproc)"'" }'
