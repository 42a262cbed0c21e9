#!/usr/bin/env bash
# Logins under load with the production argon2id parameters (m=19456 KiB, t=2, p=1): the
# release build on 127.0.0.1 with a fresh SQLite database and the demo accounts; 50 wrk
# connections keep logging in for DURATION seconds while a paced prober (2 connections, one
# request every 20 ms each) loads the home page. Prints logins/s with latency, the home
# page's p50/p95/p99 during the run (and alone, before it), and the server's peak memory
# (VmHWM). The server it starts is stopped at the end.
#
#   make build-release && scripts/bench-login.sh
#   DURATION=10 scripts/bench-login.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-30}
PORT=${PORT:-3101}
CLIENTS=${CLIENTS:-50}
WORK=target/bench/login
. scripts/bench-common.sh
echo "cores: $(nproc); argon2 hashing concurrency: half the cores (at least 1)"

printf 'idle            '
wrk -t1 -c2 -d5s -s scripts/bench-home-probe.lua "$url/" | tail -1
echo "server memory before the logins: $(awk '/VmRSS/ { printf "%.1f MiB", $2 / 1024 }' /proc/$server_pid/status)"
wrk -t2 -c$CLIENTS -d${DURATION}s --timeout 30s -s scripts/bench-login.lua "$url" > "$WORK/login.txt" &
login_pid=$!
sleep 1
printf 'during logins   '
wrk -t1 -c2 -d$((DURATION - 2))s -s scripts/bench-home-probe.lua "$url/" | tail -1
wait $login_pid
printf '%s clients       ' "$CLIENTS"
tail -1 "$WORK/login.txt"
echo "server peak memory: $(awk '/VmHWM/ { printf "%.1f MiB", $2 / 1024 }' /proc/$server_pid/status)"
