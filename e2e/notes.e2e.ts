import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { launchChromium } from '../testing/chromium';
import { ROOT, startAppUnderTest, type AppUnderTest } from './testing/browser-view';
import { type CanaryServer, startCanaryServer } from './testing/canary-server';
import { addConnection, connectionRow } from './testing/chartdesk-ui';
import { HOSTILE_PATIENT_ID, hostileHtml, writeHostileDataDir } from './testing/hostile-notes';
import { signInThroughBrowser } from './testing/sign-in-flow';
import { SystemBrowser } from './testing/system-browser';

/**
 * The notes and reports viewer in Chromium against the sandbox: a text note, an HTML note and a PDF report of a
 * built-in patient open and are drawn; then notes written to attack the viewer run nothing and load nothing, and
 * the CSP never had to refuse anything because nothing tried.
 */
const shots = path.join(ROOT, 'test-results');
let browser: Browser;
let app: AppUnderTest;
let page: Page;
let systemBrowser: SystemBrowser;
let builtin: Sandbox;
let hostile: Sandbox;
let canary: CanaryServer;
let hostileDir: string;
/** Every request the app's page made, and every CSP violation it reported. */
const pageRequests: string[] = [];
const violations: string[] = [];

beforeAll(async () => {
  canary = await startCanaryServer();
  hostileDir = writeHostileDataDir(canary.origin);
  builtin = await startSandbox({ quiet: true });
  hostile = await startSandbox({ dataDir: hostileDir, quiet: true });
  app = await startAppUnderTest();
  browser = await launchChromium();
  systemBrowser = await SystemBrowser.open(browser);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (request) => pageRequests.push(request.url()));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const { violatedDirective: directive, blockedURI: blocked, sourceFile: source } = event;
      ((window as unknown as { __violations?: Violation[] }).__violations ??= []).push({ directive, blocked, source });
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(app.view.server.openUrl);
  await addConnection(page, { name: 'Sandbox', fhirBaseUrl: builtin.fhirBaseUrl });
  await addConnection(page, { name: 'Hostile notes', fhirBaseUrl: hostile.fhirBaseUrl });
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await systemBrowser?.close();
  await browser?.close();
  await app?.view.close();
  await builtin?.stop();
  await hostile?.stop();
  await canary?.close();
  if (hostileDir) rmSync(hostileDir, { recursive: true, force: true });
});

async function openChart(connectionName: string, ehr: Sandbox, patientId: string): Promise<void> {
  await signInThroughBrowser({ app, page, systemBrowser, connectionName, ehr, patientId });
  await connectionRow(page, connectionName).getByTestId('open-connection').click();
  await page.locator(`[data-testid="patient-banner"][data-patient-id="${patientId}"]`).waitFor();
}

async function openTab(section: string): Promise<void> {
  await expect.poll(() => page.getByTestId(`tab-${section}`).getAttribute('data-state'), { timeout: 30_000 }).toBe('complete');
  await page.getByTestId(`tab-${section}`).click();
}

const viewer = () => page.getByTestId('document-viewer');
interface Violation {
  directive: string;
  blocked: string;
  source: string;
}
const cspViolations = () => page.evaluate(() => (window as unknown as { __violations?: Violation[] }).__violations ?? []);

