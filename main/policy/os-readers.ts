import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { PolicyReaders } from './load-policy';

/** The real OS access behind loadPolicy: plain Node, no Electron. */

const run = promisify(execFile);
const COMMAND_OPTIONS = { timeout: 10_000, windowsHide: true, maxBuffer: 1024 * 1024 } as const;

async function orNullWhenMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function readTextFile(path: string): Promise<string | null> {
  return orNullWhenMissing(readFile(path, 'utf8'));
}

async function queryRegistry(key: string): Promise<string | null> {
  try {
    return (await run('reg', ['query', key, '/s'], COMMAND_OPTIONS)).stdout;
  } catch (error) {
    // reg exits 1 with nothing on stdout when the key is missing; its message is localized.
    const failure = error as { code?: unknown; stdout?: string };
    if (failure.code === 1 && !failure.stdout) return null;
    throw error;
  }
}

async function plistAsJson(path: string): Promise<string | null> {
  if ((await orNullWhenMissing(stat(path))) === null) return null;
  return (await run('plutil', ['-convert', 'json', '-o', '-', path], COMMAND_OPTIONS)).stdout;
}

export const osPolicyReaders: PolicyReaders = { readTextFile, queryRegistry, plistAsJson };
