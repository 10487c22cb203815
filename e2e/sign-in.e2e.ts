import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { addConnection, connectionRow, waitForStatus } from './testing/chartdesk-ui';
import { ROOT, startAppUnderTest, type AppUnderTest } from './testing/browser-view';
import { launchChromium } from '../testing/chromium';
import { createSecretRecorder } from './testing/secret-recorder';
import { secretLeaks } from './testing/secret-scan';
import { signInThroughBrowser } from './testing/sign-in-flow';
import { SystemBrowser } from './testing/system-browser';

/**
 * Level 3, sign-in: a clinician adds two EHRs, signs in to both through the system browser, and
 * signs out of one while the other stays. Afterwards every message main sent to the renderer,
 * the log and the user-data files are scanned for the secrets that crossed main's HTTP client.
 */
let browser: Browser;
let ehrA: Sandbox;
let ehrB: Sandbox;
let app: AppUnderTest;
let page: Page;
let systemBrowser: SystemBrowser;
const recorder = createSecretRecorder();

beforeAll(async () => {
  [ehrA, ehrB] = await Promise.all([
    startSandbox({ profile: 'smart-v2', quiet: true }),
    startSandbox({ profile: 'cerner-like', quiet: true }),
  ]);
  app = await startAppUnderTest({ fetch: recorder.fetch });
  browser = await launchChromium();
  systemBrowser = await SystemBrowser.open(browser);
  page = await browser.newPage();
  await page.goto(app.view.server.openUrl);
});

afterAll(async () => {
  await systemBrowser?.close();
  await browser?.close();
  await app?.view.close();
  await Promise.all([ehrA?.stop(), ehrB?.stop()]);
});

const signIn = (connectionName: string, ehr: Sandbox) =>
  signInThroughBrowser({ app, page, systemBrowser, connectionName, ehr, recorder });

describe('signing in to two EHRs at once', () => {
  it('adds the first EHR and signs in through the system browser (PKCE S256, state, aud)', async () => {
    const row = await addConnection(page, { name: 'Sandbox SMART v2', fhirBaseUrl: ehrA.fhirBaseUrl });
    await waitForStatus(row, 'signed-out');
    const authorizeUrl = new URL(await signIn('Sandbox SMART v2', ehrA));
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('aud')).toBe(ehrA.fhirBaseUrl);
    expect(authorizeUrl.searchParams.get('state')?.length).toBeGreaterThanOrEqual(22);
    await expect.poll(() => row.getByTestId('signed-in-user').textContent()).toContain(ehrA.users[0]!.displayName);
  });

  it('adds a second EHR with another profile and signs in there too', async () => {
    const row = await addConnection(page, { name: 'Sandbox Cerner-like', fhirBaseUrl: ehrB.fhirBaseUrl });
    await signIn('Sandbox Cerner-like', ehrB);
    await waitForStatus(connectionRow(page, 'Sandbox SMART v2'), 'signed-in');
    await waitForStatus(row, 'signed-in');
    mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'two-ehrs-signed-in.png'), fullPage: true });
  });

  it('signs out of one while the other stays signed in', async () => {
    const first = connectionRow(page, 'Sandbox SMART v2');
    await first.getByTestId('sign-out').click();
    await waitForStatus(first, 'signed-out');
    await waitForStatus(connectionRow(page, 'Sandbox Cerner-like'), 'signed-in');
  });

  it('never let a token, code, state or verifier reach the renderer, the log or the user-data files', () => {
    expect(recorder.secrets.size).toBeGreaterThanOrEqual(6);
    const leaks = secretLeaks(app, recorder);
    expect(leaks).toEqual([]);
    expect(app.messages.length).toBeGreaterThan(10);
  });
});
