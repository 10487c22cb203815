#!/usr/bin/env bash
# `npm test`: the static checks, then every level that can run on this machine, with what each needs started here
# (a build, a D-Bus session with an unlocked keyring, a virtual display for real Electron).
# Ends with one line "N passed, N failed, N skipped" summed over all levels.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -rf test-results/vitest.json test-results/vitest-rerun.json test-results/stalls

# Static checks first: a type error or a lint finding fails the run before any test does.
npm run --silent typecheck || { echo "0 passed, 1 failed"; exit 1; }
npm run --silent lint || { echo "0 passed, 1 failed"; exit 1; }
npm run --silent build || { echo "0 passed, 1 failed"; exit 1; }

# The stall watchdog stops a test file stuck past its timeouts and lists it; those files run once more below.
# Console output of tests is shown for failing tests only: the log is read when something fails, and a run's
# output stays a few dozen kilobytes (a CI run's output is captured whole).
runner=(npx vitest run --silent=passed-only --reporter=default --reporter=./testing/stall-watchdog.ts --reporter=json)
if [[ -n "${ELECTRON_PATH:-}" && -z "${DISPLAY:-}" && "$(uname)" == "Linux" ]]; then
  runner=(xvfb-run --auto-servernum "${runner[@]}")
fi
# A last bound should the runner itself stop answering: normal runs take 9-15 minutes on two cores.
RUN_LIMIT=45m
timeout --kill-after=60 "$RUN_LIMIT" bash scripts/with-keyring.sh "${runner[@]}" --outputFile=test-results/vitest.json "$@"
status=$?
if [[ $status -eq 124 || $status -eq 137 ]]; then
  echo "The test run was stopped after $RUN_LIMIT: the runner stopped answering (see the last files above)."
fi

rerun=()
if [[ -s test-results/stalls/files.txt ]]; then
  mapfile -t stalled < <(sort -u test-results/stalls/files.txt)
  echo "Running once more the files the stall watchdog stopped: ${stalled[*]}"
  CHARTDESK_STALLS_DIR=test-results/stalls/rerun timeout --kill-after=60 "$RUN_LIMIT" \
    bash scripts/with-keyring.sh "${runner[@]}" --outputFile=test-results/vitest-rerun.json "${stalled[@]}"
  rerun=(test-results/vitest-rerun.json "$?" test-results/stalls/rerun)
fi
# The summary's exit status is the run's: a stalled file that passed when run again does not fail it.
npx tsx scripts/summarize-tests.ts test-results/vitest.json "$status" test-results/stalls "${rerun[@]}"
