#!/usr/bin/env bash
# A real deployment on this machine, loopback only: PostgreSQL (Debian's), three release
# `server` processes in staging mode (PORTAL_ENV=production with PORTAL_STAGING=1: production
# settings, the development stand-ins for the outside services, the demo data), and HAProxy
# 2.6 in front with TLS and /healthz checks, using the files in deploy/.
#
#   scripts/cluster.sh up              fresh database, three servers started together, HAProxy
#   scripts/cluster.sh down            stops the servers and HAProxy (PostgreSQL keeps running)
#   scripts/cluster.sh status          which processes run, and HAProxy's view of the servers
#   scripts/cluster.sh start-server N  starts server N (1–3) again, e.g. after a drill killed it
#   scripts/cluster.sh pg-backup       pg_dump of the live database, restored into a scratch
#                                      database and served by a fourth server: the restore works
#
# Everything lives in target/cluster (the generated secrets, the TLS certificate, logs, pids).
# Needs the release build (make build-release), or the binary CLUSTER_BIN names (CI uses the
# debug build its Playwright run made); installs haproxy, postgresql and openssl from Debian's
# packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything written here (secrets, keys, environment, logs, database dumps) is private.
umask 077

DIR=${CLUSTER_DIR:-$PWD/target/cluster}
BIN=${CLUSTER_BIN:-$PWD/target/release/server}
SITE=$PWD/target/site
PORTS=(3101 3102 3103)
PUBLIC_PORT=8443
DB_NAME=portal_cluster
DB_USER=portal_cluster

step() { printf '==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

install_tools() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v pg_ctlcluster >/dev/null && [ -n "$(ls /etc/postgresql 2>/dev/null)" ] || missing+=(postgresql)
  command -v curl >/dev/null || missing+=(curl)
  command -v pgrep >/dev/null || missing+=(procps)        # the pg-hang drill
  command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs) # the sqlite-disk drill
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]} (Debian packages)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # The packaged haproxy service's own configuration listens nowhere; this deployment runs
  # its own haproxy process with deploy/haproxy.cfg.
}

pg_version() { ls /etc/postgresql | sort -V | tail -1; }

start_postgres() {
  local v
  v=$(pg_version)
  as_root pg_ctlcluster "$v" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do
    as_postgres pg_isready -q -h 127.0.0.1 && return 0
    sleep 1
  done
  echo "PostgreSQL $v did not start" >&2
  return 1
}

# The deployment's secrets, made once and kept in target/cluster/secrets (mode 600).
secrets() {
  mkdir -p "$DIR"
  if [ ! -f "$DIR/secrets" ]; then
    {
      echo "DB_PASSWORD=$(openssl rand -hex 16)"
      echo "DATA_KEY=$(openssl rand -hex 24)"
      echo "METRICS_TOKEN=$(openssl rand -hex 20)"
    } > "$DIR/secrets"
  fi
  # shellcheck disable=SC1091
  . "$DIR/secrets"
}

# The servers' environment, as an operator's /etc/portal/portal.env (deploy/portal.env.example).
write_env() {
  local db_url="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:5432/$1"
  cat > "$DIR/portal.env" <<EOF
PORTAL_ENV=production
PORTAL_STAGING=1
PORTAL_PUBLIC_URL=https://127.0.0.1:$PUBLIC_PORT
DATABASE_URL=$db_url
PORTAL_DATA_KEY=$DATA_KEY
PORTAL_TRUST_FORWARDED_FOR=1
PORTAL_METRICS_TOKEN=$METRICS_TOKEN
PORTAL_LOG_FORMAT=json
RUST_LOG=info,sqlx=warn,leptos_axum=warn
LEPTOS_SITE_ROOT=$SITE
LEPTOS_OUTPUT_NAME=portal
# Every virtual citizen of the load test comes from 127.0.0.1: the per-client limits are
# counted as usual but set high enough for a crowd behind one address.
PORTAL_SEARCH_LIMIT=${PORTAL_SEARCH_LIMIT:-1000000}
PORTAL_LOGIN_LIMIT=${PORTAL_LOGIN_LIMIT:-1000000}
PORTAL_SMS_LIMIT=${PORTAL_SMS_LIMIT:-1000000}
EOF
}

