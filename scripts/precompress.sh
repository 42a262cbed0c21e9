#!/usr/bin/env bash
# Writes .gz and .br copies beside the site's JS, WASM, CSS and the split manifest, which the
# server sends to browsers that accept them (no compression work per request). Fails, loudly,
# when a copy cannot be written: a site without .br files would be sent gzip to every browser.
set -euo pipefail
site=${1:-target/site}
command -v brotli >/dev/null || {
  echo "precompress.sh: brotli is not installed (scripts/setup.sh installs it: apt-get install brotli)" >&2
  exit 1
}
# The split loader (__wasm_split.*.js) is generated unminified, and each chunk's loader
# carries a comment listing the lazy functions it serves: hundreds of lines that cost every
# first visit 1.7 KB after brotli. Whole-line comments and indentation are left out of what is
# served (the file has no template literals, so no string spans lines). Idempotent.
for f in "$site"/pkg/__wasm_split.*.js; do
  [ -f "$f" ] || continue
  perl -i -ne 'next if m{^\s*/\*.*\*/\s*$}; s/^\s+//; print' "$f"
done
count=0
for f in "$site"/pkg/*.js "$site"/pkg/*.wasm "$site"/pkg/*.css "$site"/pkg/*.json; do
  [ -f "$f" ] || continue
  gzip -9 -k -f "$f"
  brotli -q 11 -k -f "$f"
  for copy in "$f.gz" "$f.br"; do
    [ -s "$copy" ] || { echo "precompress.sh: $copy was not written" >&2; exit 1; }
  done
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "precompress.sh: nothing to compress in $site/pkg (build the site first)" >&2; exit 1; }
echo "precompressed $count files in $site/pkg (.gz, .br)"
