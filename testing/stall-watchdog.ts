/**
 * A vitest reporter that stops a test file stuck past every timeout of its own. Vitest ends a test or a hook that
 * outlives its timeout, but not a worker whose event loop never comes back (a JS loop, a blocked native call) or that
 * never says it finished: the whole run then waits forever, and with one worker on two cores every file after it
 * waits too (a CI run did, until its 90 minutes ran out, with no word of where).
 *
 * When a running file has reported nothing for as long as any of its timeouts (the running test's, the project's
 * test and hook timeouts) plus a grace period, the watchdog writes what its worker was doing to test-results/stalls/ (see
 * stall-diagnosis.ts), kills the worker, which makes vitest fail that file and go on, and lists the file in
 * test-results/stalls/files.txt; scripts/run-tests.sh runs those files once more and the summary says so.
 * Only the forks pool (vitest's default) on Linux can be acted on; elsewhere the stall is only reported.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SerializedError } from 'vitest';
import type { ReportedHookContext, Reporter, TestCase, TestModule } from 'vitest/node';
import { diagnoseWorker, forkWorkersOf, killWorker } from './stall-diagnosis.ts';

/** What a run's watchdog leaves in its folder, for scripts/run-tests.sh and scripts/summarize-tests.ts. */
export const stallRecords = (dir: string) => ({
  /** The stalled files, one path a line, to run again. */
  files: path.join(dir, 'files.txt'),
  /** `RunErrors`: the run's unhandled errors other than the exits of the workers the watchdog killed. */
  runErrors: path.join(dir, 'run.json'),
});
export interface RunErrors {
  workersKilled: number;
  otherUnhandledErrors: number;
  /** Tests that failed and then passed on a retry their file allows: named in the summary, never silent. */
  passedOnRetry: string[];
}

/** Where stalls are recorded; the re-run of stalled files, and the watchdog's own test, point elsewhere. */
export const STALLS_DIR = process.env.CHARTDESK_STALLS_DIR ?? 'test-results/stalls';
const { files: STALLED_FILES, runErrors: RUN_ERRORS } = stallRecords(STALLS_DIR);
/** The workers' Node options: a report on SIGUSR2 (Node's default signal for it), written where stalls are. */
export const WORKER_EXEC_ARGV = ['--report-on-signal', `--report-directory=${STALLS_DIR}`];

/** Past the timeout, vitest itself has seconds of work before it reports; minutes mean nobody is listening. */
const DEFAULT_GRACE_MS = 120_000;
const KILLED_WORKER_ERROR = '[vitest-pool]: Worker forks emitted error.';

interface Running {
  lastHeardAt: number;
  /** How long the file may stay silent now, before the grace period. */
  silenceAllowedMs: number;
  doing: string;
}

/** The test file a hook runs for: its own module for a file-level hook, the suite's or test's module otherwise. */
const hookModule = (hook: ReportedHookContext): TestModule => (hook.entity.type === 'module' ? hook.entity : hook.entity.module);

export default class StallWatchdog implements Reporter {
  private readonly running = new Map<TestModule, Running>();
  private readonly graceMs = Number(process.env.CHARTDESK_STALL_GRACE_MS ?? DEFAULT_GRACE_MS);
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private workersKilled = 0;
  private readonly passedOnRetry: string[] = [];

  onInit(): void {
    mkdirSync(STALLS_DIR, { recursive: true });
    this.timer = setInterval(() => void this.check(), Math.min(10_000, this.graceMs / 2));
    this.timer.unref();
  }

  onTestModuleStart(module: TestModule): void {
    this.heard(module, 'loading the file');
  }

  onTestCaseReady(test: TestCase): void {
    this.heard(test.module, `test "${test.fullName}"`, test.options.timeout);
  }

  onTestCaseResult(test: TestCase): void {
    if (test.diagnostic()?.flaky) this.passedOnRetry.push(`${test.module.moduleId}: ${test.fullName}`);
    this.heard(test.module, `after test "${test.fullName}"`);
  }

