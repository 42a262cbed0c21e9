#!/usr/bin/env bash
# The citizen mix under load through HAProxy, against the deployment scripts/cluster.sh started:
#   scripts/load.sh [--citizens N] [--duration S] [--think S] [--json FILE]
# Makes the load-test accounts (server demo load-accounts) and the search sample (server
# registry sample) from the cluster's own database, then runs scripts/citizens.py. Prints the
# table; exits non-zero when the targets are missed (any error, page p95 > 200 ms, download
# p95 > 300 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${CLUSTER_DIR:-$PWD/target/cluster}
BIN=${CLUSTER_BIN:-$PWD/target/release/server}
[ -f "$DIR/portal.env" ] && [ -f "$DIR/haproxy.pid" ] || { echo "start the deployment first: scripts/cluster.sh up" >&2; exit 1; }

cluster_env() { ( set -a; . "$DIR/portal.env"; set +a; "$@" ); }
cluster_env "$BIN" demo load-accounts --count 200 > "$DIR/accounts.txt" 2>/dev/null
cluster_env "$BIN" registry sample --count 200 > "$DIR/searches.tsv"
pids=$(cat "$DIR"/s[123].pid 2>/dev/null | paste -sd, -)
json=$DIR/load.json
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
python3 scripts/citizens.py --url "https://127.0.0.1:8443" --ca "$DIR/tls/cert.pem" \
  --accounts "$DIR/accounts.txt" --searches "$DIR/searches.tsv" --pids "$pids" --json "$json" "${args[@]}"
# A drill runs the load as its background and judges by its own rule.
[ "${LOAD_VERDICT:-1}" = 1 ] || exit 0
python3 - "$json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
fails = []
if s["errors"]:
    fails.append(f"{len(s['errors'])} errors")
if s["pages_p95"] > 200:
    fails.append(f"page p95 {s['pages_p95']:.0f} ms > 200")
if s["downloads_p95"] > 300:
    fails.append(f"download p95 {s['downloads_p95']:.0f} ms > 300")
if s["journeys"] == 0:
    fails.append("no journey completed")
print("FAIL: " + "; ".join(fails) if fails else "PASS: no errors, pages and downloads within their p95 targets")
sys.exit(1 if fails else 0)
PY
