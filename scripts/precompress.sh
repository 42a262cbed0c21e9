#!/usr/bin/env bash
# Writes .gz and .br copies beside the site's JS, WASM and CSS, which the server sends to
# browsers that accept them (no compression work per request).
set -euo pipefail
site=${1:-target/site}
for f in "$site"/pkg/*.{js,wasm,css}; do
  [ -f "$f" ] || continue
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
done
