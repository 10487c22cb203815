import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LogSink } from './logger';

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Appends log lines to <dir>/chartdesk.log, keeping one previous file (chartdesk.log.1) when
 * the current one passes its size limit. Lines arrive already redacted by the logger.
 * Synchronous on purpose: the last lines before a crash are the ones IT needs.
 */
export function createFileSink(
  dir: string,
  maxBytes = DEFAULT_MAX_BYTES,
  /** Told once, with a sentence for the clinician and IT, when the log cannot be written. */
  onFailure: (message: string) => void = () => undefined,
): LogSink {
  const file = path.join(dir, 'chartdesk.log');
  // A log that cannot be written (read-only or missing folder) must never stop the app: lines are dropped,
  // and the failure is said once on stderr.
  let reported = false;
  const failed = (error: unknown) => {
    if (reported) return;
    reported = true;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const message = `ChartDesk cannot write its log file in ${dir} (${code}); log lines are not kept.`;
    process.stderr.write(`${message}\n`);
    onFailure(message);
  };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    failed(error);
  }
  let size = currentSize(file);
  return (line) => {
    const bytes = Buffer.byteLength(line) + 1;
    try {
      if (size + bytes > maxBytes && size > 0) {
        renameSync(file, `${file}.1`);
        size = 0;
      }
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
      size += bytes;
    } catch (error) {
      failed(error);
    }
  };
}

function currentSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
