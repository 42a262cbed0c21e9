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
WORK=target/bench/documents
. scripts/bench-common.sh
echo "cores: $(nproc)"
# Render timing first, in a process of its own (the server is idle meanwhile).
"$BIN" documents bench --renders "$RENDERS"

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
