import path from 'node:path';
import { redactText } from './logging/logger';

/** What an operating-system error code means, in words an IT administrator acts on. */
const FILE_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder stands where a file should be',
  ENOTDIR: 'a file stands where a folder should be',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EMFILE: 'too many files are open',
};

/**
 * The message of the native error box shown when the desktop app cannot start (for example an unreadable
 * connections.json): what failed, what to do, where the details are. The error itself is logged by bootstrap.
 */
export function bootFailureMessage(error: unknown, userDataDir: string): string {
  const { code, path: file, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  // Node's file errors carry a code and the system call; the path only when the file could not be opened.
  const what =
    typeof code === 'string' && typeof syscall === 'string'
      ? `it cannot use ${typeof file === 'string' ? file : `its files in ${userDataDir}`} (${FILE_PROBLEMS[code] ?? code}). ` +
        'Check that your user account can read and write them, or ask your IT department.'
      : `of an unexpected error (${redactText(error instanceof Error ? error.message : String(error)).slice(0, 300)}). ` +
        'Try starting it again; if this happens again, ask your IT department.';
  return `ChartDesk could not start because ${what}\n\nThe details are in the log folder: ${path.join(userDataDir, 'logs')}`;
}
