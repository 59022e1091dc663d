#!/usr/bin/env bash
# `npm start`: installs the npm dependencies if needed, builds, and starts the manager
# (embedded database in ./abri-data unless ABRI_DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
# npm install, not npm ci: the registry here serves only some of the optional platform packages
# (rollup, esbuild…), so the lock file lists those only and `npm ci` refuses it as out of sync.
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-audit --no-fund
npm run --silent build
exec node bin/abri.js serve "$@"
