import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../main/logging/logger';
import { startBrowserView, type BrowserView } from '../../main/web/browser-view';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = path.join(ROOT, 'dist');

export interface TappedMessage {
  kind: 'result' | 'event';
  name: string;
  body: string;
}

/**
 * The production renderer build attached to the real main services through the browser
 * bridge (the same dispatcher Electron's IPC uses). Every message main sends is recorded.
 */
export async function startAppUnderTest(): Promise<{ view: BrowserView; messages: TappedMessage[]; logLines: string[] }> {
  if (!readFileSafe(path.join(DIST, 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` first (npm test and npm run test:e2e do).');
  }
  const messages: TappedMessage[] = [];
  const logLines: string[] = [];
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const view = await startBrowserView({
    distDir: DIST,
    version,
    log: createLogger((line) => logLines.push(line), 'debug'),
    tap: (message) => messages.push(message),
  });
  return { view, messages, logLines };
}

function readFileSafe(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