fresh_database() {
  step "fresh PostgreSQL database $1"
  as_postgres env PGOPTIONS="-c client_min_messages=warning" psql -q -v ON_ERROR_STOP=1 postgres >/dev/null <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
DROP DATABASE IF EXISTS $1 WITH (FORCE);
CREATE DATABASE $1 OWNER $DB_USER;
EOF
}

tls_certificate() {
  mkdir -p "$DIR/tls"
  if [ ! -f "$DIR/tls/portal.pem" ]; then
    step "self-signed TLS certificate for 127.0.0.1"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
      -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
    cat "$DIR/tls/cert.pem" "$DIR/tls/key.pem" > "$DIR/tls/portal.pem"
    chmod 600 "$DIR/tls/key.pem" "$DIR/tls/portal.pem"
  fi
}

# start_server N [ENV_FILE] [PORT]: server N in the background, its log in target/cluster.
start_server() {
  local n=$1 env_file=${2:-$DIR/portal.env} port=${3:-${PORTS[$(($1 - 1))]}}
  (
    set -a
    # shellcheck disable=SC1090
    . "$env_file"
    set +a
    export LEPTOS_SITE_ADDR=127.0.0.1:$port
    exec setsid "$BIN" >> "$DIR/s$n.log" 2>&1
  ) &
  echo $! > "$DIR/s$n.pid"
}

wait_healthy() {
  local url=$1 what=$2
  for _ in $(seq 1 300); do
    curl -sfk --max-time 2 "$url" >/dev/null && return 0
    sleep 0.2
  done
  echo "$what did not become healthy ($url); see $DIR/*.log" >&2
  return 1
}

