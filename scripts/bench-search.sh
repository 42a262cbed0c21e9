#!/usr/bin/env bash
# 人员资格查询 at scale: fills a registry of PERSONS (default 1,000,000) generated persons,
# serves it with the release build on 127.0.0.1 and drives each kind of query with wrk
# (32 connections, DURATION seconds each): (a) exact 身份证号, (b) exact 注册编号,
# (c) 姓名 + 注册类别, (d) 姓名 prefix + 注册单位 through the search API, and (e) the search
# page rendered in full. Prints requests/s and p50/p95/p99 per kind, the generator's time and
# the database's size; also (f) the empty search form page. SKIP_GENERATE=1 measures the
# registries a previous run left in target/bench and the portal_bench database. SQLite always; PostgreSQL too when BENCH_POSTGRES_URL names a server
# whose user may create databases. Every server it starts is stopped at the end.
#
#   scripts/bench-search.sh                 # after `make build-release`
#   PERSONS=100000 DURATION=5 scripts/bench-search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS=${PERSONS:-1000000}
DURATION=${DURATION:-10}
PORT=${PORT:-3100}
CONNECTIONS=32
BIN=target/release/server
WORK=target/bench
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "bench-search.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; exit 1; }

export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$PORT PORTAL_ENV=development PORTAL_SEARCH_LIMIT=0
server_pid=
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=; fi; }
trap stop_server EXIT

run_backend() {
  local label=$1 url=$2 size_cmd=$3
  echo "== $label: $PERSONS persons"
  if [ -z "${SKIP_GENERATE:-}" ]; then
    DATABASE_URL=$url "$BIN" registry generate --persons "$PERSONS" --seed 42 | tail -1
  fi
  echo "database size: $(eval "$size_cmd")"
  DATABASE_URL=$url "$BIN" registry sample --count 2000 --seed 42 > "$WORK/samples.tsv"
  DATABASE_URL=$url RUST_LOG=warn "$BIN" > "$WORK/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  echo "search_form	/search" >> "$WORK/samples.tsv"
  for kind in id regno name_category prefix_employer page search_form; do
    awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$WORK/samples.tsv" > "$WORK/paths-$kind.txt"
    # Warm up, then measure.
    PATHS="$WORK/paths-$kind.txt" wrk -t2 -c$CONNECTIONS -d2s -s scripts/bench-paths.lua "http://127.0.0.1:$PORT" >/dev/null
    printf '%-16s ' "$kind"
    PATHS="$WORK/paths-$kind.txt" wrk -t2 -c$CONNECTIONS -d${DURATION}s -s scripts/bench-paths.lua "http://127.0.0.1:$PORT" | tail -1
  done
  stop_server
}

[ -n "${SKIP_GENERATE:-}" ] || rm -f "$WORK"/registry.db*
run_backend sqlite "sqlite://$WORK/registry.db?mode=rwc" "du -ch $WORK/registry.db* | tail -1 | cut -f1"

if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  db=portal_bench
  admin=${BENCH_POSTGRES_URL}
  [ -n "${SKIP_GENERATE:-}" ] || psql "$admin" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  url=$(echo "$admin" | sed -E "s#/[^/?]*(\?|$)#/$db\1#")
  run_backend postgres "$url" "psql '$url' -Atc \"SELECT pg_size_pretty(pg_database_size('$db'))\""
else
  echo "PostgreSQL: skipped (set BENCH_POSTGRES_URL to measure it)"
fi
