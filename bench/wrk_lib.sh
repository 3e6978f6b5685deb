# Shared by the wrk load scripts (sourced). Needs $connections and $duration set.

# wrk_row NAME URL [extra wrk arguments…] -> "NAME|req/s|p50|p99|non-2xx"
wrk_row() {
  local name=$1 url=$2
  shift 2
  local out rps p50 p99 non2xx
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$name|$rps|$p50|$p99|${non2xx:-0}"
}

# wrk's latency ("850.00us", "3.2ms", "1.1s") in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v); print v } else { sub(/s/,"",v); print v*1000 } }'; }

# compare_rows LABEL BASELINE_ROW ROW: the Markdown table and the throughput/p99 ratio line.
compare_rows() {
  local label=$1 base=$2 row=$3
  echo "| request | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|"
  for r in "$base" "$row"; do echo "| ${r//|/ | } |"; done
  local b_rps r_rps b_p99 r_p99
  b_rps=$(echo "$base" | cut -d'|' -f2); r_rps=$(echo "$row" | cut -d'|' -f2)
  b_p99=$(to_ms "$(echo "$base" | cut -d'|' -f4)"); r_p99=$(to_ms "$(echo "$row" | cut -d'|' -f4)")
  awk -v a="$r_rps" -v b="$b_rps" -v c="$r_p99" -v d="$b_p99" -v n="$connections" -v t="$duration" -v l="$label" \
    -v cores="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN { printf "\n%s/healthz throughput ratio: %.2f; p99 %s %.1f ms vs healthz %.1f ms (%d connections, %d s each, %s cores, load %s)\n", l, a/b, l, c, d, n, t, cores, load }'
}
