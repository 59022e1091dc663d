#!/usr/bin/env bash
# `npm test`: every test (unit, database on PGlite and PostgreSQL, API, CLI, integration).
# Installs what it needs (Debian packages, npm dependencies), builds, runs the static checks of
# scripts/check.sh (whole suite only), starts PostgreSQL on loopback, runs the suite with node's
# test runner, and stops what it started. `npm test -- test/a.test.ts …` runs those files.
#
# The whole suite's files are dealt to a few processes that load the code once and run their files
# one after the other (scripts/test-groups.mjs: a process per file paid 1.5-2 s of CPU to start, 201
# times), ABRI_TEST_CONCURRENCY at a time (default 4 on the 2-core reference machine: a process
# waits about half its time on Chromium and the services its files start, and the others use the
# CPU it leaves; the suite took 579 s four at a time, 640-711 s three at a time), dealt by the
# durations the last run saved (test-results/durations.json) so that they end together. Files named
# on the command line run a process each. The run ends with each file's duration and CPU seconds.
# They run compiled to JavaScript once (scripts/test-compile.mjs: the transform tsx applies, without
# its loader's cost in every process); `node --import tsx --test test/X.test.ts` runs one from source.
# `--liftoff-only` (passed on to each file's process): WebAssembly runs as V8's baseline compiler
# makes it, without optimising it again on background threads. PGlite is 9 MB of WebAssembly that
# most test processes load once or a few times for seconds of queries; V8 spent 2-3 s of CPU per
# process re-compiling it, more than those queries gain (a test manager's file: 8.7 -> 5.2 s of CPU).
# `--import ./scripts/test-async-hooks.mjs`: node:test's own async hook made cheap (it followed the end
# of every promise of the tests for the garbage collector: 7-17 % of a test process's CPU); see the file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-debian-packages.sh scripts/test-packages.txt
# npm install, not npm ci: the registry here serves only some of the optional platform packages
# (rollup, esbuild…), so the lock file lists those only and `npm ci` refuses it as out of sync.
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-audit --no-fund
npm run --silent build
[ $# -gt 0 ] || bash scripts/check.sh # static checks (types, lint, structure, OpenAPI, format) before the whole suite
# the tests name /nonexistent as a config file and data folder that do not exist
[ ! -e /nonexistent ] || { echo "/nonexistent exists (the tests use it as a path that does not exist): remove it" >&2; exit 1; }
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop "$ABRI_TEST_PG_DIR"' EXIT
mkdir -p test-results
node scripts/test-compile.mjs > /dev/null
if [ $# -gt 0 ]; then # these files, a process each (as `node --test` runs them)
  entries=$(for f in "$@"; do realpath --relative-to=. "$f" | sed -E 's#^(test/.*)\.ts$#test-results/js/\1.js#'; done)
else # the whole suite, its files dealt to a few processes (scripts/test-groups.mjs)
  entries=$(node scripts/test-groups.mjs)
fi
export ABRI_TEST_CPU_FILE=$PWD/test-results/cpu.jsonl # each file's CPU seconds (scripts/test-cpu.mjs)
rm -f "$ABRI_TEST_CPU_FILE"
node scripts/test-yardstick.mjs before # how fast the machine is (scripts/test-yardstick.mjs)
status=0
node --liftoff-only --enable-source-maps --import ./scripts/test-cpu.mjs --import ./scripts/test-async-hooks.mjs --test --test-concurrency="${ABRI_TEST_CONCURRENCY:-4}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination=test-results/junit.xml \
  --test-reporter=./scripts/test-durations.mjs --test-reporter-destination=stdout $entries || status=$?
node scripts/test-yardstick.mjs after
exit $status
