import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { launchChromium } from '../testing/chromium';
import { ROOT, startAppUnderTest, type AppUnderTest } from './testing/browser-view';
import { addConnection, connectionRow } from './testing/chartdesk-ui';
import { signInThroughBrowser } from './testing/sign-in-flow';
import { SystemBrowser } from './testing/system-browser';

/**
 * Level 3, the idle lock over a write form (the standard "nothing is lost"): a clinician writing a note steps away;
 * ChartDesk locks after the policy's idle minute (the page's clock is Playwright's, moved on by the test), hides the
 * note, and main keeps it encrypted in the user-data folder; after unlocking, the chart offers it again, the form
 * reopens with the text, and it goes on to the usual review. Nothing reaches the EHR before the clinician confirms.
 */
const CONNECTION = 'Lock sandbox';
const PATIENT = 'sbx-amelia-hart';
const NOTE = 'Follow-up: chest pain resolved, walking 2 miles a day without symptoms.';
let browser: Browser;
let ehr: Sandbox;
let app: AppUnderTest;
let page: Page;
let systemBrowser: SystemBrowser;
const posts: string[] = [];
const shots = path.join(ROOT, 'test-results');

beforeAll(async () => {
  ehr = await startSandbox({ quiet: true });
  const policyFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'cd-lock-policy-')), 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ idleLockMinutes: 1 }));
  app = await startAppUnderTest({
    policyFile,
    // What main writes to the EHR: the note may reach it only once the clinician confirms the review.
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : input.toString();
      const method = init?.method ?? 'GET';
      if ((method === 'POST' || method === 'PUT') && new URL(url).pathname.endsWith('/DocumentReference')) posts.push(url);
      return fetch(input, init);
    },
  });
  browser = await launchChromium();
  systemBrowser = await SystemBrowser.open(browser);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // The page's timers are the test's: the idle minute passes when the test says so.
  await page.clock.install();
  await page.goto(app.view.server.openUrl);
  await addConnection(page, { name: CONNECTION, fhirBaseUrl: ehr.fhirBaseUrl, writeKinds: ['notes'] });
});

afterAll(async () => {
  await systemBrowser?.close();
  await browser?.close();
  await app?.view.close();
  await ehr?.stop();
});

describe('the idle lock over a note being written', () => {
  // One retry: in one full run of three on 2026-11-30 the system browser's fresh page was reported closed during its
  // first navigation (page.goto: "Target page, context or browser has been closed"), before the test reached the app;
  // not seen in 8 runs of the e2e level since. A failure past sign-in fails the retry too (it expects one kept file).
  it('keeps the note out of the window and encrypted by main, and offers it again after unlocking', { retry: 1 }, async () => {
    await signInThroughBrowser({ app, page, systemBrowser, connectionName: CONNECTION, ehr, patientId: PATIENT });
    await connectionRow(page, CONNECTION).getByTestId('open-connection').click();
    await page.locator(`[data-testid="patient-banner"][data-patient-id="${PATIENT}"]`).waitFor();
    await page.getByTestId('write-action-write-note').click();
    await page.getByRole('dialog').getByLabel('Note', { exact: true }).fill(NOTE);

    await page.clock.fastForward(61_000);
    await page.getByTestId('idle-lock').waitFor();
    expect(await page.locator('body').textContent()).not.toContain('chest pain');
    const folder = path.join(app.userDataDir, 'drafts');
    await expect.poll(() => readdirSync(folder).filter((name) => name.endsWith('.unfinished.json'))).toHaveLength(1);
    const [file] = readdirSync(folder);
    expect(readFileSync(path.join(folder, file!), 'utf8')).not.toContain('chest pain');

    await page.getByRole('button', { name: 'Unlock' }).click();
    await connectionRow(page, CONNECTION).getByTestId('open-connection').click();
    const item = page.getByTestId('write-unfinished-item');
    await item.waitFor();
    expect(await item.textContent()).toContain('Saved when ChartDesk locked');
    await item.getByTestId('unfinished-resume').click();
    expect(await page.getByRole('dialog').getByLabel('Note', { exact: true }).inputValue()).toBe(NOTE);
    expect(await page.getByTestId('write-resumed').textContent()).toContain('not sent');
    expect(readdirSync(folder)).toEqual([]);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'idle-lock-resumed-note.png') });

    await page.getByRole('dialog').getByTestId('write-review').click();
    await page.getByRole('dialog').locator('[data-testid="write-step"][data-step="reviewing"]').waitFor();
    expect(posts).toEqual([]);
    await page.getByRole('dialog').getByTestId('write-confirm').click();
    await page.getByRole('dialog').getByTestId('write-done').waitFor();
    expect(posts).toHaveLength(1);
  });
});
