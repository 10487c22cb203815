import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';

/**
 * Every `npm run sandbox …` and `npm run doctor …` command line the docs show, taken from the docs themselves and
 * run through npm as a reader would, until it has printed its first line. The one change: a fixed port becomes a
 * free one (`--port 0`, or the port of a sandbox started here for `launch`), since the documented one may be in use.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const DOCS = ['README.md', 'sandbox/README.md', 'docs/IT-GUIDE.md', 'docs/PERFORMANCE.md'];
const COMMAND = /^npm run (sandbox|doctor)\b/;
/** A usage line (`<url>`, `[options]`) describes a command rather than showing one. */
const SYNOPSIS = /[<[]/;
/** Generous: npm, tsx and the sandbox start in about two seconds on an idle machine. */
const FIRST_LINE_MS = 90_000;

/** The commands of a Markdown text: lines of its code blocks (comments cut) and its code spans. */
export function commandsIn(markdown: string): string[] {
  const blockLines = [...markdown.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].flatMap((block) =>
    block[1]!.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()),
  );
  const spans = [...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map((span) => span[1]!.trim());
  return [...blockLines, ...spans].filter((line) => COMMAND.test(line) && !SYNOPSIS.test(line));
}

const documented = [...new Set(DOCS.flatMap((doc) => commandsIn(readFileSync(path.join(ROOT, doc), 'utf8'))))];
const isLaunch = (command: string) => /^npm run sandbox -- launch\b/.test(command);
const serving = documented.filter((command) => command.startsWith('npm run sandbox') && !isLaunch(command));
const launching = documented.filter(isLaunch);
const doctoring = documented.filter((command) => command.startsWith('npm run doctor'));

/** The command with its port replaced (or, for a sandbox, a free one put first among its options). */
function onPort(command: string, port: number): string {
  if (/--port \d+/.test(command)) return command.replace(/--port \d+/, `--port ${port}`);
  if (isLaunch(command)) return `${command} --port ${port}`;
  return command.includes(' -- ') ? command.replace(' -- ', ` -- --port ${port} `) : `${command} -- --port ${port}`;
}

interface Run {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** What the command printed on stdout, without npm's own `> script` header. */
  output: () => string;
  /** stdout and stderr as they came, for failure messages. */
  everything: () => string;
  exited: Promise<number | null>;
}

function run(command: string): Run {
  // Its own process group, so that npm, the shell and node all stop together.
  const child = spawn('sh', ['-c', command], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const output = () =>
    stdout
      .split('\n')
      .filter((line) => !line.startsWith('> '))
      .join('\n')
      .trimStart();
  return { child, output, everything: () => `${command}\n${stdout}\n[stderr]\n${stderr}`, exited };
}

async function firstLines(running: Run, count: number): Promise<string[]> {
  const deadline = Date.now() + FIRST_LINE_MS;
  let ended = false;
  void running.exited.then(() => (ended = true));
  for (;;) {
    const lines = running.output().split('\n');
    if (lines.length > count || (ended && lines.length >= count)) return lines.slice(0, count);
    if (ended) throw new Error(`it ended before printing ${count} lines:\n${running.everything()}`);
    if (Date.now() > deadline) throw new Error(`too little after ${FIRST_LINE_MS} ms:\n${running.everything()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(running: Run): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) {
    try {
      process.kill(-running.child.pid!, 'SIGINT');
    } catch {
      // Already gone between the check and the signal.
    }
  }
  await running.exited;
}

describe('the commands the docs show', () => {
  it('finds them in the docs: the sandbox started three ways and more, launch links, the doctor', () => {
    expect(serving).toContain('npm run sandbox');
    expect(serving).toContain('npm run sandbox -- --data fixtures/synthea-r4 --auto-approve');
    expect(serving.length).toBeGreaterThanOrEqual(4);
    expect(launching.length).toBeGreaterThanOrEqual(2);
    expect(doctoring.length).toBeGreaterThanOrEqual(2);
  });

  it('parses code blocks and code spans, cuts comments, and leaves usage lines out', () => {
    const text = [
      '```sh',
      'npm run sandbox -- --port 4011   # a comment',
      'npm ci',
      '```',
      'Run `npm run doctor -- https://ehr.example.org/fhir --json` or `npm run doctor -- <fhir-base-url> [--json]`.',
    ].join('\n');
    expect(commandsIn(text)).toEqual(['npm run sandbox -- --port 4011', 'npm run doctor -- https://ehr.example.org/fhir --json']);
    expect(onPort('npm run sandbox -- --data d --auto-approve', 0)).toBe('npm run sandbox -- --port 0 --data d --auto-approve');
    expect(onPort('npm run sandbox', 0)).toBe('npm run sandbox -- --port 0');
    expect(onPort('npm run sandbox -- --profile epic-like --port 4011', 0)).toBe(
      'npm run sandbox -- --profile epic-like --port 0',
    );
  });
});

describe.each(serving)('%s', (command) => {
  it(
    'prints the FHIR base URL first, then its users, and stops on Ctrl-C',
    async () => {
      const running = run(onPort(command, 0));
      try {
        const [first, second] = await firstLines(running, 2);
        expect(first).toMatch(/^FHIR base URL: http:\/\/127\.0\.0\.1:\d+\/\S+$/);
        expect(second).toBe('Users (username / password):');
        if (command.includes('--auto-approve')) {
          await expect.poll(running.output, { timeout: FIRST_LINE_MS }).toContain('Auto-approve: on');
        }
      } finally {
        await stop(running);
      }
    },
    2 * FIRST_LINE_MS,
  );
});

describe('with a sandbox running', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, quiet: true });
  });
  afterAll(() => sandbox?.stop());

  it.each(launching)(
    '%s prints a launch value and the EHR launch link',
    async (command) => {
      const running = run(onPort(command, Number(new URL(sandbox.origin).port)));
      try {
        const [value, link] = await firstLines(running, 2);
        expect(value).toMatch(/^Launch value: \S+$/);
        expect(link).toMatch(
          /^EHR launch link: org\.chartdesk\.desktop:\/launch\?iss=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Ffhir&launch=/,
        );
        expect(await running.exited).toBe(0);
      } finally {
        await stop(running);
      }
    },
    2 * FIRST_LINE_MS,
  );
});

describe.each(doctoring)('%s', (command) => {
  it(
    'reports on the endpoint it names (the example host does not exist: exit status 2)',
    async () => {
      const running = run(command);
      try {
        const url = /https:\/\/\S+/.exec(command)?.[0];
        const [first] = await firstLines(running, 1);
        if (command.includes('--json')) expect(JSON.parse(first!)).toMatchObject({ fhirBaseUrl: url, reachable: false });
        else expect(first).toBe(`SMART endpoint check for ${url}`);
        expect(await running.exited).toBe(2);
      } finally {
        await stop(running);
      }
    },
    2 * FIRST_LINE_MS,
  );
});
