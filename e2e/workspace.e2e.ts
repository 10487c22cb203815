import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { SMART_STYLE_PATH } from '../sandbox/auth/smart-style';
import { launchChromium } from '../testing/chromium';
import { scanWithAxe, writeAxeReport, type AxeScreen } from './testing/axe';
import { ROOT, startAppUnderTest, type AppUnderTest } from './testing/browser-view';
import { addConnection, connectionRow } from './testing/chartdesk-ui';
import { signInThroughBrowser } from './testing/sign-in-flow';
import { expectedSectionCounts, requireSynthea } from './testing/synthea';
import { SystemBrowser } from './testing/system-browser';

/**
 * Level 3, the clinician's workspace (issue 18): a Synthea patient's chart in the real renderer, in light
 * and dark, with and without the EHR's SMART style, at 1400×900 and at 1024×700. Every screen (the connection
 * form, the summary, every section, a note and a report in the document viewer: the built-in sandbox's patient,
 * as the Synthea bundles hold no documents) is scanned with axe-core and must have no violation; the findings go to
 * test-results/axe.json, one entry per screen, and a screenshot of each screen beside it. The banner stays in
 * view however far the chart scrolls, and a chart whose EHR cannot be reached says so.
 */
const CONNECTION = 'Synthea sandbox';
/** The built-in sandbox, whose patients have notes (text, HTML) and PDF reports. */
const DOCUMENTS = 'Built-in sandbox';
const DOCUMENTS_PATIENT = 'sbx-amelia-hart';
const WIDE = { width: 1400, height: 900 };
const SMALL = { width: 1024, height: 700 };
const shots = path.join(ROOT, 'test-results');
let browser: Browser;
let ehr: Sandbox;
let documentsEhr: Sandbox;
let app: AppUnderTest;
let page: Page;
let systemBrowser: SystemBrowser;
let patientId: string;
/** Whether main may fetch the EHR's style document: off, the session has no style, as at an EHR without one. */
let serveStyle = false;
let ehrStopped = false;
const scanned: AxeScreen[] = [];

beforeAll(async () => {
  ehr = await startSandbox({ dataDir: requireSynthea(), quiet: true });
  documentsEhr = await startSandbox({ quiet: true });
  app = await startAppUnderTest({
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : input.toString();
      if (!serveStyle && url.endsWith(SMART_STYLE_PATH)) return Promise.resolve(new Response('Not found', { status: 404 }));
      return fetch(input, init);
    },
  });
  browser = await launchChromium();
  systemBrowser = await SystemBrowser.open(browser);
  page = await browser.newPage({ viewport: WIDE });
  await page.goto(app.view.server.openUrl);
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  writeAxeReport(path.join(shots, 'axe.json'), scanned);
  await systemBrowser?.close();
  await browser?.close();
  await app?.view.close();
  if (!ehrStopped) await ehr?.stop();
  await documentsEhr?.stop();
});

const banner = () => page.getByTestId('patient-banner');

/** Every tab of the chart, the summary first, as the renderer lists them. */
async function chartTabs(): Promise<string[]> {
  const ids = await page
    .getByRole('tablist', { name: 'Chart sections' })
    .getByRole('tab')
    .evaluateAll((tabs) => tabs.map((tab) => tab.id));
  return ids.map((id) => id.replace(/^tab-/, ''));
}

async function waitForChart(patient = patientId): Promise<void> {
  await page.locator(`[data-testid="patient-banner"][data-patient-id="${patient}"]`).waitFor();
  for (const tab of await chartTabs()) {
    const state = page.getByTestId(`tab-${tab}`);
    if ((await state.getAttribute('data-state')) === null) continue; // the summary: no section of its own
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 30_000 }).toMatch(/^(complete|not-granted)$/);
  }
}

/** Opens the chart of the connection, unless it came to the front by itself (a signed-in connection does, after a reload). */
async function openChart(): Promise<void> {
  const open = connectionRow(page, CONNECTION).getByTestId('open-connection');
  if (await open.isVisible()) await open.click();
  await waitForChart();
}

/** Scans the page as it stands and saves a screenshot named after the screen. */
async function record(screen: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  scanned.push(await scanWithAxe(page, screen));
  // From the top: a whole-page picture taken while scrolled would draw the banner held in view over the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `workspace-${screen}.png`), fullPage: true });
}

