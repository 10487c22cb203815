import { randomBytes } from 'node:crypto';
import { copyFile, open, readFile, rename, rm } from 'node:fs/promises';
import type { AppNotice } from '../../common/view-models';

/**
 * A JSON settings file that survives crashes and damage: written to a temporary file and renamed over the
 * old one, with the previous version kept as `.bak`. A damaged file is moved aside (never deleted) and the
 * backup used instead, with a notice for the clinician.
 */
export type Parse<T> = (value: unknown) => { ok: true; value: T } | { ok: false; reason: string };

export interface ReadResult<T> {
  /** null when there is no usable file: start empty. */
  value: T | null;
  notices: AppNotice[];
}

export const backupPath = (path: string) => `${path}.bak`;

export async function readJsonFile<T>(path: string, parse: Parse<T>, label: string, now: () => number): Promise<ReadResult<T>> {
  const main = await readAndParse(path, parse);
  if (main.kind === 'ok') return { value: main.value, notices: [] };

  const notices: AppNotice[] = [];
  let damagedCopy: string | null = null;
  if (main.kind === 'invalid') {
    damagedCopy = `${path}.damaged-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, damagedCopy);
  }
  const backup = await readAndParse(backupPath(path), parse);
  if (backup.kind === 'ok') {
    await writeJsonFile(path, backup.value, { keepBackup: false });
    const why =
      main.kind === 'invalid' ? `was damaged (${main.reason}); the damaged file was kept as ${damagedCopy}` : 'was missing';
    notices.push({
      level: 'warning',
      message: `The ${label} file ${why}. ChartDesk restored the previous version from its backup.`,
      connectionId: null,
    });
    return { value: backup.value, notices };
  }
  if (main.kind === 'invalid') {
    notices.push({
      level: 'error',
      message: `The ${label} file was damaged (${main.reason}) and no usable backup exists. ChartDesk started without it; the damaged file was kept as ${damagedCopy}.`,
      connectionId: null,
    });
  }
  return { value: null, notices };
}

type Attempt<T> = { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'invalid'; reason: string };

async function readAndParse<T>(path: string, parse: Parse<T>): Promise<Attempt<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not valid JSON' };
  }
  const parsed = parse(json);
  return parsed.ok ? { kind: 'ok', value: parsed.value } : { kind: 'invalid', reason: parsed.reason };
}

/** Atomic replace: temp file, fsync, backup of the current version, rename. */
export async function writeJsonFile(
  path: string,
  value: unknown,
  options: { keepBackup: boolean } = { keepBackup: true },
): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.keepBackup) await copyFile(path, backupPath(path)).catch(ignoreMissing);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
