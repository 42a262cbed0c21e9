#!/usr/bin/env bash
# 人员资格查询 at scale: fills a registry of PERSONS (default 1,000,000) generated persons,
# serves it with the release build on 127.0.0.1 and drives each kind of query with wrk
# (32 connections, DURATION seconds each): (a) exact 身份证号, (b) exact 注册编号,
# (c) 姓名 + 注册类别, (d) 姓名 prefix + 注册单位 through the search API, (e) the search page
# rendered in full, (f) the empty search form page, (g) 姓名 + 注册类别 for the commonest
# names (王伟, 李娜, 张伟 …: the most rows per name), and the home page rendered beside the
# same bytes served as a static file.
#
# Each backend is served twice, with the per-client search limit off and on (as production
# must run it, with a limit no benchmark client reaches), and the table gives both and the
# ratio against issue 26's targets: with limits on, ≥ 90 % of the throughput and p95 ≤ 1.2×;
# the results page ≥ 3,000 rps with p99 ≤ 50 ms; exact searches p95 ≤ 5 ms; name searches
# p95 ≤ 30 ms; the home page ≥ 0.8× its static copy. Also the generator's time and the
# database's size, and the first start on the filled database (target ≤ 10 s).
#
# SQLite always; PostgreSQL too when BENCH_POSTGRES_URL names a server whose user may create
# databases. SKIP_GENERATE=1 measures the registries a previous run left in target/bench and
# the portal_bench database; SQLITE=0 measures PostgreSQL only. Every server it starts is stopped at the end. A benchmark: it
# prints, it does not fail on a missed target.
#
#   scripts/bench-search.sh                 # after `make build-release`
#   PERSONS=100000 DURATION=5 scripts/bench-search.sh
#   PERSONS=10000000 scripts/bench-search.sh
#   SKIP_GENERATE=1 KINDS="prefix_employer page" PERSONS=10000000 scripts/bench-search.sh   # some kinds
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

export LEPTOS_SITE_ROOT=target/site PORTAL_ENV=development
# Limits on: high enough that the benchmark's one client never reaches it, so every request
# is counted as production counts it.
LIMIT_ON=100000000
server_pid=
off_pid=
on_pid=
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=; fi; }
trap 'for p in $off_pid $on_pid; do server_pid=$p; stop_server; done; rm -rf target/site/_bench' EXIT

# Starts the server on $1 with search limit $2 on port $4; sets `started` to the seconds
# until it answered (in this shell: the server's pid must stay known here to be stopped).
start_server() {
  local url=$1 limit=$2 label=$3 port=$4 t0
  t0=$(date +%s.%N)
  DATABASE_URL=$url PORTAL_SEARCH_LIMIT=$limit LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn \
    "$BIN" > "$WORK/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server-$label.log" >&2; exit 1; }
  started=$(echo "$(date +%s.%N) - $t0" | bc)
}

# One wrk run over the paths in $1 against port $2: "rps p50 p95 p99 errors non2xx".
measure() {
  # A path file named …-home_rendered.txt is asked for with a cookie: the page is rendered for
  # every request instead of coming from the first-time visitor's copy (server/src/home_cache.rs).
  local cookie=""
  case "$1" in *home_rendered*) cookie="portal_visit=1" ;; esac
  export COOKIE=$cookie
  PATHS="$1" wrk -t2 -c$CONNECTIONS -d2s -s scripts/bench-paths.lua "http://127.0.0.1:$2" >/dev/null
  PATHS="$1" wrk -t2 -c$CONNECTIONS -d"${DURATION}s" -s scripts/bench-paths.lua "http://127.0.0.1:$2" | tail -1 |
    sed -E 's/rps=([0-9.]+) p50=([0-9.]+)ms p95=([0-9.]+)ms p99=([0-9.]+)ms errors=([0-9]+) non2xx=([0-9]+).*/\1 \2 \3 \4 \5 \6/'
}

KINDS=${KINDS:-"id regno name_category common_name prefix_employer page search_form home home_rendered static_home"}

# The sample paths of every kind.
prepare_paths() {
  local url=$1
  DATABASE_URL=$url "$BIN" registry sample --count 2000 --seed 42 > "$WORK/samples.tsv"
  for kind in id regno name_category prefix_employer page; do
    awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$WORK/samples.tsv" > "$WORK/paths-$kind.txt"
  done
  echo "/search" > "$WORK/paths-search_form.txt"
  echo "/" > "$WORK/paths-home.txt"
  echo "/" > "$WORK/paths-home_rendered.txt"
  echo "/_bench/home.html" > "$WORK/paths-static_home.txt"
  # The commonest names with each category the samples use.
  python3 - "$WORK/paths-name_category.txt" > "$WORK/paths-common_name.txt" <<'PY'
import sys, urllib.parse, re
names = ["王伟", "王芳", "李娜", "李强", "张伟", "张敏", "王静", "李军", "张勇", "王磊"]
cats = sorted({m.group(1) for l in open(sys.argv[1]) for m in [re.search(r"query\[category\]=([^&\n]+)", l)] if m})
for n in names:
    for c in cats:
        print(f"/api/search_registry?query[name]={urllib.parse.quote(n)}&query[category]={c}")
PY
}