/** Brings a connection's chart to the front from its row, leaving the connections column as it was. */
async function showChartOf(connection: string, patient: string): Promise<void> {
  const toggle = page.getByTestId('toggle-connections');
  const folded = (await toggle.getAttribute('aria-expanded')) === 'false';
  if (folded) await toggle.click();
  await connectionRow(page, connection).getByTestId('open-connection').click();
  await waitForChart(patient);
  // A narrow window folds the column by itself when another chart comes to the front.
  if (folded && (await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
}

const viewer = () => page.getByTestId('document-viewer');

/** A text note, an HTML note and a PDF report in the document viewer, named `<screen>-<variant>`. */
async function recordDocuments(variant: string): Promise<void> {
  await showChartOf(DOCUMENTS, DOCUMENTS_PATIENT);
  await page.getByTestId('tab-notes').click();
  await page
    .getByRole('button', { name: /^Open Progress note of / })
    .first()
    .click();
  await expect.poll(() => viewer().getAttribute('data-state')).toBe('open');
  await record(`note-text-${variant}`);
  await page
    .getByRole('button', { name: /^Open Consult note of / })
    .first()
    .click();
  await expect.poll(() => viewer().getByTestId('document-html').getAttribute('data-ready')).toBe('true');
  await record(`note-html-${variant}`);
  await page.getByTestId('tab-reports').click();
  await page
    .getByRole('button', { name: /^Open Colon polyp biopsy/ })
    .first()
    .click();
  await expect.poll(() => viewer().getByTestId('document-pdf').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  await record(`report-pdf-${variant}`);
  await page.getByTestId('tab-summary').click();
  await showChartOf(CONNECTION, patientId);
}

/** The connection form, the summary, every section and the document viewer, named `<screen>-<variant>`. */
async function recordEveryScreen(variant: string): Promise<void> {
  const toggle = page.getByTestId('toggle-connections');
  const folded = (await toggle.getAttribute('aria-expanded')) === 'false';
  if (folded) await toggle.click();
  await page.getByTestId('add-connection').click();
  await page.getByTestId('connection-form').waitFor();
  await record(`connection-form-${variant}`);
  await page.getByTestId('connection-form').getByRole('button', { name: 'Cancel' }).click();
  await waitForChart();
  if (folded) await toggle.click();
  for (const tab of await chartTabs()) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.locator(`[role="tabpanel"][aria-labelledby="tab-${tab}"]`).waitFor();
    await record(`${tab}-${variant}`);
    // No column header is cut short, whatever the window's width.
    const clipped = await page
      .locator('[role="columnheader"]')
      .evaluateAll((headers) =>
        headers.filter((header) => header.scrollWidth > header.clientWidth + 1).map((header) => header.textContent),
      );
    expect(clipped, `${tab}-${variant}`).toEqual([]);
  }
  await page.getByTestId('tab-summary').click();
  await recordDocuments(variant);
}

describe("a Synthea patient's chart, screen by screen", () => {
  it('opens on the summary with the banner at the top, scrolled nowhere', async () => {
    // The Synthea connection first: it is the one in front after a reload.
    await addConnection(page, { name: CONNECTION, fhirBaseUrl: ehr.fhirBaseUrl });
    await addConnection(page, { name: DOCUMENTS, fhirBaseUrl: documentsEhr.fhirBaseUrl });
    const ehrOf = { app, page, systemBrowser };
    await signInThroughBrowser({ ...ehrOf, connectionName: DOCUMENTS, ehr: documentsEhr, patientId: DOCUMENTS_PATIENT });
    patientId = expectedSectionCounts('Alden_Considine').patientId;
    await signInThroughBrowser({ ...ehrOf, connectionName: CONNECTION, ehr, patientId });
    await openChart();
    expect(await page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-summary');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await page.getByTestId('banner-name').textContent()).toContain('Alden');
    expect(await page.getByTestId('chart-as-of').textContent()).toMatch(/^As of /);
  });

  it('has no axe-core violation in light and dark without the EHR style', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await recordEveryScreen('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await recordEveryScreen('dark');
    expect(scanned.filter((screen) => screen.violations.length > 0)).toEqual([]);
  }, 240_000);

  it("has no axe-core violation in dark and light with the EHR's style, and at 1024×700", async () => {
    serveStyle = true;
    await page.reload();
    await openChart();
    await expect.poll(() => page.locator('.shell').evaluate((shell) => shell.getAttribute('style') ?? '')).toContain('--');
    await page.emulateMedia({ colorScheme: 'dark' });
    await recordEveryScreen('dark-ehr-style');
    await page.emulateMedia({ colorScheme: 'light' });
    await recordEveryScreen('light-ehr-style');
    // A narrow window folds the connections away once the chart opens.
    await page.setViewportSize(SMALL);
    await page.reload();
    await openChart();
    expect(await page.getByTestId('toggle-connections').getAttribute('aria-expanded')).toBe('false');
    await recordEveryScreen('1024x700-light-ehr-style');
    expect(scanned.filter((screen) => screen.violations.length > 0)).toEqual([]);
  }, 360_000);
});

describe('identity always in view', () => {
  for (const [name, viewport] of [
    ['1024×700', SMALL],
    ['1400×900', WIDE],
  ] as const) {
    it(`keeps the banner, with the allergies, in view after scrolling to the end of every tab at ${name}`, async () => {
      await page.setViewportSize(viewport);
      for (const tab of await chartTabs()) {
        await page.getByTestId(`tab-${tab}`).click();
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const box = await banner().boundingBox();
        expect(box, tab).not.toBeNull();
        expect(box!.y, tab).toBeGreaterThanOrEqual(0);
        expect(box!.y + box!.height, tab).toBeLessThanOrEqual(viewport.height);
        // Nothing is drawn over it: the name and the allergies are what is at their place on screen.
        for (const part of ['banner-name', 'banner-allergies']) {
          const onTop = await page.getByTestId(part).evaluate((element) => {
            const rect = element.getBoundingClientRect();
            return element.contains(document.elementFromPoint(rect.left + 4, rect.top + rect.height / 2));
          });
          expect(onTop, `${tab}: ${part}`).toBe(true);
        }
      }
      await page.screenshot({
        path: path.join(shots, `workspace-banner-after-scrolling-${viewport.width}x${viewport.height}.png`),
      });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId('tab-summary').click();
    }, 120_000);
  }
});

describe('the keyboard in a table', () => {
  it("makes a table's Trend buttons one Tab stop, moved by the arrow keys, with a ring no cell clips and that reads at 3:1", async () => {
    await page.getByTestId('tab-labs').click();
    const labs = page.getByTestId('section-labs');
    // Labs open by panel as flowsheets; the table of every result is the other choice.
    await labs.getByTestId('lab-layout-table').check();
    await labs.getByTestId('table-row').first().waitFor();
    expect(await labs.locator('.row-action[tabindex="0"]').count()).toBe(1);
    expect(await labs.locator('.row-action').count()).toBeGreaterThan(5);
    await labs.getByRole('searchbox').first().focus();
    const onTrend = () => page.evaluate(() => document.activeElement?.getAttribute('data-action-index') ?? null);
    for (let presses = 0; presses < 20 && (await onTrend()) === null; presses += 1) await page.keyboard.press('Tab');
    expect(await onTrend()).toBe('0');
    // Scrolled into view clear of the banner held at the top, not beneath it.
    const underBanner = await page.evaluate(() => {
      const focused = document.activeElement!.getBoundingClientRect();
      return focused.top < document.querySelector('[data-testid="chart-head"]')!.getBoundingClientRect().bottom;
    });
    expect(underBanner).toBe(false);
    const ring = await page.evaluate(() => {
      const button = document.activeElement as HTMLElement;
      const style = getComputedStyle(button);
      const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
      const luminance = (color: string) => {
        const [r = 0, g = 0, b = 0] = channels(color).map((value) => {
          const c = value / 255;
          return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      // The ring is drawn on what lies behind the button: the first ancestor with an opaque background.
      let behind = button.parentElement;
      while (behind && (channels(getComputedStyle(behind).backgroundColor)[3] ?? 1) < 1) behind = behind.parentElement;
      const [light, dark] = [
        luminance(style.outlineColor),
        luminance(getComputedStyle(behind ?? document.body).backgroundColor),
      ].sort((a, b) => b - a);
      return {
        visible: matchMedia('(any-hover: none)').matches || button.matches(':focus-visible'),
        width: style.outlineWidth,
        contrast: (light! + 0.05) / (dark! + 0.05),
        cellOverflow: getComputedStyle(button.parentElement!).overflow,
      };
    });
    expect(ring.visible).toBe(true);
    expect(ring.width).toBe('2px');
    expect(ring.contrast).toBeGreaterThanOrEqual(3);
    expect(ring.cellOverflow).toBe('visible');
    await page.screenshot({ path: path.join(shots, 'workspace-labs-trend-button-focused.png') });
    await page.keyboard.press('ArrowDown');
    expect(await onTrend()).toBe('1');
    expect(await labs.locator('.row-action[tabindex="0"]').count()).toBe(1);
    // Tab leaves the table rather than walking through every row's button.
    await page.keyboard.press('Tab');
    expect(await onTrend()).toBeNull();
    await page.getByTestId('tab-summary').click();
  }, 60_000);
});

describe('fresh or stale, always said', () => {
  it('keeps the chart on screen when the EHR cannot be reached, and warns that it may be out of date', async () => {
    await page.setViewportSize(WIDE);
    await ehr.stop();
    ehrStopped = true;
    await page.getByTestId('chart-refresh').click();
    const warning = page.getByTestId('chart-offline');
    await warning.waitFor({ timeout: 60_000 });
    expect(await warning.textContent()).toMatch(/could not be reached.*may be out of date/s);
    expect(await banner().getAttribute('data-patient-id')).toBe(patientId);
    expect(await page.getByTestId('summary').isVisible()).toBe(true);
    await record('summary-offline-light-ehr-style');
    expect(scanned.at(-1)?.violations).toEqual([]);
  }, 120_000);
});
