#!/usr/bin/env bash
# Prints the size of what a browser downloads on first load of the release build:
# the hydrate WASM, its JS glue and the CSS, raw, gzip -9 and brotli -q 11.
set -euo pipefail
site=${1:-target/site}
command -v brotli >/dev/null || { echo "measure.sh needs brotli (apt-get install brotli)" >&2; exit 1; }
printf '%-28s %10s %10s %10s\n' file raw gzip brotli
total_br=0
for f in "$site"/pkg/*.wasm "$site"/pkg/*.js "$site"/pkg/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  total_br=$((total_br + br))
  printf '%-28s %10s %10s %10s\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-28s %32s\n' "first load, brotli" "$total_br"
wasm=$(ls "$site"/pkg/*.wasm | head -1)
wasm_br=$(brotli -q 11 -c "$wasm" | wc -c)
budget=$((250 * 1024))
if [ "$wasm_br" -le "$budget" ]; then
  echo "WASM brotli $wasm_br bytes: within the 250 KB budget ($budget bytes)"
else
  echo "WASM brotli $wasm_br bytes: OVER the 250 KB budget ($budget bytes)"
fi