stop_pid_file() {
  local file=$1
  [ -f "$file" ] || return 0
  local pid
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

start_haproxy() {
  haproxy -c -q -f deploy/haproxy.cfg
  haproxy -f deploy/haproxy.cfg -D -p "$DIR/haproxy.pid"
}

export PORTAL_TLS_PEM PORTAL_BIND PORTAL_STATE_DIR PORTAL_DEPLOY_DIR
PORTAL_DEPLOY_DIR=$PWD/deploy
PORTAL_TLS_PEM=$DIR/tls/portal.pem
PORTAL_BIND=127.0.0.1:$PUBLIC_PORT
PORTAL_STATE_DIR=$DIR

up() {
  [ -x "$BIN" ] && [ -d "$SITE/pkg" ] || { echo "build the release first ($BIN): make build-release" >&2; exit 1; }
  install_tools
  down quiet
  mkdir -p "$DIR"
  rm -f "$DIR"/s*.log
  start_postgres
  secrets
  fresh_database "$DB_NAME"
  write_env "$DB_NAME"
  tls_certificate
  step "three servers started together on the fresh database (ports ${PORTS[*]})"
  local started
  started=$(date +%s.%N)
  for n in 1 2 3; do start_server "$n"; done
  for n in 1 2 3; do wait_healthy "http://127.0.0.1:${PORTS[$((n - 1))]}/healthz" "server $n"; done
  awk -v a="$started" -v b="$(date +%s.%N)" \
    'BEGIN { printf "    all three healthy after %.1f s (one migrated and seeded, two waited)\n", b - a }'
  step "HAProxy on https://127.0.0.1:$PUBLIC_PORT"
  start_haproxy
  wait_healthy "https://127.0.0.1:$PUBLIC_PORT/healthz" "HAProxy"
  status
}

down() {
  [ "${1:-}" = quiet ] || step "stopping the servers and HAProxy"
  for n in 1 2 3 4; do stop_pid_file "$DIR/s$n.pid"; done
  stop_pid_file "$DIR/haproxy.pid"
}

# HAProxy's view: one line per server, "s1 UP" …
haproxy_servers() {
  python3 - "$DIR/haproxy.sock" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
for line in data.decode().splitlines():
    f = line.split(",")
    if len(f) > 17 and f[0] == "portal_servers" and f[1] not in ("BACKEND",):
        print(f[1], f[17])
EOF
}

status() {
  for n in 1 2 3; do
    local pid=""
    [ -f "$DIR/s$n.pid" ] && pid=$(cat "$DIR/s$n.pid")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      echo "server $n: pid $pid, 127.0.0.1:${PORTS[$((n - 1))]}"
    else
      echo "server $n: not running"
    fi
  done
  if [ -S "$DIR/haproxy.sock" ] && [ -f "$DIR/haproxy.pid" ] && kill -0 "$(cat "$DIR/haproxy.pid")" 2>/dev/null; then
    echo "haproxy: pid $(cat "$DIR/haproxy.pid"), https://127.0.0.1:$PUBLIC_PORT"
    haproxy_servers | sed 's/^/    /'
  else
    echo "haproxy: not running"
  fi
}

# pg_dump of the live database while it serves, restored with pg_restore into a scratch
# database, which a fourth server then serves: the dump is a working backup.
pg_backup() {
  secrets
  mkdir -p "$DIR/backups"
  local dump
  dump="$DIR/backups/$DB_NAME-$(date -u +%Y%m%dT%H%M%SZ).dump"
  step "pg_dump -Fc $DB_NAME → $dump"
  PGPASSWORD=$DB_PASSWORD pg_dump -h 127.0.0.1 -U "$DB_USER" -Fc -f "$dump" "$DB_NAME"
  ls -l "$dump" | awk '{print "    " $5 " bytes"}'
  fresh_database "${DB_NAME}_restore"
  step "pg_restore into ${DB_NAME}_restore"
  PGPASSWORD=$DB_PASSWORD pg_restore -h 127.0.0.1 -U "$DB_USER" -d "${DB_NAME}_restore" --no-owner "$dump"
  local q="SELECT (SELECT COUNT(*) FROM accounts) || ' ' || (SELECT COUNT(*) FROM registrations) || ' ' || (SELECT COUNT(*) FROM annotations)"
  local live restored
  live=$(PGPASSWORD=$DB_PASSWORD psql -h 127.0.0.1 -U "$DB_USER" -tA -c "$q" "$DB_NAME")
  restored=$(PGPASSWORD=$DB_PASSWORD psql -h 127.0.0.1 -U "$DB_USER" -tA -c "$q" "${DB_NAME}_restore")
  echo "    accounts registrations annotations: live $live, restored $restored"
  write_env "${DB_NAME}_restore"
  mv "$DIR/portal.env" "$DIR/restore.env"
  write_env "$DB_NAME"
  start_server 4 "$DIR/restore.env" 3109
  wait_healthy "http://127.0.0.1:3109/healthz" "the server on the restored database"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:3109/api/login \
    -H 'Accept: application/json' --data 'kind=person&login_id=110105198003150039&password=Demo%402026')
  stop_pid_file "$DIR/s4.pid"
  echo "    a citizen logs in on the restored database: HTTP $code"
  [ "$code" = 200 ] || { echo "FAIL: the restored database does not serve" >&2; return 1; }
  [ "${restored%% *}" -ge 3 ] || { echo "FAIL: the restored database has no accounts" >&2; return 1; }
  echo "PASS: pg_dump/pg_restore backup restores and serves"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  start-server)
    secrets
    start_server "${2:?server number 1-3}"
    wait_healthy "http://127.0.0.1:${PORTS[$(($2 - 1))]}/healthz" "server $2"
    ;;
  pg-backup) pg_backup ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
