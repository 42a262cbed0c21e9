# Sourced by measure.sh, a11y.sh and lighthouse.sh: the release server for a measurement.
# serve_release PORT WORK [NAME=VALUE …] starts target/release/server on 127.0.0.1:PORT with the
# site in $site (target/site unless set) and a fresh SQLite database in the folder WORK, plus the
# extra environment given; stops it when the calling script exits; returns once /healthz answers.
BIN=target/release/server
site=${site:-target/site}

serve_release() {
  local port=$1 work=$2
  shift 2
  [ -x "$BIN" ] || { echo "build the release first: make build-release" >&2; return 1; }
  rm -rf "$work" && mkdir -p "$work"
  env LEPTOS_SITE_ROOT="$site" LEPTOS_SITE_ADDR="127.0.0.1:$port" PORTAL_ENV=development RUST_LOG=warn \
    DATABASE_URL="sqlite://$work/portal.db?mode=rwc" "$@" "$BIN" > "$work/server.log" 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.2
  done
  echo "the release server did not answer on port $port; see $work/server.log" >&2
  return 1
}
