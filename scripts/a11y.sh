#!/usr/bin/env bash
# Lighthouse's accessibility score of every public page and the signed-in pages, in the ordinary
# pages, 长辈模式 and 高对比度, on the release build served on 127.0.0.1 with Debian's Chromium.
# A measurement: it prints a table, it does not assert (the Playwright specs assert with axe).
# Needs `make build-release` first.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-target/site}
BIN=target/release/server
[ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; exit 1; }
PORT=${PORT:-3110}
WORK=target/a11y
rm -rf "$WORK" && mkdir -p "$WORK"
LEPTOS_SITE_ROOT=$site LEPTOS_SITE_ADDR=127.0.0.1:$PORT PORTAL_ENV=development RUST_LOG=warn \
  PORTAL_LOGIN_LIMIT=0 DATABASE_URL="sqlite://$WORK/portal.db?mode=rwc" "$BIN" > "$WORK/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
(cd end2end && CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node lighthouse-a11y.mjs "http://127.0.0.1:$PORT")
