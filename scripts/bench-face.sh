#!/usr/bin/env bash
# 人脸识别认证 push: (1) over RUNS checks (default 50) on loopback, the time from the phone's
# 【开始人脸识别】 request to the desktop's event stream delivering 认证成功, on one process
# (SQLite) and — when BENCH_POSTGRES_URL names a server whose user may create databases —
# across two processes sharing PostgreSQL (desktop on one, phone on the other); (2) STREAMS
# (default 5000) event streams held open at once by one process, with its memory before,
# while holding them, and at peak. Release build; every server it starts is stopped at the end.
#
#   make build-release && scripts/bench-face.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-50}
STREAMS=${STREAMS:-5000}
BIN=target/release/server
WORK=target/bench/face
[ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; exit 1; }
ulimit -n $((STREAMS * 2 + 1024)) 2>/dev/null || echo "note: could not raise the open-file limit ($(ulimit -n))"
rm -rf "$WORK" && mkdir -p "$WORK"
export LEPTOS_SITE_ROOT=target/site PORTAL_ENV=development PORTAL_LOGIN_LIMIT=0 RUST_LOG=warn
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
start() { # port url
  LEPTOS_SITE_ADDR=127.0.0.1:$1 DATABASE_URL=$2 "$BIN" > "$WORK/server-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.2; done
  echo "server on $1 did not start" >&2; exit 1
}
mem() { awk -v k="$2" '$1 == k":" { printf "%.1f MiB", $2 / 1024 }' /proc/$1/status; }

start 3121 "sqlite://$WORK/portal.db?mode=rwc"
single=${pids[-1]}
python3 scripts/bench-face.py latency --desktop-port 3121 --runs "$RUNS" --label "one process (SQLite)"

echo "memory before the streams: $(mem $single VmRSS)"
coproc HOLD { python3 scripts/bench-face.py streams --desktop-port 3121 --streams "$STREAMS" --hold; }
while read -r line <&"${HOLD[0]}"; do
  [ "$line" = HOLDING ] && break
  echo "$line"
done
echo "memory holding $STREAMS streams: $(mem $single VmRSS) (peak $(mem $single VmHWM))"
echo >&"${HOLD[1]}"
wait "$HOLD_PID" 2>/dev/null || true

if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  db=portal_face_bench
  psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  url=$(echo "$BENCH_POSTGRES_URL" | sed -E "s#/[^/?]*(\?|$)#/$db\1#")
  start 3122 "$url"
  start 3123 "$url"
  python3 scripts/bench-face.py latency --desktop-port 3122 --phone-port 3123 --runs "$RUNS" --label "two processes (PostgreSQL, LISTEN/NOTIFY)"
else
  echo "two processes: skipped (set BENCH_POSTGRES_URL to measure PostgreSQL)"
fi
