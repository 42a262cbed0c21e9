#!/usr/bin/env bash
# Prints the size of what a browser downloads on first load of the release build: the main
# hydrate WASM, its JS glue, the split loader and the CSS, raw, gzip -9 and brotli -q 11; then
# the lazily loaded page chunks (`cargo leptos build --split`), which a page fetches only when
# it is visited.
set -euo pipefail
site=${1:-target/site}
command -v brotli >/dev/null || { echo "measure.sh needs brotli (apt-get install brotli)" >&2; exit 1; }
printf '%-28s %10s %10s %10s\n' file raw gzip brotli
total_br=0
for f in "$site"/pkg/portal.wasm "$site"/pkg/*.js "$site"/pkg/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  total_br=$((total_br + br))
  printf '%-28s %10s %10s %10s\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-28s %32s\n' "first load, brotli" "$total_br"
wasm="$site/pkg/portal.wasm"
wasm_br=$(brotli -q 11 -c "$wasm" | wc -c)
budget=$((250 * 1024))
if [ "$wasm_br" -le "$budget" ]; then
  echo "WASM brotli $wasm_br bytes: within the 250 KB budget ($budget bytes)"
else
  echo "WASM brotli $wasm_br bytes: OVER the 250 KB budget ($budget bytes)"
fi

chunks=0; chunks_br=0; largest=0; largest_name=
for f in "$site"/pkg/*.wasm; do
  [ "$(basename "$f")" = portal.wasm ] && continue
  br=$(brotli -q 11 -c "$f" | wc -c)
  chunks=$((chunks + 1)); chunks_br=$((chunks_br + br))
  if [ "$br" -gt "$largest" ]; then largest=$br; largest_name=$(basename "$f"); fi
done
if [ "$chunks" -gt 0 ]; then
  echo "lazy chunks: $chunks files, $chunks_br bytes brotli in all; largest $largest_name $largest bytes"
fi
