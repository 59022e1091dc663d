#!/usr/bin/env bash
# The static checks, run by `npm test` before the suite (alone: `bash scripts/check.sh`):
#   types       the server, tests and scripts (tsconfig.json) and the UI (ui/tsconfig.json)
#   eslint      eslint.config.js: no explicit any, no empty or swallowed catch, no floating promise,
#               no import cycle between files
#   structure   scripts/check/structure.ts: no cycle between capabilities, platform/ imports none,
#               layering, no transaction() in route files, SQL only in stores, files under 300 lines
#   openapi     the OpenAPI document generated from the routes (scripts/openapi.ts), linted by the
#               Redocly CLI with its recommended rules as errors (redocly.yaml)
#   format      Prettier on the files listed in scripts/check/formatted.txt (the list grows)
# Violations that predate a rule are listed, not failed: eslint-suppressions.json (per file and
# rule, counts) and scripts/check/allowlist.txt; both only shrink. --strict (or ABRI_CHECK_STRICT=1)
# fails on them too.
set -uo pipefail
cd "$(dirname "$0")/.."
strict=${ABRI_CHECK_STRICT:-0} # ABRI_CHECK_STRICT=1 npm test: as --strict
for arg in "$@"; do
  case "$arg" in
    --strict) strict=1 ;;
    *) echo "usage: bash scripts/check.sh [--strict]" >&2; exit 2 ;;
  esac
done
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_NOTIFICATIONS=true
types() { npx tsc -p tsconfig.json --noEmit && npx tsc -p ui/tsconfig.json --noEmit; }

eslint() {
  if [ "$strict" = 1 ]; then
    local none
    none=$(mktemp) && echo '{}' > "$none"
    npx eslint --suppressions-location "$none" .
    local rc=$?
    rm -f "$none"
    return $rc
  fi
  npx eslint --pass-on-unpruned-suppressions . || return 1
  # what is still suppressed, per file (fix it, then `npx eslint --prune-suppressions`)
  node -e '
    const s = JSON.parse(require("fs").readFileSync("eslint-suppressions.json", "utf8"));
    const rows = Object.entries(s).map(([f, rules]) => [f, Object.entries(rules).map(([r, v]) => `${r} ${v.count}`).join(", ")]);
    const total = Object.values(s).flatMap((r) => Object.values(r)).reduce((n, v) => n + v.count, 0);
    if (total) console.log(`eslint: ${total} known violation(s), suppressed in eslint-suppressions.json (to fix, then prune):\n` + rows.map(([f, r]) => `    ${f}  (${r})`).join("\n"));
    else console.log("eslint: ok");
  '
}

structure() { node --import tsx scripts/check/structure.ts $([ "$strict" = 1 ] && echo --strict); }

openapi() {
  mkdir -p test-results
  node --import tsx scripts/openapi.ts - > test-results/openapi.json || return 1
  # (the Redocly CLI prints a boxed notice about Node 20's end of life: kept out of the log)
  npx redocly lint test-results/openapi.json --format=stylish > test-results/redocly.txt 2>&1
  local rc=$?
  grep -v '^\s*$\|[║╔╚]' test-results/redocly.txt
  return $rc
}

format() { grep -v '^\s*\(#\|$\)' scripts/check/formatted.txt | xargs npx prettier --check --log-level warn && echo "format: ok"; }

# the UI's API types are generated from the routes (as `npm run build` does) before anything reads them
npm run --silent gen:api || { echo "== check: FAILED: gen:api"; exit 1; }

# the steps run side by side (ESLint and tsc are the long ones), each into its own log, printed in order
logs=test-results/check
mkdir -p "$logs"
steps=(types eslint structure openapi format)
pids=()
for name in "${steps[@]}"; do
  "$name" > "$logs/$name.log" 2>&1 &
  pids+=($!)
done
failed=()
for i in "${!steps[@]}"; do
  wait "${pids[$i]}" || failed+=("${steps[$i]}")
  echo "== check: ${steps[$i]}"
  cat "$logs/${steps[$i]}.log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "== check: FAILED: ${failed[*]}"
  exit 1
fi
echo "== check: all passed"
