#!/usr/bin/env bash
# Loopback load test with wrk: POST /api/v1/safety/check (anonymous, the rate limit raised out
# of the way) against GET /healthz, in the same run.
#   bench/safety_load.sh [DURATION_SECONDS] [CONNECTIONS]
# The bodies are a handful of invented messages (a scam, a legitimate bank SMS, a grooming
# question, plain chat, obfuscated phishing, English spam, and one only the learned model flags,
# which costs the telling-words search), rotated per request by a wrk Lua script. Prints a Markdown table:
# requests/s, p50 and p99 for both, and the ratios. Target (issue 4): p99 < 10 ms at 64.
# Keep runs at 5 s: the route's rate limit is at most 100,000 checks a minute per address, and
# at ~13,000/s a longer run measures fast 429 answers (the script refuses such a run).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/wrk_lib.sh
duration=${1:-5}
connections=${2:-64}
bin=${KHIEN_BIN:-build/khien}
dir=$(mktemp -d /tmp/khien-safety-bench.XXXXXX)
port=$((20000 + RANDOM % 20000))
db="sqlite:$dir/khien.db"
"$bin" migrate --db "$db" >/dev/null
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --static "$dir/none" --checks-per-minute 100000 \
  >"$dir/access.log" 2>"$dir/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.2
done

cat >"$dir/check.lua" <<'LUA'
local bodies = {
  '{"text":"Chúc mừng quý khách trúng thưởng 50 triệu! Gọi ngay 0912 345 678 để nhận, chuyển phí 500k vào stk 1234567890 Vietcombank."}',
  '{"text":"TK 0011004455667 tai VCB +2,000,000VND luc 10:15 28/11. So du 5,250,000VND. ND: chuyen tien hoc phi"}',
  '{"text":"Em mấy tuổi rồi, học trường nào? Đừng nói với bố mẹ nhé, anh gửi quà cho em."}',
  '{"text":"Chiều nay mẹ đón con lúc 5 giờ nhé, nhớ mang áo mưa."}',
  '{"text":"T4i kho4n cua b4n bi kh0a, vao hxxps://vcb-xacminh[.]com de xac minh ngay"}',
  '{"text":"URGENT! You have won a 900 prize. Call 09061234567 now to claim, or reply with the 6-digit code we sent you."}',
  '{"text":"Tuyển lao động đi Nhật lương 40 triệu, không cần tiếng, đặt cọc 20 triệu giữ chỗ"}',
}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
LUA
curl -sf -H 'Content-Type: application/json' -d '{"text":"thử"}' "http://127.0.0.1:$port/api/v1/safety/check" >/dev/null


health=$(wrk_row "GET /healthz" "http://127.0.0.1:$port/healthz")
# The server's CPU time (user + system, clock ticks) around the check run: CPU per check is
# steadier than latency on a shared machine.
server_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
ticks_before=$(server_ticks)
check=$(wrk_row "POST /api/v1/safety/check" "http://127.0.0.1:$port/api/v1/safety/check" -s "$dir/check.lua")
ticks_after=$(server_ticks)
compare_rows check "$health" "$check"
awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" -v rps="$(echo "$check" | cut -d'|' -f2)" \
  -v d="$duration" 'BEGIN { printf "server CPU per check: %.0f µs\n", t / hz / (rps * d) * 1e6 }'
if [ "$(echo "$check" | cut -d'|' -f5)" != 0 ]; then
  echo "some checks were refused (rate limit?): this run does not measure the checker; use a shorter one" >&2
  exit 1
fi
