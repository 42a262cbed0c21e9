#!/usr/bin/env bash
# The registry's change feed at scale (issue 28: a 1,000,000-line feed in ≤ 10 minutes on two
# cores, SQLite and PostgreSQL). Fills a registry of PERSONS generated persons (default
# 1,000,000), writes a feed of LINES changes (default 1,000,000: 变更注册 40 %, 延续注册 30 %,
# 增项注册 20 %, 注销 5 %, 撤销 5 %, each on a registration of the registry), then times
# `server registry apply` on it, and once more (the same file again: nothing to change).
#
# SQLite always; PostgreSQL too when BENCH_POSTGRES_URL names a server whose user may create
# databases (a database portal_feed_bench is made afresh); SQLITE=0 measures PostgreSQL only.
# A benchmark: it prints, it does not fail on a missed target. Needs the release build (make
# build-release).
#
#   scripts/bench-feed.sh
#   PERSONS=100000 LINES=100000 scripts/bench-feed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS=${PERSONS:-1000000}
LINES=${LINES:-1000000}
BIN=target/release/server
WORK=target/bench
mkdir -p "$WORK"
[ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; exit 1; }
export PORTAL_ENV=development RUST_LOG=warn
TARGET=600

# The feed: registration numbers read from the registry, one change per line.
write_feed() { # registration numbers on stdin, feed on stdout
  python3 -c '
import json, sys, random
lines = int(sys.argv[1])
random.seed(7)
nos = [l.strip() for l in sys.stdin if l.strip()]
kinds = ["变更注册"] * 8 + ["延续注册"] * 6 + ["增项注册"] * 4 + ["注销", "撤销"]
out = sys.stdout
for i in range(lines):
    no = nos[i % len(nos)]
    kind = kinds[i % len(kinds)]
    c = {"change_id": f"BENCH{i:09d}", "kind": kind, "registration_no": no, "date": "2026-12-01"}
    if kind == "变更注册":
        c["employer"] = f"示范工程有限公司{i % 977}"
        c["employer_credit_code"] = "91330100MA2H3K7P54"
    elif kind == "延续注册":
        c["valid_until"] = "2031-12-01"
    elif kind == "增项注册":
        c["specialties"] = f"增项专业{i}:2031-12-01"
    else:
        c["reason"] = "基准测试"
    out.write(json.dumps(c, ensure_ascii=False) + "\n")
' "$LINES"
}

run() { # label url
  local label=$1 url=$2
  echo "== $label: $PERSONS persons"
  local started=$(date +%s)
  DATABASE_URL=$url "$BIN" registry generate --persons "$PERSONS" --seed 28 > /dev/null
  echo "registry generated in $(( $(date +%s) - started )) s"
  local feed=$WORK/feed-$label.jsonl
  if [ "$label" = sqlite ]; then
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(r[0]) for r in c.execute("SELECT registration_no FROM registrations ORDER BY id")]' "$WORK/feed.db"
  else
    psql -qAt "$url" -c "SELECT registration_no FROM registrations ORDER BY id"
  fi | write_feed > "$feed"
  echo "feed: $(wc -l < "$feed") lines, $(du -h "$feed" | cut -f1)"
  for pass in first again; do
    local t0=$(date +%s.%N)
    DATABASE_URL=$url "$BIN" registry apply "$feed" | head -1
    local t1=$(date +%s.%N)
    python3 -c "
s = $t1 - $t0; n = $LINES
print(f'$label apply ($pass): {n:,} lines in {s:.1f} s = {n / s:,.0f} lines/s' + ('' if '$pass' != 'first' else f'; target ≤ {$TARGET} s for 1,000,000 lines: ' + ('met' if s * 1_000_000 / n <= $TARGET else 'not met') + f' ({s * 1_000_000 / n:.0f} s per million)'))"
  done
}

if [ "${SQLITE:-1}" != 0 ]; then
  rm -f "$WORK"/feed.db "$WORK"/feed.db-*
  run sqlite "sqlite://$WORK/feed.db?mode=rwc"
  echo "SQLite database: $(du -h "$WORK/feed.db" | cut -f1)"
fi
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  admin=$BENCH_POSTGRES_URL
  psql -q "$admin" -c "DROP DATABASE IF EXISTS portal_feed_bench" -c "CREATE DATABASE portal_feed_bench"
  base=${admin%/*}
  run postgres "$base/portal_feed_bench"
  psql -q "$admin" -c "DROP DATABASE IF EXISTS portal_feed_bench"
fi
