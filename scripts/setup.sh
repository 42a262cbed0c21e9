#!/usr/bin/env bash
# Installs what building and testing the portal needs, skipping whatever is already there:
# the wasm32 target, the pinned cargo-leptos and wasm-bindgen CLI, the npm packages
# (wasm-opt from binaryen, Playwright, axe-core), the certificate font (Debian's
# fonts-wqy-microhei), brotli for the precompressed assets, with `--browser` Debian's Chromium,
# with `--test-tools` what the document tests read the PDF and the OFD with: pdftotext
# (poppler-utils) and PyPI's ofdkit and gmssl in target/doc-tools, and Tencent Cloud's and
# Alibaba Cloud's official Python SDKs there too (the provider simulator's oracles), and with
# `--measure` wrk for the benchmarks. `--no-cli` leaves out cargo-leptos and the wasm-bindgen
# CLI (what `make test` needs is built by `cargo xtask`). `--rust-only` installs only what the
# compiler needs (the wasm32 target, clippy, rustfmt): `make test` runs it first and the rest
# beside its first build.
# Everything comes from the package registries; nothing is downloaded from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)

want_cli=1
want_browser=0
want_test_tools=0
want_measure=0
rust_only=0
for arg in "$@"; do
  case "$arg" in
    --no-cli) want_cli=0 ;;
    --browser) want_browser=1 ;;
    --test-tools) want_test_tools=1 ;;
    --measure) want_measure=1 ;;
    --rust-only) rust_only=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

step() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    step "adding $component"
    rustup component add "$component"
  fi
done
[ "$rust_only" = 1 ] && exit 0

# `make test` builds with `cargo xtask` (xtask/), which links wasm-bindgen and wasm-split as
# libraries: it passes --no-cli and skips the two CLIs, about 15 minutes of compiling.
if [ "$want_cli" = 1 ] && { ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; }; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must match the crate exactly)"
  # Not --locked: one of its locked dependency versions is no longer in the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$want_cli" = 1 ] && { ! command -v cargo-leptos >/dev/null || [ "$(cargo-leptos --version | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; }; then
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --force
fi

# wasm-opt serves cargo-leptos's release build only.
if [ "$want_cli" = 1 ] && [ ! -x node_modules/.bin/wasm-opt ]; then
  step "installing wasm-opt (npm binaryen)"
  npm ci --no-audit --no-fund
fi

if [ "$want_browser" = 1 ] && { [ ! -x end2end/node_modules/.bin/playwright ] || [ ! -d end2end/node_modules/@axe-core/playwright ]; }; then
  step "installing Playwright and axe-core (without Playwright's browser download)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Debian's packages, gathered so apt reads its index once.
debs=()
need() { # need COMMAND-OR-FILE PACKAGE WHY
  if ! command -v "$1" >/dev/null && [ ! -e "$1" ]; then
    step "will install $2 (Debian) — $3"
    debs+=("$2")
  fi
}
[ "$want_browser" = 1 ] && need /usr/bin/chromium chromium "the browser of the Playwright tests"
# The release build's assets are sent precompressed (scripts/precompress.sh writes .br and .gz).
need brotli brotli "precompressed assets"
[ "$want_measure" = 1 ] && need wrk wrk "the benchmarks"
# The 电子证照 documents embed a subset of this font (Apache-2.0); PORTAL_CERT_FONT overrides.
[ -z "${PORTAL_CERT_FONT:-}" ] && need /usr/share/fonts/truetype/wqy/wqy-microhei.ttc fonts-wqy-microhei "the certificate font"
if [ "$want_test_tools" = 1 ]; then
  need pdftotext poppler-utils "the document tests read the PDF"
  # `make drill-ci` runs three servers behind it (scripts/cluster.sh).
  need haproxy haproxy "the load balancer of the drill"
  python3 -c 'import ensurepip' 2>/dev/null || debs+=(python3-venv)
fi

apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
if [ "${#debs[@]}" -gt 0 ]; then
  step "installing ${debs[*]}"
  apt_install "${debs[@]}"
fi

if [ "$want_test_tools" = 1 ]; then
  if [ ! -x target/doc-tools/bin/python ] || ! target/doc-tools/bin/python -c 'import ofdkit, gmssl, tencentcloud.sms.v20210111, tencentcloud.faceid.v20180301, alibabacloud_dysmsapi20170525, alipay.aop.api, cryptography' 2>/dev/null; then
    step "installing the OFD reader, the SM2 verifier and the providers' SDKs the tests use (PyPI ofdkit, gmssl, tencentcloud-sdk-python, alibabacloud-dysmsapi20170525, alipay-sdk-python, cryptography) into target/doc-tools"
    if ! python3 -m venv target/doc-tools 2>/dev/null; then
      rm -rf target/doc-tools
      apt_install python3-venv
      python3 -m venv target/doc-tools
    fi
    target/doc-tools/bin/pip install -q --disable-pip-version-check ofdkit==0.2.0 gmssl==3.2.2 \
      tencentcloud-sdk-python-common==3.1.195 tencentcloud-sdk-python-faceid==3.1.179 \
      tencentcloud-sdk-python-sms==3.1.153 alibabacloud-dysmsapi20170525==4.6.0 \
      alipay-sdk-python==3.7.1411 cryptography==50.0.2
  fi
fi
