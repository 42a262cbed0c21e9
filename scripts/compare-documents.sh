#!/usr/bin/env bash
# Whether the certificate documents render byte for byte as at another revision: the sample
# copy's PDF, signed OFD and preview SVG (the renderer's test keeps them with
# PORTAL_DOC_SAMPLES), made by this tree and by REV (a git worktree beside it, built into the
# same target directory), compared file by file.
#
#   scripts/compare-documents.sh REV      # e.g. scripts/compare-documents.sh HEAD~5
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: scripts/compare-documents.sh REV}
here=$PWD
work=$(mktemp -d)
trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

samples() { # <tree> <out>
  # The renderer is its own crate since the feature folders; before, it was the server's.
  if [ -f "$1/documents/Cargo.toml" ]; then
    test=(-p documents --lib the_pdf_is_small)
  else
    test=(-p server --lib documents::tests::the_pdf_is_small)
  fi
  (cd "$1" && PORTAL_DOC_SAMPLES="$2" CARGO_TARGET_DIR="$here/target" cargo test "${test[@]}" -q >/dev/null)
  [ -s "$2/sample.pdf" ] || { echo "compare-documents: no samples from $1 (is the font installed? make setup)" >&2; exit 1; }
}

git worktree add -q --detach "$work/tree" "$rev"
samples "$here" "$work/now"
samples "$work/tree" "$work/then"
status=0
for f in sample.pdf sample.ofd sample.svg; do
  if cmp -s "$work/now/$f" "$work/then/$f"; then
    echo "$f: the same bytes ($(wc -c < "$work/now/$f") B, sha256 $(sha256sum "$work/now/$f" | cut -c1-16)…)"
  else
    echo "$f: DIFFERS from $rev"; status=1
  fi
done
exit $status
