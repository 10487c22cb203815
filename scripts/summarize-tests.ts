/**
 * Prints the closing line CI reads, "N passed, N failed, N skipped", from vitest's JSON report, and, when the stall
 * watchdog (testing/stall-watchdog.ts) stopped files and scripts/run-tests.sh ran them again, from both runs: the
 * stalled files' results are the re-run's, and the stall is said above the line. A missing report is a failure.
 *
 *   summarize-tests.ts <report.json> <status> <stalls-dir> [<rerun-report.json> <rerun-status> <rerun-stalls-dir>]
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { stallRecords, type RunErrors } from '../testing/stall-watchdog';

interface VitestJson {
  testResults: Array<{
    name: string;
    status: string;
    message: string;
    assertionResults: Array<{ status: string; fullName?: string }>;
  }>;
}

export interface RunOutcome {
  /** Null when the runner wrote no report (it crashed, or was stopped). */
  report: VitestJson | null;
  /** The runner's exit status: an unhandled error fails the run even when every test passed. */
  status: number;
  /** Files the watchdog stopped. */
  stalled: string[];
  /** What the watchdog saw of unhandled errors, null when it wrote nothing. */
  runErrors: RunErrors | null;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** The skipped tests by name, so that a skip is never only a number. */
  skippedNames: string[];
}

/** Skipped tests named above the closing line, at most this many. */
const NAMED_SKIPS = 10;

function count(report: VitestJson, leaveOut: ReadonlySet<string>): Counts & { fileFailures: number } {
  const counts = { passed: 0, failed: 0, skipped: 0, skippedNames: [] as string[], fileFailures: 0 };
  for (const file of report.testResults) {
    if (leaveOut.has(file.name)) continue;
    const passedHere = file.assertionResults.filter((a) => a.status === 'passed').length;
    const failedHere = file.assertionResults.filter((a) => a.status === 'failed').length;
    counts.passed += passedHere;
    counts.failed += failedHere;
    // Skipped, todo, or pending: never run (a killed worker's tests are pending).
    counts.skipped += file.assertionResults.length - passedHere - failedHere;
    for (const test of file.assertionResults) {
      if (test.status !== 'passed' && test.status !== 'failed') counts.skippedNames.push(test.fullName ?? file.name);
    }
    // A file that failed with no failed test did not load, or failed in a hook.
    if (file.status === 'failed' && failedHere === 0) counts.fileFailures += 1;
  }
  return counts;
}

/** Whether the run failed beyond its counted tests: unhandled errors, a file that did not load. */
function failedOutsideTests(run: RunOutcome, counts: Counts & { fileFailures: number }): boolean {
  if (counts.fileFailures > 0) return true;
  // The watchdog tells the killed workers' exits from other unhandled errors; without its word, the status decides.
  if (run.runErrors && run.stalled.length > 0) return run.runErrors.otherUnhandledErrors > 0;
  return run.status !== 0 && counts.failed === 0;
}

export function summarize(first: RunOutcome, rerun: RunOutcome | null): { lines: string[]; failed: number } {
  if (!first.report) return { lines: ['The test runner wrote no report (it crashed or was stopped): see above.'], failed: 1 };
  const lines: string[] = [];
  const stalled = new Set(first.stalled);
  const totals = count(first.report, rerun ? stalled : new Set());
  let failed = totals.failed;
  if (failedOutsideTests(first, totals)) {
    lines.push('The test runner failed outside the tests (an unhandled error, or a file that did not load): see above.');
    failed += 1;
  }
  if (first.stalled.length > 0 && !rerun) {
    lines.push(`Stalled and stopped, not run again: ${first.stalled.join(', ')}.`);
    failed += first.stalled.length;
  }
  if (rerun) {
    lines.push(
      `Stalled and stopped by the watchdog (what they were doing: test-results/stalls/), then run once more: ${first.stalled.join(', ')}.`,
    );
    if (!rerun.report) {
      lines.push('The re-run wrote no report: the stalled files count as failed.');
      failed += first.stalled.length;
    } else {
      const again = count(rerun.report, new Set());
      totals.passed += again.passed;
      totals.skipped += again.skipped;
      totals.skippedNames.push(...again.skippedNames);
      failed += again.failed;
      if (failedOutsideTests(rerun, again)) {
        lines.push('The re-run failed outside its tests: see above.');
        failed += 1;
      }
      if (rerun.stalled.length > 0) {
        lines.push(`Stalled again when run once more: ${rerun.stalled.join(', ')}.`);
        failed += rerun.stalled.length;
      }
    }
  }
  for (const run of [first, rerun]) {
    for (const name of run?.runErrors?.passedOnRetry ?? []) lines.push(`Passed on a retry (it failed first): ${name}`);
  }
  for (const name of totals.skippedNames.slice(0, NAMED_SKIPS)) lines.push(`Skipped: ${name}`);
  if (totals.skippedNames.length > NAMED_SKIPS) lines.push(`… and ${totals.skippedNames.length - NAMED_SKIPS} more skipped.`);
  lines.push(`${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
  return { lines, failed };
}

function readOutcome(reportFile: string, status: string, stallsDir: string): RunOutcome {
  const records = stallRecords(stallsDir);
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : null);
  const stalledText = read(records.files);
  const runErrors = read(records.runErrors);
  const report = read(reportFile);
  return {
    report: report === null ? null : (JSON.parse(report) as VitestJson),
    status: Number(status),
    stalled: stalledText ? [...new Set(stalledText.split('\n').filter(Boolean))] : [],
    runErrors: runErrors === null ? null : (JSON.parse(runErrors) as RunErrors),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [reportFile, status, stallsDir, rerunFile, rerunStatus, rerunStallsDir] = process.argv.slice(2);
  if (!reportFile || status === undefined || !stallsDir) {
    console.error('usage: summarize-tests.ts <report.json> <status> <stalls-dir> [<rerun.json> <status> <stalls-dir>]');
    process.exit(2);
  }
  const first = readOutcome(reportFile, status, stallsDir);
  const rerun =
    rerunFile && rerunStatus !== undefined && rerunStallsDir ? readOutcome(rerunFile, rerunStatus, rerunStallsDir) : null;
  const { lines, failed } = summarize(first, rerun);
  for (const line of lines) console.log(line);
  process.exit(failed > 0 ? 1 : 0);
}
