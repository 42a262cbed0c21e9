#!/usr/bin/env bash
# The production path on one machine, end to end: the portal in staging mode (PORTAL_ENV=
# production with PORTAL_STAGING=1) with the real clients of every outside service — 腾讯云短信,
# 慧眼 IdCardVerification and FaceId H5, OCR 营业执照核验 — pointed at scripts/provider-sim on
# loopback, then Playwright's staging journey (end2end/staging). Uses the debug build `make e2e`
# made (target/debug/server, target/site); listens on 127.0.0.1 only and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${STAGING_PORT:-3002}"
SIM_PORT="${SIM_PORT:-3190}"
DIR=target/staging-e2e
rm -rf "$DIR" && mkdir -p "$DIR"
PY=target/doc-tools/bin/python
[ -x "$PY" ] || PY=python3
KEYS=scripts/provider-sim/keys

# Who the simulated identity database and enterprise registry know.
cat > "$DIR/people.json" <<'JSON'
[["张志远", "330106198605120010"]]
JSON

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$PY" scripts/provider-sim/sim.py --port "$SIM_PORT" \
  --tencent-key AKIDstaging:staging-secret \
  --alipay-app "2021000000000001:$KEYS/app_public_key.txt" --alipay-key "$KEYS/alipay_private_key.txt" \
  --people "$DIR/people.json" >"$DIR/sim.log" 2>&1 &
pids+=($!)

SIM="http://127.0.0.1:$SIM_PORT"
env -i PATH="$PATH" HOME="$HOME" \
  PORTAL_ENV=production PORTAL_STAGING=1 \
  PORTAL_PUBLIC_URL="http://127.0.0.1:$PORT" \
  DATABASE_URL="sqlite://$DIR/portal.db?mode=rwc" \
  PORTAL_DATA_KEY="staging-e2e-data-key-0123456789abcdef0123456789" \
  PORTAL_SEARCH_LIMIT=1000000 PORTAL_LOGIN_LIMIT=1000000 PORTAL_SMS_LIMIT=1000000 \
  PORTAL_IDENTITY_URL="$SIM" PORTAL_IDENTITY_APP_ID=AKIDstaging PORTAL_IDENTITY_SECRET=staging-secret \
  PORTAL_ENTERPRISE_URL="$SIM" PORTAL_ENTERPRISE_APP_ID=AKIDstaging PORTAL_ENTERPRISE_SECRET=staging-secret \
  PORTAL_SMS_PROVIDER=tencent PORTAL_SMS_ENDPOINT="$SIM" PORTAL_SMS_ACCESS_KEY=AKIDstaging \
  PORTAL_SMS_SECRET=staging-secret PORTAL_SMS_SIGN_NAME=住建部政务服务 PORTAL_SMS_APP_ID=1400000000 \
  PORTAL_SMS_TEMPLATE_ID=100001 PORTAL_SMS_NOTICE_TEMPLATE_ID=100002 \
  PORTAL_FACE_PROVIDER=wechat PORTAL_FACEID_ENDPOINT="$SIM" PORTAL_WECHAT_SECRET_ID=AKIDstaging \
  PORTAL_WECHAT_SECRET_KEY=staging-secret PORTAL_WECHAT_RULE_ID=1 \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_OUTPUT_NAME=portal \
  LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true RUST_LOG=warn \
  target/debug/server >"$DIR/server.log" 2>&1 &
pids+=($!)

cd end2end
if ! PORTAL_URL="http://127.0.0.1:$PORT" SIM_URL="$SIM" npx playwright test --config staging.config.ts; then
  echo "staging journey failed; the server's log ($DIR/server.log):" >&2
  tail -n 40 "../$DIR/server.log" >&2
  exit 1
fi