run_backend() {
  local label=$1 url=$2 size_cmd=$3
  echo "== $label: $PERSONS persons"
  if [ -z "${SKIP_GENERATE:-}" ]; then
    local g0 g1
    g0=$(date +%s)
    DATABASE_URL=$url "$BIN" registry generate --persons "$PERSONS" --seed 42 | tail -1
    g1=$(date +%s)
    echo "generation: $(( g1 - g0 )) s (target for 10,000,000 persons ≤ 1800 s)"
  fi
  echo "database size: $(eval "$size_cmd")"
  prepare_paths "$url"
  declare -A result
  # Both servers at once (limits off on PORT, on at PORT+1), measured kind by kind in
  # turns, so that a machine that slows down during the run weighs on both alike.
  start_server "$url" 0 "$label-off" "$PORT"
  off_pid=$server_pid
  echo "limits off: server answered $started s after start (target ≤ 10 s)"
  start_server "$url" "$LIMIT_ON" "$label-on" "$((PORT + 1))"
  on_pid=$server_pid
  echo "limits on: server answered $started s after start (target ≤ 10 s)"
  mkdir -p target/site/_bench
  curl -s "http://127.0.0.1:$PORT/" > target/site/_bench/home.html
  local turn=0
  for kind in $KINDS; do
    turn=$((turn + 1))
    for mode in $( [ $((turn % 2)) = 1 ] && echo "off on" || echo "on off" ); do
      local port=$PORT
      [ "$mode" = on ] && port=$((PORT + 1))
      result[$kind-$mode]=$(measure "$WORK/paths-$kind.txt" "$port")
    done
  done
  server_pid=$off_pid; stop_server
  server_pid=$on_pid; stop_server
  printf '%-16s %28s %28s %8s %8s  %s\n' "$label" "limits off: rps p95 p99 ms" "limits on: rps p95 p99 ms" "rps on/off" "p95 on/off" "target"
  for kind in $KINDS; do
    read -r r0 _ q0 n0 e0 x0 <<< "${result[$kind-off]}"
    read -r r1 _ q1 n1 e1 x1 <<< "${result[$kind-on]}"
    local target=""
    case $kind in
      id|regno) target="p95 ≤ 5 ms" ;;
      name_category|common_name|prefix_employer) target="p95 ≤ 30 ms" ;;
      page) target="≥ 3000 rps, p99 ≤ 50 ms (limits on)" ;;
      home) target="≥ 0.8 × static_home (a first-time visitor: the copy)" ;;
      home_rendered) target="rendered for each request (a visitor with a cookie)" ;;
    esac
    printf '%-16s %12.0f %7.2f %7.2f %12.0f %7.2f %7.2f %8.2f %8.2f  %s%s\n' "$kind" "$r0" "$q0" "$n0" "$r1" "$q1" "$n1" \
      "$(echo "$r1 / $r0" | bc -l)" "$(echo "$q1 / $q0" | bc -l)" "≥ 0.90, ≤ 1.20; $target" \
      "$( [ "$((e0 + e1 + x0 + x1))" -gt 0 ] && echo "  (errors/non-2xx: $e0/$x0 off, $e1/$x1 on)")"
  done
  # The home page beside its static copy, when KINDS measured them.
  if [ -n "${result[home-on]:-}" ] && [ -n "${result[static_home-on]:-}" ] && [ -n "${result[home_rendered-on]:-}" ]; then
    read -r h _ <<< "${result[home-on]}"
    read -r s _ <<< "${result[static_home-on]}"
    read -r hr _ <<< "${result[home_rendered-on]}"
    echo "home page / static copy (limits on): first-time visitor $(echo "$h / $s" | bc -l | cut -c1-5) (target ≥ 0.8); rendered for a visitor with a cookie $(echo "$hr / $s" | bc -l | cut -c1-5)"
  fi
}

if [ "${SQLITE:-1}" = 1 ]; then
[ -n "${SKIP_GENERATE:-}" ] || rm -f "$WORK"/registry.db*
run_backend sqlite "sqlite://$WORK/registry.db?mode=rwc" "du -ch $WORK/registry.db* | tail -1 | cut -f1"
fi

if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  db=portal_bench
  admin=${BENCH_POSTGRES_URL}
  [ -n "${SKIP_GENERATE:-}" ] || psql "$admin" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  url=$(echo "$admin" | sed -E "s#/[^/?]*(\?|$)#/$db\1#")
  run_backend postgres "$url" "psql '$url' -Atc \"SELECT pg_size_pretty(pg_database_size('$db'))\""
else
  echo "PostgreSQL: skipped (set BENCH_POSTGRES_URL to measure it)"
fi
