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
. scripts/serve-release.sh
PORT=${PORT:-3111}
serve_release "$PORT" target/lighthouse PORTAL_LOGIN_LIMIT=0 PORTAL_SEARCH_LIMIT=0
status=0
(cd end2end && CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node lighthouse-perf.mjs "http://127.0.0.1:$PORT" "$@") || status=1
echo
(cd end2end && CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node nav-timing.mjs "http://127.0.0.1:$PORT") || status=1
exit $status
