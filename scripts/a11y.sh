#!/usr/bin/env bash
# Lighthouse's accessibility score of every public page and the signed-in pages, in the ordinary
# pages, 长辈模式 and 高对比度, on the release build served on 127.0.0.1 with Debian's Chromium.
# A measurement: it prints a table, it does not assert (the Playwright specs assert with axe).
# Needs `make build-release` first.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-target/site}
. scripts/serve-release.sh
PORT=${PORT:-3110}
serve_release "$PORT" target/a11y PORTAL_LOGIN_LIMIT=0
(cd end2end && CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node lighthouse-a11y.mjs "http://127.0.0.1:$PORT")
