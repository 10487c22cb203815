import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBrowserView, type BrowserView } from '../../main/browser-view/browser-view';
import { createMemorySecretStore, type SecretStore } from '../../main/vault/secret-store';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = path.join(ROOT, 'dist');

export interface TappedMessage {
  kind: 'result' | 'event';
  name: string;
  body: string;
}

export interface AppUnderTest {
  view: BrowserView;
  /** Everything main sent to the renderer, in order. */
  messages: TappedMessage[];
  logLines: string[];
  /** URLs main asked the "system browser" to open, in order. */
  opened: string[];
  userDataDir: string;
}

export interface AppUnderTestOptions {
  devSandboxFhirBaseUrl?: string | null;
  secrets?: SecretStore;
  userDataDir?: string;
  policyFile?: string;
  /** The HTTP client main uses (tests wrap it to learn the secrets it sees). */
  fetch?: typeof fetch;
}

/**
 * The production renderer build attached to the real main services through the browser
 * bridge (the same dispatcher Electron's IPC uses), with its own user-data folder. Every message
 * main sends is recorded, and the system browser is the test's to play.
 */
export async function startAppUnderTest(options: AppUnderTestOptions = {}): Promise<AppUnderTest> {
  try {
    readFileSync(path.join(DIST, 'renderer', 'index.html'));
  } catch {
    throw new Error('dist/renderer is missing: run `npm run build` first (npm test and npm run test:e2e do).');
  }
  const messages: TappedMessage[] = [];
  const logLines: string[] = [];
  const opened: string[] = [];
  const userDataDir = options.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'chartdesk-e2e-'));
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const view = await startBrowserView({
    distDir: DIST,
    version,
    userDataDir,
    fetch: options.fetch ?? globalThis.fetch,
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
    devSandboxFhirBaseUrl: options.devSandboxFhirBaseUrl ?? null,
    // The tests play the OS: signInThroughBrowser hands the custom-scheme callback to main (handleDeepLink).
    customSchemeLinks: true,
    env: { CHARTDESK_POLICY_FILE: options.policyFile ?? path.join(userDataDir, 'no-policy.json') },
    secrets: options.secrets ?? createMemorySecretStore(),
    extraLogSink: (line) => logLines.push(line),
    tap: (message) => messages.push(message),
  });
  return { view, messages, logLines, opened, userDataDir };
}