  onHookStart(hook: ReportedHookContext): void {
    this.heard(hookModule(hook), `${hook.name} hook`);
  }

  onHookEnd(hook: ReportedHookContext): void {
    this.heard(hookModule(hook), `after the ${hook.name} hook`);
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): void {
    if (this.timer) clearInterval(this.timer);
    const killedExits = errors.filter((error) => error.message === KILLED_WORKER_ERROR).length;
    const otherErrors = errors.length - Math.min(killedExits, this.workersKilled);
    const record: RunErrors = {
      workersKilled: this.workersKilled,
      otherUnhandledErrors: otherErrors,
      passedOnRetry: this.passedOnRetry,
    };
    writeFileSync(RUN_ERRORS, `${JSON.stringify(record)}\n`);
  }

  /**
   * The worker sends its news in batches, and none while its event loop is held: what the reporter last heard may be
   * behind what runs. So a file may stay silent as long as the longest timeout that could be running.
   */
  private heard(module: TestModule, doing: string, testTimeout = 0): void {
    const { testTimeout: projectTest, hookTimeout } = module.project.config;
    const silenceAllowedMs = Math.max(testTimeout, projectTest, hookTimeout);
    this.running.set(module, { lastHeardAt: Date.now(), silenceAllowedMs, doing });
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    const now = Date.now();
    const stalled = [...this.running].filter(([, run]) => now - run.lastHeardAt > run.silenceAllowedMs + this.graceMs);
    if (stalled.length === 0) return;
    this.checking = true;
    try {
      await this.stop(stalled, now);
    } finally {
      this.checking = false;
    }
  }

  /**
   * Which worker runs which file is not told to reporters: with one worker (two cores) the stalled file's is the only
   * one; with more, every running file's worker is stopped and every running file is run again.
   */
  private async stop(stalled: Array<[TestModule, Running]>, now: number): Promise<void> {
    const workers = forkWorkersOf(process.pid);
    const files = workers.length > 1 ? [...this.running] : stalled;
    for (const [module, run] of stalled) {
      console.error(
        `\n[stall watchdog] ${module.moduleId} has said nothing for ${Math.round((now - run.lastHeardAt) / 1000)} s ` +
          `(${run.doing}), past its ${Math.round(run.silenceAllowedMs / 1000)} s timeout: stopping its worker.`,
      );
    }
    if (workers.length === 0) {
      console.error('[stall watchdog] no forks-pool worker found to stop (not Linux, or another pool): waiting on.');
      for (const [, run] of stalled) run.lastHeardAt = now;
      return;
    }
    const diagnoses = await Promise.all(workers.map((worker) => diagnoseWorker(worker, STALLS_DIR)));
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    const record = {
      files: files.map(([module, run]) => ({ file: module.moduleId, doing: run.doing })),
      diagnoses,
    };
    const recordFile = path.join(STALLS_DIR, `stall-${stamp}.json`);
    writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
    for (const diagnosis of diagnoses) {
      const threads = new Map<string, number>();
      for (const t of diagnosis.threads) {
        const key = `${t.name} ${t.state}${t.waitingIn !== '0' ? ` in ${t.waitingIn}` : ''}`;
        threads.set(key, (threads.get(key) ?? 0) + 1);
      }
      const described = [...threads].map(([key, count]) => (count > 1 ? `${key} ×${count}` : key));
      console.error(
        `[stall watchdog] worker ${diagnosis.worker.pid}: ${diagnosis.worker.cpuSeconds} s of CPU, ` +
          `threads: ${described.join(', ')}; ${diagnosis.report ? 'its JS stack and handles' : 'no Node report (its event loop is held)'} in ${recordFile}`,
      );
      killWorker(diagnosis);
    }
    this.workersKilled += diagnoses.length;
    for (const [module] of files) {
      appendFileSync(STALLED_FILES, `${module.moduleId}\n`);
      this.running.delete(module);
    }
  }
}
