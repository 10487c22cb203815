import { existsSync, readFileSync } from 'node:fs';

/** Prints the closing line CI reads, from vitest's JSON report; a missing report counts as a failure. */
interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const file = process.argv[2] ?? 'test-results/vitest.json';
/** The runner's own exit status: an unhandled error fails the run even when every test passed. */
const runnerStatus = Number(process.argv[3] ?? 0);
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
const skipped = report.numPendingTests + report.numTodoTests;
let failed = report.numFailedTests;
if (runnerStatus !== 0 && failed === 0) {
  console.log('The test runner failed outside the tests (an unhandled error, or a file that did not load): see above.');
  failed = 1;
}
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
