#!/usr/bin/env bash
# `npm test`: the static checks, then every level that can run on this machine, with what each needs started here
# (a build, a D-Bus session with an unlocked keyring, a virtual display for real Electron).
# Ends with one line "N passed, N failed, N skipped" summed over all levels.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/vitest.json

# Static checks first: a type error or a lint finding fails the run before any test does.
npm run --silent typecheck || { echo "0 passed, 1 failed"; exit 1; }
npm run --silent lint || { echo "0 passed, 1 failed"; exit 1; }
npm run --silent build || { echo "0 passed, 1 failed"; exit 1; }

runner=(npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json "$@")
if [[ -n "${ELECTRON_PATH:-}" && -z "${DISPLAY:-}" && "$(uname)" == "Linux" ]]; then
  runner=(xvfb-run --auto-servernum "${runner[@]}")
fi
bash scripts/with-keyring.sh "${runner[@]}"
status=$?
npx tsx scripts/summarize-tests.ts test-results/vitest.json "$status" || status=1
exit $status