describe('the document viewer on a built-in patient', () => {
  it('opens a plain-text progress note', async () => {
    await openChart('Sandbox', builtin, 'sbx-amelia-hart');
    await openTab('notes');
    expect(await page.getByTestId('tab-notes').getAttribute('data-row-count')).toBe('9');
    await page
      .getByRole('button', { name: /^Open Progress note of / })
      .first()
      .click();
    await expect.poll(() => viewer().getAttribute('data-state')).toBe('open');
    expect(await viewer().getAttribute('data-format')).toBe('text');
    expect(await viewer().getByTestId('document-text').textContent()).toMatch(/^S: Follow-up visit 8 for Hypertensive disorder/);
    // The viewer takes the focus, for keyboard and screen-reader users.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('document-title');
    await page.screenshot({ path: path.join(shots, 'note-text.png'), fullPage: true });
  });

  it('opens an HTML consult note kept in a Binary, sanitized, its headings below the viewer’s', async () => {
    await page.getByRole('button', { name: /^Open Consult note of / }).click();
    await expect.poll(() => viewer().getAttribute('data-format')).toBe('html');
    const html = viewer().getByTestId('document-html');
    await expect.poll(() => html.getAttribute('data-ready')).toBe('true');
    expect(await html.locator('h4').first().textContent()).toBe('Endocrinology consult note');
    expect(await html.locator('h1, h2, h3').count()).toBe(0);
    expect(await html.locator('li').allTextContents()).toContain('Continue metformin 500 mg twice daily.');
    expect(await html.locator('td').first().textContent()).toBe('Hypertensive disorder');
    await page.screenshot({ path: path.join(shots, 'note-html.png'), fullPage: true });
  });

  it('draws a PDF report with pdf.js, its text there for screen readers, under the CSP', async () => {
    await openTab('reports');
    await page.getByRole('button', { name: /^Open Colon polyp biopsy/ }).click();
    await expect.poll(() => viewer().getAttribute('data-format')).toBe('pdf');
    const pdf = viewer().getByTestId('document-pdf');
    await expect.poll(() => pdf.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await pdf.getAttribute('data-pages')).toBe('1');
    expect(await pdf.locator('.visually-hidden').first().textContent()).toContain('Patient: Amelia Hart');
    // Drawn, not blank: dark text pixels on the white page.
    const inked = await pdf.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let index = 0; index < data.length; index += 4) if ((data[index] ?? 255) < 100) dark += 1;
      return dark;
    });
    expect(inked).toBeGreaterThan(1000);
    await page.screenshot({ path: path.join(shots, 'report-pdf.png'), fullPage: true });
    // pdf.js ran in a worker from the bundle and fetched its helpers from the app's own origin only.
    const origin = app.view.server.origin;
    expect(pageRequests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual(
      [],
    );
    expect(pageRequests.some((url) => /\/assets\/pdf\.worker\.min-[\w-]+\.js$/.test(url))).toBe(true);
    expect(await cspViolations()).toEqual([]);
    expect(violations).toEqual([]);
  });
});

describe('a hostile HTML note', () => {
  it('the same note in a plain page runs its script and loads from the canary (so the checks below can fail)', async () => {
    const control = await browser.newPage();
    await control.setContent(hostileHtml(canary.origin));
    await expect.poll(() => canary.requests).toEqual(expect.arrayContaining(['/img.png', '/external.js', '/link.css']));
    expect(await control.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeDefined();
    await control.close();
    canary.requests.length = 0;
  });

  it.each([
    ['inline in the note', /^Open Outpatient Progress note of 24 Mar 2026/],
    ['kept in a Binary', /^Open Outpatient Progress note of 25 Mar 2026/],
  ])('%s runs no script and loads nothing remote', async (how, button) => {
    if ((await page.getByTestId('patient-banner').getAttribute('data-patient-id')) !== HOSTILE_PATIENT_ID) {
      await page.getByTestId('change-patient').click();
      await openChart('Hostile notes', hostile, HOSTILE_PATIENT_ID);
    }
    await openTab('notes');
    const requestsBefore = pageRequests.length;
    await page.getByRole('button', { name: button }).click();
    const html = viewer().getByTestId('document-html');
    await expect.poll(() => html.getAttribute('data-ready')).toBe('true');
    await html.getByText('Styled text').hover();
    await page.waitForTimeout(1500); // time for anything that would load or run
    expect(await html.textContent()).toContain('Visible ending of the note.');
    expect(await html.locator('td').textContent()).toBe('Cell kept');
    // The remote image is gone, and the note says so where it was.
    expect(await html.locator('.missing-image').first().textContent()).toBe(
      '[Image not shown: remote image. Open the note in the EHR to see it.]',
    );
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(canary.requests).toEqual([]);
    expect(pageRequests.slice(requestsBefore).filter((url) => !url.startsWith(app.view.server.origin))).toEqual([]);
    const left = await html.evaluate((host) =>
      [...host.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => /^on|^(style|href|src|srcset|background|poster|action|ping)$/.test(attribute.name))
          .map((attribute) => `${element.tagName} ${attribute.name}`),
      ),
    );
    expect(left).toEqual([]);
    expect(
      await html.locator('script, style, link, iframe, object, embed, svg, video, audio, form, input, meta, base').count(),
    ).toBe(0);
    // Chromium may report the handlers, styles and <base> it meets while DOMPurify parses the note in its inert
    // document (nothing runs or loads there): any report must come from that parse, and none may be a blocked load,
    // so it was the sanitizer, not the CSP behind it, that kept the note's content from running or loading.
    const reported = await cspViolations();
    expect(reported.filter((violation) => !/\/assets\/note-html-[\w-]+\.js$/.test(violation.source))).toEqual([]);
    expect(reported.filter((violation) => violation.directive !== 'base-uri' && violation.blocked !== 'inline')).toEqual([]);
    await page.screenshot({ path: path.join(shots, `note-html-hostile-${how.replace(/\W+/g, '-')}.png`), fullPage: true });
  });
});
