#!/usr/bin/env bash
# `npm test`: every test (unit, database on PGlite and PostgreSQL, API, CLI, integration).
# Installs what it needs (Debian packages, npm dependencies), starts PostgreSQL on loopback,
# builds, runs the suite with node's test runner, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-debian-packages.sh scripts/test-packages.txt
# npm install, not npm ci: the registry here serves only some of the optional platform packages
# (rollup, esbuild…), so the lock file lists those only and `npm ci` refuses it as out of sync.
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-audit --no-fund
npm run --silent build
[ $# -gt 0 ] || bash scripts/check.sh # static checks (types, lint, structure, OpenAPI, format) before the whole suite
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop "$ABRI_TEST_PG_DIR"' EXIT
mkdir -p test-results
files=$(find test -name '*.test.ts' | sort)
if [ $# -gt 0 ]; then files="$*"; fi
node --import tsx --test --test-concurrency=2 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination=test-results/junit.xml $files
