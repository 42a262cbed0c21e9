# 住房和城乡建设部政务服务门户 — the commands a developer, an operator and CI use.
# `make run` and `make test` install whatever they need first (scripts/setup.sh).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# cargo-leptos's debug builds add this cfg to RUSTFLAGS; giving the same flags to clippy and
# the tests lets them reuse those artifacts instead of building everything a second time.
# (cargo-leptos itself runs with RUSTFLAGS unset, or it would add the cfg twice.)
CARGO := env RUSTFLAGS="--cfg erase_components" cargo
LEPTOS := env -u RUSTFLAGS cargo leptos

DATABASE_URL ?= sqlite://data/portal.db?mode=rwc
E2E_DB := target/e2e/portal.db

.PHONY: setup run dev build-release build-debug test fmt-check docs-check lint unit e2e measure a11y lighthouse clean-data \
	cluster cluster-down load drills drill-ci

setup:
	scripts/setup.sh

## Build the release and serve it on http://127.0.0.1:3000 with the embedded database.
run: build-release
	mkdir -p data
	LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:3000 \
	DATABASE_URL='$(DATABASE_URL)' PORTAL_ENV=$${PORTAL_ENV:-development} \
	  target/release/server

build-release: setup
	$(LEPTOS) build --release --split
	scripts/precompress.sh target/site

## Development: rebuilds and reloads the browser on every change.
dev: setup
	$(LEPTOS) watch --split

## Everything CI checks: formatting, clippy, unit and integration tests (the shared limits on
## two server processes among them), Playwright, and the server-kill drill on a local cluster.
## Clippy runs inside the builds: every workspace crate is compiled by clippy-driver with
## -D warnings (the targets `make lint` checks, without its second, check-only build of every
## dependency). The system packages and npm/PyPI tools install beside the first build.
# A fresh clone's builds gain nothing from incremental data; writing it costs time.
test: export CARGO_INCREMENTAL := 0
test: export RUSTC_WORKSPACE_WRAPPER := $(HOME)/.cargo/bin/clippy-driver
test: export CLIPPY_ARGS := -D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
test:
	scripts/setup.sh --rust-only
	mkdir -p target
	began=$$(date +%s); \
	timed() { local start=$$(date +%s) status=0; $(MAKE) "$$@" || status=$$?; \
	  echo "==> make $$* took $$(( $$(date +%s) - start )) s"; return $$status; }; \
	scripts/setup.sh --no-cli --browser --test-tools > target/setup.log 2>&1 & setup=$$!; \
	timed fmt-check; \
	timed build-debug || { kill $$setup 2>/dev/null; exit 1; }; \
	wait $$setup || { cat target/setup.log; echo "setup failed" >&2; exit 1; }; \
	cat target/setup.log; echo "==> setup (beside the build) done $$(( $$(date +%s) - began )) s in"; \
	timed e2e E2E_BUILT=1; \
	timed unit; \
	timed drill-ci

fmt-check:
	$(CARGO) fmt --all --check
	python3 scripts/check-docs.py
	# The feature folders' dependency rule (docs/architecture.md): no arrow back up, no circle.
	python3 scripts/import-graph.py --check

docs-check:
	python3 scripts/check-docs.py

# Every package and target: the server side (app with ssr, documents, server, xtask) in one cargo run and
# the browser side (app with hydrate, frontend) in another, so cargo keeps both cores busy.
lint:
	$(CARGO) clippy -p app -p documents -p server -p xtask --features app/ssr --all-targets -- -D warnings
	$(CARGO) clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

## The debug site and server, as `cargo leptos build --split` makes them (`cargo xtask build`).
build-debug:
	$(CARGO) xtask build

# Builds the debug site (`cargo xtask`, the same output as `cargo leptos build --split`) and
# runs Playwright against a fresh database, three browsers at a time (E2E_WORKERS=1 for one).
# E2E_BUILT=1: the build is already there (`make build-debug`).
e2e:
	rm -rf target/e2e && mkdir -p target/e2e
	DATABASE_URL='sqlite://$(E2E_DB)?mode=rwc' PORTAL_ENV=development PORTAL_SMS_LIMIT=0 PORTAL_LOGIN_LIMIT=0 PORTAL_IDENTITY_LIMIT=0 \
	  $(CARGO) xtask e2e $(if $(E2E_BUILT),--no-build)
	# The production path with the real clients, against the provider simulator (same build).
	scripts/staging-e2e.sh

unit:
	@if [ -z "$${TEST_POSTGRES_URL:-}" ]; then \
	  echo "NOTE: TEST_POSTGRES_URL is not set: the PostgreSQL tests will be skipped (SQLite runs)."; fi
	$(CARGO) test -p xtask
	# One test at a time: each #[tokio::test] has its own runtime, while Leptos's task
	# spawner is process-global, so a page rendered in one test can leave work on another
	# test's (finished) runtime and hang it. The server itself runs one runtime. The
	# integration tests run as two such processes side by side (scripts/test-integration.sh).
	# app's tests in the same cargo run as the server's: alone, `-p app --features ssr` resolves
	# its dependencies' features differently and rebuilds some fifty of them (52 s in CI).
	PORTAL_DOC_TOOLS=required $(CARGO) test -p app -p documents -p server --features app/ssr --lib --bins \
	  -- --test-threads=1
	scripts/test-integration.sh

## Figures: the release build's first load as the server sends it (bytes on the wire per
## request, against the 250 KB budget), beside the files' raw, gzip and brotli sizes.
measure: build-release
	scripts/setup.sh --browser --measure
	scripts/measure.sh

## Lighthouse accessibility of every page, ordinary, 长辈模式 and 高对比度 (a measurement).
a11y: build-release
	scripts/setup.sh --browser --test-tools
	scripts/a11y.sh

## Lighthouse performance, mobile profile, median of 3 on every page; fails under issue 15's
## targets. Builds nothing: measures the release built last (make build-release).
lighthouse:
	scripts/setup.sh --browser --test-tools
	scripts/lighthouse.sh

clean-data:
	rm -rf data

## A deployment on this machine: PostgreSQL, three release servers (staging mode) and HAProxy
## with TLS on https://127.0.0.1:8443 (scripts/cluster.sh; `make cluster-down` stops it).
cluster: build-release
	scripts/cluster.sh up
	scripts/cluster.sh pg-backup

cluster-down:
	scripts/cluster.sh down

## 200 virtual citizens for 5 minutes through HAProxy (a benchmark: prints the table; fails
## when the targets are missed). Needs `make cluster`.
load:
	scripts/load.sh --citizens $${CITIZENS:-200} --duration $${SECONDS_OF_LOAD:-300}

## Every fault drill in turn against a fresh cluster; each exits non-zero when its rule fails.
drills: cluster
	python3 scripts/drill.py server-kill
	python3 scripts/drill.py face-kill
	python3 scripts/drill.py pg-restart
	python3 scripts/drill.py pg-hang
	python3 scripts/drill.py sqlite-disk
	scripts/cluster.sh down

## What CI runs of the above: a cluster of the debug build `make e2e` made, and a short
## server-kill drill.
drill-ci:
	CLUSTER_BIN=target/debug/server scripts/cluster.sh up
	CLUSTER_BIN=target/debug/server python3 scripts/drill.py server-kill --citizens 30 --seconds 20 \
	  || { scripts/cluster.sh down; exit 1; }
	scripts/cluster.sh down
