#!/usr/bin/env bash
# What `make test` runs. With no argument: everything, in this order —
#   unit   GoogleTest suites (storage suites on SQLite and on a throwaway PostgreSQL)
#   api    black-box API tests against build/khien, on SQLite and on PostgreSQL
#   e2e    browser tests in Debian's chromium (playwright-core)
#   asan   unit and API tests again, built with ASan+UBSan (SQLite)
#   fuzz   every libFuzzer target for FUZZ_SECONDS (default 30) each
# or one of those names.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
what=${1:-all}
jobs=$(nproc)

pg_dir=""
start_postgres() {
  [ -n "$pg_dir" ] && return
  local port attempt
  # A random loopback port can be taken for a moment by another process: try a few.
  for attempt in 1 2 3 4 5; do
    pg_dir=$(mktemp -d /tmp/khien-pg.XXXXXX)
    port=$((56000 + RANDOM % 4000))
    if scripts/pg-test-cluster.sh start "$pg_dir" "$port" >/dev/null 2>&1; then break; fi
    scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=""
    [ "$attempt" = 5 ] && { echo "could not start a PostgreSQL test cluster" >&2; exit 1; }
  done
  export KHIEN_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "== PostgreSQL test cluster at $KHIEN_TEST_PG_URL"
}
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT

run_unit() {
  echo "== unit tests"
  start_postgres
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$jobs"
  ctest --test-dir build --output-on-failure -j "$jobs"
}

run_api() {
  echo "== API tests (SQLite and PostgreSQL)"
  start_postgres
  (cd tests && KHIEN_BIN="$root/build/khien" node --test --test-concurrency=1 api/)
}

run_e2e() {
  echo "== browser tests"
  (cd tests && KHIEN_BIN="$root/build/khien" KHIEN_TEST_PG_URL="" node --test --test-concurrency=1 e2e/)
}

run_asan() {
  echo "== unit and API tests under ASan+UBSan"
  cmake --preset asan-ubsan >/dev/null
  cmake --build --preset asan-ubsan -j "$jobs"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
  (cd tests && KHIEN_BIN="$root/build-asan/khien" KHIEN_TEST_PG_URL="" node --test --test-concurrency=1 api/)
}

run_fuzz() {
  echo "== fuzz targets"
  local seconds=${FUZZ_SECONDS:-30}
  cmake --preset fuzz -DBUILD_TESTING=OFF >/dev/null
  # Only the fuzz targets (and the libraries they link), not the whole product again.
  local targets=()
  for source in tests/fuzz/fuzz_*.cc; do targets+=("$(basename "$source" .cc)"); done
  cmake --build --preset fuzz -j "$jobs" --target "${targets[@]}"
  for target in build-fuzz/tests/fuzz/fuzz_*; do
    [ -x "$target" ] || continue
    echo "-- $(basename "$target") for ${seconds}s"
    corpus=$(mktemp -d)
    "$target" -max_total_time="$seconds" -print_final_stats=1 "$corpus" 2>&1 | tail -3
    rm -rf "$corpus"
  done
}

case "$what" in
  unit) run_unit ;;
  api) run_api ;;
  e2e) run_e2e ;;
  asan) run_asan ;;
  fuzz) run_fuzz ;;
  all) run_unit; run_api; run_e2e; run_asan; run_fuzz ;;
  *) echo "usage: $0 [unit|api|e2e|asan|fuzz]" >&2; exit 2 ;;
esac
