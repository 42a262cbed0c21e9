#!/usr/bin/env bash
# 电子证照 documents: (1) the time to render one copy as PDF and as OFD (p50 / p95 / max over
# RENDERS renders each, default 200, one thread) and their sizes, from `server documents
# bench`; (2) downloads per second through HTTP — the release build on 127.0.0.1 with a fresh
# SQLite database, the demo holder face-checked with a 加注 — with CLIENTS (16) wrk
# connections downloading the PDF, then the OFD, for DURATION seconds each, while a paced
# prober (2 connections, one request every 20 ms each) loads the home page. The server it
# starts is stopped at the end.
#
#   make build-release && scripts/bench-documents.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RENDERS=${RENDERS:-200}
DURATION=${DURATION:-20}
CLIENTS=${CLIENTS:-16}
PORT=${PORT:-3131}
BIN=target/release/server
WORK=target/bench/documents
command -v wrk >/dev/null || { echo "bench-documents.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK"
echo "cores: $(nproc)"

"$BIN" documents bench --renders "$RENDERS"

export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$PORT PORTAL_ENV=development \
  PORTAL_LOGIN_LIMIT=0 DATABASE_URL="sqlite://$WORK/portal.db?mode=rwc" RUST_LOG=warn
"$BIN" > "$WORK/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
url="http://127.0.0.1:$PORT"
eval "$(python3 scripts/bench-documents.py --port "$PORT")"
export BENCH_COOKIE=$COOKIE

printf 'home alone        '
wrk -t1 -c2 -d5s -s scripts/bench-home-probe.lua "$url/" | tail -1
for kind in pdf ofd; do
  wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 30s -s scripts/bench-download.lua \
    "$url/api/certificates/$CERT/$kind" > "$WORK/$kind.txt" &
  load=$!
  sleep 1
  printf 'home during %s   ' "$kind"
  wrk -t1 -c2 -d$((DURATION - 2))s -s scripts/bench-home-probe.lua "$url/" | tail -1
  wait $load
  printf '%s x%s clients  ' "$kind" "$CLIENTS"
  tail -1 "$WORK/$kind.txt"
done
echo "server peak memory: $(awk '/VmHWM/ { printf "%.1f MiB", $2 / 1024 }' /proc/$server_pid/status)"
