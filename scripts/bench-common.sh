# Sourced by the HTTP benchmarks: checks for wrk and the release build, makes an empty work
# folder, and starts the release server on 127.0.0.1:$PORT with a fresh SQLite database
# (development, demo data) in it — stopped when the benchmark exits.
#   WORK=target/bench/x PORT=3101 . scripts/bench-common.sh   (then: $url, $server_pid)
BIN=target/release/server
command -v wrk >/dev/null || { echo "$(basename "$0") needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK"

export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$PORT PORTAL_ENV=development \
  PORTAL_LOGIN_LIMIT=0 DATABASE_URL="sqlite://$WORK/portal.db?mode=rwc" RUST_LOG=warn
"$BIN" > "$WORK/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
url="http://127.0.0.1:$PORT"
