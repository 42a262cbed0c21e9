#!/usr/bin/env bash
# Lighthouse performance (mobile profile) of every page a citizen reaches, on the release build
# served on 127.0.0.1 from a fresh database, with Debian's Chromium; the median of 3 runs per
# page (LIGHTHOUSE_RUNS), printed as a table; then client-side navigation times in Playwright
# (end2end/nav-timing.mjs, median of 10). Exits 1 when a page or a navigation misses issue 15's
# targets (both are measured and printed either way).
# Builds nothing: needs `make build-release` first. Extra arguments name the pages to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${SITE:-target/site}
BIN=target/release/server
[ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; exit 1; }
PORT=${PORT:-3111}
WORK=target/lighthouse
rm -rf "$WORK" && mkdir -p "$WORK"
LEPTOS_SITE_ROOT=$site LEPTOS_SITE_ADDR=127.0.0.1:$PORT PORTAL_ENV=development RUST_LOG=warn \
  PORTAL_LOGIN_LIMIT=0 PORTAL_SEARCH_LIMIT=0 DATABASE_URL="sqlite://$WORK/portal.db?mode=rwc" "$BIN" > "$WORK/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
status=0
(cd end2end && CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node lighthouse-perf.mjs "http://127.0.0.1:$PORT" "$@") || status=1
echo
(cd end2end && CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node nav-timing.mjs "http://127.0.0.1:$PORT") || status=1
exit $status
