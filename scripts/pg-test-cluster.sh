#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests (never for real data: fsync is off, auth is trust).
#
#   scripts/pg-test-cluster.sh start DIR PORT     # idempotent; prints the connection URL
#   scripts/pg-test-cluster.sh stop DIR
#   scripts/pg-test-cluster.sh createdb PORT NAME # prints the URL of the new database
#   scripts/pg-test-cluster.sh url PORT
#
# Debian's PostgreSQL refuses to run as root, so the cluster belongs to the `postgres` user.
# It listens on 127.0.0.1 only and puts its socket in DIR.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

usage() {
  sed -n '2,8p' "$0" >&2
  exit 2
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  elif [ "$(id -un)" = "postgres" ]; then
    "$@"
  else
    echo "pg-test-cluster: run as root or as postgres" >&2
    exit 1
  fi
}

url() { echo "postgresql://postgres@127.0.0.1:$1/postgres"; }

start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$dir"; fi
  if ! as_postgres test -w "$dir"; then
    echo "pg-test-cluster: the postgres user cannot write $dir (is a parent folder private?); use e.g. /tmp/khien-pg" >&2
    exit 1
  fi
  local data="$dir/data"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    url "$port"
    return
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    -w start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
  url "$port"
}

stop() {
  local data="$1/data"
  if [ -f "$data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

createdb_cmd() {
  local port=$1 name=$2
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
  echo "postgresql://postgres@127.0.0.1:$port/$name"
}

cmd=${1:-}
case "$cmd" in
  start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  createdb) [ $# -eq 3 ] || usage; createdb_cmd "$2" "$3" ;;
  url) [ $# -eq 2 ] || usage; url "$2" ;;
  *) usage ;;
esac
