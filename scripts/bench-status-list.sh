#!/usr/bin/env bash
# Status lists at national scale: fills a database with CREDENTIALS (default 1,000,000)
# credentials — list 0 taken to half (524,288) and the rest in list 1, 1 % revoked, their bits
# stored as issuance and revocation leave them — then serves it with the server binary on
# 127.0.0.1 and times GET /status-lists/0 and /1: cold (each server keeps a signed list for
# 10 s, so every cold sample waits that out; SAMPLES, default 5) and warm (wrk, 32
# connections, 5 s). Prints the figures; asserts nothing. SQLite; PostgreSQL too when
# BENCH_POSTGRES_URL names a server whose user may create databases. The server is stopped
# at the end.
#
#   make build-release && scripts/bench-status-list.sh
#   BIN=target/debug/server CREDENTIALS=200000 SAMPLES=3 scripts/bench-status-list.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CREDENTIALS=${CREDENTIALS:-1000000}
SAMPLES=${SAMPLES:-5}
PORT=${PORT:-3110}
BIN=${BIN:-target/release/server}
WORK=target/bench-status
[ -x "$BIN" ] || { echo "build the release first: make build-release (or set BIN)" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK"

export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$PORT LEPTOS_OUTPUT_NAME=portal \
  PORTAL_ENV=development PORTAL_SEARCH_LIMIT=0 RUST_LOG=warn
server_pid=
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=; fi; }
trap stop_server EXIT
start_server() {
  DATABASE_URL=$1 "$BIN" >> "$WORK/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
  echo "the server did not start: $WORK/server.log" >&2; exit 1
}

# The rows, as SQL both databases take: index i of list l is a bijection of i (an odd
# multiplier modulo 2^20), so the indexes are distinct and scattered like random draws.
fill_sql() {
  local half=524288 total=$CREDENTIALS
  cat <<SQL
INSERT INTO certificates (public_id, registration_id, title, issued_at)
SELECT 'benchcertificate', MIN(id), '中华人民共和国一级建造师注册证书', 1700000000 FROM registrations
WHERE NOT EXISTS (SELECT 1 FROM certificates);
WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < $total - 1)
INSERT INTO vc_credentials (public_id, certificate_id, account_id, status_list, status_idx,
  content_digest, disclosed, holder_bound, issued_at, expires_at, revoked_at, lapses_at)
SELECT 'bench' || i, (SELECT MIN(id) FROM certificates), (SELECT MIN(id) FROM accounts),
  i / $half, ((i % $half) * 40503 + 12345) % 1048576, 'x', '姓名', 0, 1700000000,
  4000000000, CASE WHEN i % 100 = 0 THEN 1700000001 ELSE 0 END, 4000000000 FROM n;
INSERT INTO vc_status_slots (status_list, status_idx, credential_id, held_until)
SELECT status_list, status_idx, id, expires_at + 86400 FROM vc_credentials
WHERE public_id LIKE 'bench%';
INSERT INTO vc_status_lists (list, used, opened_at) SELECT 1, 0, 1700000000
WHERE NOT EXISTS (SELECT 1 FROM vc_status_lists WHERE list = 1);
UPDATE vc_status_lists SET used = (SELECT COUNT(*) FROM vc_status_slots s
  WHERE s.status_list = vc_status_lists.list);
SQL
}

# The stored bits of each list: the revoked credentials' indexes set.
bits_hex() {
  python3 - "$CREDENTIALS" "$1" <<'PY'
import sys
total, want = int(sys.argv[1]), int(sys.argv[2])
half = 524288
bits = bytearray(1 << 17)
for i in range(0, total, 100):
    if i // half == want:
        idx = ((i % half) * 40503 + 12345) % 1048576
        bits[idx // 8] |= 1 << (idx % 8)
print(bits.hex())
PY
}

measure() {
  local label=$1
  for list in 0 1; do
    local cold=()
    for s in $(seq 1 "$SAMPLES"); do
      [ "$s" = 1 ] || sleep 10.2
      cold+=("$(curl -s -o "$WORK/list.jwt" -w '%{time_total}' "http://127.0.0.1:$PORT/status-lists/$list")")
    done
    local size
    size=$(wc -c < "$WORK/list.jwt")
    printf '%s list %s: cold (ms) %s; token %s bytes\n' "$label" "$list" \
      "$(printf '%s\n' "${cold[@]}" | awk '{ printf "%.1f ", $1 * 1000 }')" "$size"
  done
  if command -v wrk >/dev/null; then
    printf '%s warm /status-lists/0, 32 connections: ' "$label"
    wrk -t2 -c32 -d5s --latency "http://127.0.0.1:$PORT/status-lists/0" \
      | awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } END { printf "%s rps, p50 %s, p99 %s\n", rps, p50, p99 }'
  fi
}

echo "== SQLite: $CREDENTIALS credentials"
db="$WORK/portal.db"
url="sqlite://$db?mode=rwc"
start_server "$url"; stop_server
t0=$(date +%s.%N)
{ fill_sql; for l in 0 1; do echo "UPDATE vc_status_lists SET bits = X'$(bits_hex $l)' WHERE list = $l;"; done; } \
  | python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()" "$db"
printf 'filled in %.1f s; database %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$(du -ch "$db"* | tail -1 | cut -f1)"
start_server "$url"
measure sqlite
stop_server

if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  echo "== PostgreSQL: $CREDENTIALS credentials"
  pgdb=portal_bench_status
  psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $pgdb" -c "CREATE DATABASE $pgdb"
  url=$(echo "$BENCH_POSTGRES_URL" | sed -E "s#/[^/?]*(\?|$)#/$pgdb\1#")
  start_server "$url"; stop_server
  t0=$(date +%s.%N)
  { fill_sql; for l in 0 1; do echo "UPDATE vc_status_lists SET bits = '\\x$(bits_hex $l)'::bytea WHERE list = $l;"; done; } \
    | psql "$url" -q -v ON_ERROR_STOP=1 >/dev/null
  printf 'filled in %.1f s\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
  start_server "$url"
  measure postgres
  stop_server
fi
