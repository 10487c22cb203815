import { describe, expect, it } from 'vitest';
import { summarize, type RunOutcome } from './summarize-tests';

const file = (name: string, statuses: string[], status = statuses.includes('failed') ? 'failed' : 'passed') => ({
  name,
  status,
  message: '',
  assertionResults: statuses.map((s, index) => ({ status: s, fullName: `${name} ${index + 1}` })),
});
const outcome = (files: ReturnType<typeof file>[], extra: Partial<RunOutcome> = {}): RunOutcome => ({
  report: { testResults: files },
  status: files.some((f) => f.status === 'failed') ? 1 : 0,
  stalled: [],
  runErrors: { workersKilled: 0, otherUnhandledErrors: 0, passedOnRetry: [] },
  ...extra,
});

describe('the closing line of npm test', () => {
  it('counts passed, failed and skipped tests over every file, and names the skipped ones', () => {
    const result = summarize(outcome([file('/a', ['passed', 'passed', 'skipped']), file('/b', ['failed', 'todo'])]), null);
    expect(result.lines).toEqual(['Skipped: /a 3', 'Skipped: /b 2', '2 passed, 1 failed, 2 skipped']);
    expect(result.failed).toBe(1);
  });

  it('fails a run whose runner failed outside the tests, and a run with no report', () => {
    expect(summarize(outcome([file('/a', ['passed'])], { status: 1 }), null).failed).toBe(1);
    expect(summarize(outcome([file('/a', [], 'failed')]), null).lines[0]).toMatch(/outside the tests/);
    expect(summarize({ ...outcome([]), report: null }, null)).toEqual({
      lines: ['The test runner wrote no report (it crashed or was stopped): see above.'],
      failed: 1,
    });
  });

  const stalledRun = outcome([file('/a', ['passed']), file('/stuck', ['passed', 'pending'])], {
    status: 1,
    stalled: ['/stuck'],
    runErrors: { workersKilled: 1, otherUnhandledErrors: 0, passedOnRetry: [] },
  });

  it('takes the stalled file’s results from its re-run and says it stalled', () => {
    const result = summarize(stalledRun, outcome([file('/stuck', ['passed', 'passed'])]));
    expect(result.lines[0]).toMatch(/^Stalled and stopped by the watchdog .*: \/stuck\.$/);
    expect(result.lines.at(-1)).toBe('3 passed, 0 failed, 0 skipped');
    expect(result.failed).toBe(0);
  });

  it('fails when the re-run fails, stalls again, or wrote nothing, and when the stall hid another error', () => {
    expect(summarize(stalledRun, outcome([file('/stuck', ['passed', 'failed'])])).failed).toBe(1);
    expect(summarize(stalledRun, outcome([file('/stuck', ['pending'])], { status: 1, stalled: ['/stuck'] })).failed).toBe(1);
    expect(summarize(stalledRun, { ...outcome([]), report: null }).failed).toBe(1);
    const alsoAnError = { ...stalledRun, runErrors: { workersKilled: 1, otherUnhandledErrors: 1, passedOnRetry: [] } };
    expect(summarize(alsoAnError, outcome([file('/stuck', ['passed', 'passed'])])).failed).toBe(1);
  });

  it('names a test that passed only on a retry above the closing line', () => {
    const retried = outcome([file('/a', ['passed'])], {
      runErrors: { workersKilled: 0, otherUnhandledErrors: 0, passedOnRetry: ['/a: the flaky one'] },
    });
    expect(summarize(retried, null).lines).toEqual([
      'Passed on a retry (it failed first): /a: the flaky one',
      '1 passed, 0 failed, 0 skipped',
    ]);
  });

  it('counts a stalled file that was not run again as failed', () => {
    const result = summarize(stalledRun, null);
    expect(result.lines).toContain('Stalled and stopped, not run again: /stuck.');
    expect(result.failed).toBe(1);
  });
});
