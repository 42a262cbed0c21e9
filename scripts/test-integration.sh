#!/usr/bin/env bash
# The server's integration tests (server/tests/integration/) as two processes side by side,
# each running its tests one at a time. One at a time within a process: every #[tokio::test]
# has its own runtime while Leptos's task spawner is process-global, so a page rendered in one
# test can leave work on another test's finished runtime and hang it. Two processes have a
# spawner each. Most of a test's time is spent waiting (servers starting, status lists
# expiring, a provider's timeout), so the two halves take about half the time of one run.
# Both logs are printed whole; the script fails when either half does.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="--cfg erase_components"

# tee -a: opening a log file that stderr goes to without it would empty the file.
# The same packages and features as the unit tests' cargo run (Makefile, unit), so the crates
# they built are reused rather than built again with other dependency features.
bin=$(cargo test -p app -p documents -p server --features app/ssr --test integration --no-run 2>&1 | tee -a /dev/stderr \
  | sed -n 's/.*Executable tests\/integration\/main.rs (\(.*\))$/\1/p')
[ -n "$bin" ] || { echo "test-integration.sh: the test binary was not built" >&2; exit 1; }

# The second half: the areas that wait the longest. Everything else, new areas included, is
# the first half. Measured one area at a time (stop 38): providers 39 s, credentials 39 s,
# security 30 s, verifiable_credentials 26 s, staff 15 s, face 14 s, cluster 14 s, the rest
# 12 s or less each. Side by side the two cores are the limit: 121 s and 109 s.
second=(verifiable_credentials:: providers:: face:: credentials:: cluster:: oid4vp::)
skips=()
for area in "${second[@]}"; do skips+=(--skip "$area"); done

logs=target/test-integration
mkdir -p "$logs"
started=$(date +%s)
# Cargo runs integration tests from the package's folder; so do these.
(cd server && PORTAL_DOC_TOOLS=required "../$bin" --test-threads=1 "${skips[@]}") \
  > "$logs/first.log" 2>&1 &
first=$!
(cd server && PORTAL_DOC_TOOLS=required "../$bin" --test-threads=1 "${second[@]}") \
  > "$logs/second.log" 2>&1 &
second_pid=$!
status=0
wait "$first" || status=1
wait "$second_pid" || status=1
for half in first second; do
  echo "==> integration tests, $half half"
  cat "$logs/$half.log"
done
echo "==> integration tests took $(( $(date +%s) - started )) s"
exit "$status"
