#!/usr/bin/env bash
# Loopback load test with wrk: authenticated org-unit search against /healthz, in the same run.
#   bench/http_load.sh [DURATION_SECONDS] [CONNECTIONS]
# Prints a Markdown table: requests/s, p50 and p99 for both, and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/wrk_lib.sh
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


health=$(wrk_row "GET /healthz" "http://127.0.0.1:$port/healthz")
search=$(wrk_row "GET /api/v1/org-units?q=ea (signed in)" "http://127.0.0.1:$port/api/v1/org-units?q=ea" -H "Authorization: Bearer $token")
compare_rows search "$health" "$search"
