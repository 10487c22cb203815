/** The CLI as a user runs it: first line the FHIR base URL, then the users; `launch` prints a link; Ctrl-C stops it. */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CLI = path.join(import.meta.dirname, 'cli.ts');
const run = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args]);

describe('npm run sandbox', () => {
  it('prints the FHIR base URL first, mints launch links for `launch`, and stops cleanly on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, '--port', '0', '--profile', 'cerner-like', '--auto-approve', 'user=nurse'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Press Ctrl-C')) resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`the CLI exited early with ${code}: ${text}`)));
      });
      const lines = output.split('\n');
      expect(lines[0]).toMatch(/^FHIR base URL: http:\/\/127\.0\.0\.1:\d+\/r4\/[^/]+$/);
      expect(lines[1]).toBe('Users (username / password):');
      expect(lines[2]).toMatch(/^ {2}clinician \/ clinician-pass/);
      const port = /127\.0\.0\.1:(\d+)/.exec(lines[0] ?? '')?.[1] as string;

      const launched = await run([
        'launch',
        '--patient',
        'sbx-jonah-reyes',
        '--encounter',
        'sbx-jonah-reyes-enc-1',
        '--port',
        port,
      ]);
      expect(launched.stdout).toMatch(
        /^Launch value: \S+\nEHR launch link: org\.chartdesk\.desktop:\/launch\?iss=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fr4%2F/,
      );
      await expect(run(['launch', '--patient', 'nobody', '--port', port])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('nobody'),
      });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('prints the athena-like FHIR base with its practice query string on the FHIR base URL line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--profile', 'athena-like', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Press Ctrl-C')) resolve(text.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`the CLI exited early with ${code}: ${text}`)));
      });
      expect(first).toMatch(
        /^FHIR base URL: http:\/\/127\.0\.0\.1:\d+\/fhir\/r4\?ah-practice=Organization\/a-1\.Practice-195900$/,
      );
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('refuses unknown flags with the usage text', async () => {
    await expect(run(['--profile', 'nope'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage:') });
    await expect(run(['--max-parallel', '0'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--max-parallel'),
    });
  });
});
