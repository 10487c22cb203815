/**
 * The stall watchdog against a real vitest run: a file whose worker blocks in a wait nothing ends (its test timeout
 * cannot fire) is stopped with what its threads were doing, listed to run again, and the run goes on to the end.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseWorker, killWorker, type WorkerDiagnosis } from './stall-diagnosis';
import { stallRecords } from './stall-watchdog';

const temporary: string[] = [];
afterAll(() => Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))));
const newDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'chartdesk-stalls-'));
  temporary.push(dir);
  return dir;
};

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the stall watchdog', () => {
  it('stops a blocked file, says what it was doing, lists it, and the run ends with the others passed', async () => {
    const stalls = await newDir();
    const report = path.join(stalls, 'report.json');
    const started = Date.now();
    const { code, output } = await run(
      'npx',
      [
        'vitest',
        'run',
        '--config',
        'testing/fixtures/stall/vitest.config.ts',
        '--reporter=default',
        `--reporter=${path.resolve('testing/stall-watchdog.ts')}`,
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { CHARTDESK_STALLS_DIR: stalls, CHARTDESK_STALL_GRACE_MS: '2000' },
    );
    // The fixture's hook timeout (15 s) and grace (2 s) bound the wait, not the blocked test.
    expect(Date.now() - started).toBeLessThan(100_000);
    expect(code).not.toBe(0);
    expect(output).toContain('[stall watchdog]');

    const records = stallRecords(stalls);
    const listed = (await readFile(records.files, 'utf8')).trim().split('\n');
    expect(listed.map((file) => path.basename(file))).toEqual(['blocks.fixture.ts']);
    expect(JSON.parse(await readFile(records.runErrors, 'utf8'))).toEqual({
      workersKilled: 1,
      otherUnhandledErrors: 0,
      passedOnRetry: [path.resolve('testing/fixtures/stall/retries.fixture.ts') + ': passes on its retry'],
    });

    const [recordName] = (await readdir(stalls)).filter((name) => name.startsWith('stall-'));
    const record = JSON.parse(await readFile(path.join(stalls, recordName ?? ''), 'utf8')) as {
      files: Array<{ file: string }>;
      diagnoses: WorkerDiagnosis[];
    };
    expect(record.files.map(({ file }) => path.basename(file))).toEqual(['blocks.fixture.ts']);
    const [diagnosis] = record.diagnoses;
    // Atomics.wait holds the JS thread in a futex; its event loop cannot answer for a report.
    expect(diagnosis?.threads.some((thread) => thread.waitingIn.includes('futex'))).toBe(true);
    expect(diagnosis?.report).toBeNull();

    const results = JSON.parse(await readFile(report, 'utf8')) as {
      testResults: Array<{ name: string; assertionResults: Array<{ status: string }> }>;
    };
    const statusOf = (name: string) =>
      results.testResults.find((file) => path.basename(file.name) === name)?.assertionResults.map((a) => a.status);
    expect(statusOf('passes.fixture.ts')).toEqual(['passed']);
    expect(statusOf('blocks.fixture.ts')).not.toContain('passed');
  }, 120_000);

  it('reads the JS stack and open handles of a worker whose event loop still turns, and keeps no environment', async () => {
    const reports = await newDir();
    const child = spawn(
      process.execPath,
      ['--report-on-signal', `--report-directory=${reports}`, '-e', 'setInterval(() => {}, 1000)'],
      { stdio: 'ignore', env: { ...process.env, CHARTDESK_SECRET_LOOKING: 'must-not-be-kept' } },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pid = child.pid ?? 0;
    const diagnosis = await diagnoseWorker({ pid, ppid: process.pid, state: 'S', cpuSeconds: 0, command: 'node' }, reports);
    expect(diagnosis.threads.length).toBeGreaterThan(0);
    expect(diagnosis.report).not.toBeNull();
    expect(diagnosis.report?.activeHandles.some((handle) => (handle as { type?: string }).type === 'timer')).toBe(true);
    expect(JSON.stringify(diagnosis)).not.toContain('must-not-be-kept');
    // The full report, environment and all, is not left behind.
    expect(await readdir(reports)).toEqual([]);
    killWorker(diagnosis);
    await exited;
  }, 60_000);
});
