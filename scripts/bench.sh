#!/usr/bin/env bash
# `npm run bench [-- names…]`: runs the benchmarks of bench/ (all, or the named ones) and prints one
# JSON document; each result is also written to bench/results/<name>-<timestamp>.json.
# Installs what it needs (same installers as the tests), starts a throw-away PostgreSQL on
# loopback for the PostgreSQL measurements, and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-debian-packages.sh scripts/test-packages.txt
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-audit --no-fund >&2
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop "$ABRI_TEST_PG_DIR"' EXIT
node --import tsx bench/run.ts "$@"
