#!/usr/bin/env bash
# What a browser downloads on its first visit to the release build, measured two ways:
#  1. on the wire: the release server is started on 127.0.0.1 and Chromium loads the home page
#     with an empty cache (Accept-Encoding br, gzip); every request is listed with its
#     Content-Encoding, Cache-Control and the bytes actually received, then summed and set
#     against the 250 KB budget; a second visit shows what the cache keeps;
#  2. every page opened first (end2end/measure-pages.mjs): the requests and bytes until the page
#     is live, its area's chunk included, against ≤ 350 KB and ≤ 10 requests;
#  3. the files: the first-load JS, WASM and CSS (named in the build's hash list) raw, gzip -9
#     and brotli -q 11, and the lazily loaded chunks (split points and the chunks they share).
# A measurement: it prints, it does not assert. Needs `make build-release` first.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-target/site}
. scripts/serve-release.sh
hashes=target/release/hash.txt
command -v brotli >/dev/null || { echo "measure.sh needs brotli (scripts/setup.sh --measure)" >&2; exit 1; }
[ -x "$BIN" ] && [ -f "$hashes" ] || { echo "build the release first: make build-release" >&2; exit 1; }
hash_of() { sed -n "s/^$1: *//p" "$hashes"; }
first_load=("$site/pkg/portal.$(hash_of wasm).wasm" "$site/pkg/portal.$(hash_of js).js"
  "$site/pkg/__wasm_split.$(hash_of split).js" "$site/pkg/portal.$(hash_of css).css")

PORT=${PORT:-3109}
serve_release "$PORT" target/measure

echo "== on the wire: first visit to / (Chromium, empty cache)"
(cd end2end && node measure-first-load.mjs "http://127.0.0.1:$PORT/")

echo
echo "== on the wire: the same first visit in English (Accept-Language en-GB)"
(cd end2end && LOCALE=en-GB node measure-first-load.mjs "http://127.0.0.1:$PORT/")

echo
echo "== each page opened first: requests and bytes until it is live (Chromium, empty cache)"
(cd end2end && node measure-pages.mjs "http://127.0.0.1:$PORT")

echo
echo "== the files"
printf '%-44s %10s %10s %10s\n' file raw gzip brotli
total_br=0
for f in "${first_load[@]}"; do
  [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
  total_br=$((total_br + br))
  printf '%-44s %10s %10s %10s\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-44s %32s\n' "first-load files, brotli" "$total_br"
chunks=0; chunks_br=0; largest=0; largest_name=
for f in "$site"/pkg/split_*.wasm "$site"/pkg/chunk_*.wasm; do
  [ -f "$f" ] || continue
  br=$(brotli -q 11 -c "$f" | wc -c)
  chunks=$((chunks + 1)); chunks_br=$((chunks_br + br))
  if [ "$br" -gt "$largest" ]; then largest=$br; largest_name=$(basename "$f"); fi
done
[ "$chunks" -gt 0 ] && echo "lazy chunks in $site/pkg (split_* and shared chunk_*): $chunks files, $chunks_br bytes brotli in all; largest $largest_name $largest bytes"
