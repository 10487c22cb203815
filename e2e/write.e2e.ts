import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { fhirGet, fhirSend } from '../sandbox/testing/oauth-driver';
import { launchChromium } from '../testing/chromium';
import { ROOT, startAppUnderTest, type AppUnderTest } from './testing/browser-view';
import { addConnection, connectionRow, waitForStatus } from './testing/chartdesk-ui';
import { createSecretRecorder } from './testing/secret-recorder';
import { secretLeaks } from './testing/secret-scan';
import { signInThroughBrowser } from './testing/sign-in-flow';
import { SystemBrowser } from './testing/system-browser';

/**
 * Level 3, writing (issue 19): a clinician with every kind of writing turned on records a set of vitals and a note,
 * discontinues an order and proposes one, in Chromium against the sandbox EHR, and sees each in the chart at once;
 * a stale order gets the conflict screen and is not overwritten; a write whose answer is lost keeps its draft, and
 * Retry leaves exactly one resource in the EHR; a sign-in where the EHR refuses medication orders offers none.
 * What the sandbox stored is read back with the session's own token, independently of ChartDesk's views.
 */
const CONNECTION = 'Writing sandbox';
const PATIENT = 'sbx-amelia-hart';
let browser: Browser;
let ehr: Sandbox;
let app: AppUnderTest;
let page: Page;
let systemBrowser: SystemBrowser;
const shots = path.join(ROOT, 'test-results');

/** Every write main sent to the EHR, in order: its condition header, its body, and the status the EHR answered. */
interface SentWrite {
  method: string;
  url: string;
  condition: string | null;
  body: string;
  status: number | null;
}
const writes: SentWrite[] = [];
/** The bearer main last sent to the FHIR server: the test reads the EHR with the session's own grant. */
let bearer = '';
/** When set, the next POST of this resource type reaches the EHR but its answer is lost, as a dropped connection. */
let loseAnswerOf: string | null = null;

const recorder = createSecretRecorder(async (input, init) => {
  const url = input instanceof Request ? input.url : input.toString();
  const headers = new Headers(init?.headers);
  const method = init?.method ?? 'GET';
  const auth = headers.get('authorization');
  if (ehr && url.startsWith(ehr.fhirBaseUrl) && auth?.startsWith('Bearer ')) bearer = auth.slice('Bearer '.length);
  const write: SentWrite | null =
    (method === 'POST' || method === 'PUT') && ehr && url.startsWith(ehr.fhirBaseUrl)
      ? {
          method,
          url,
          condition: headers.get('if-none-exist') ?? headers.get('if-match'),
          body: String(init?.body),
          status: null,
        }
      : null;
  if (write) writes.push(write);
  const response = await fetch(input, init);
  if (write) write.status = response.status;
  if (loseAnswerOf && method === 'POST' && new URL(url).pathname.endsWith(`/${loseAnswerOf}`)) {
    loseAnswerOf = null;
    await response.arrayBuffer();
    throw new TypeError('fetch failed');
  }
  return response;
});

beforeAll(async () => {
  ehr = await startSandbox({ quiet: true });
  app = await startAppUnderTest({ fetch: recorder.fetch });
  browser = await launchChromium();
  systemBrowser = await SystemBrowser.open(browser);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(app.view.server.openUrl);
  await addConnection(page, {
    name: CONNECTION,
    fhirBaseUrl: ehr.fhirBaseUrl,
    writeKinds: ['vitals', 'notes', 'medication-orders'],
  });
  mkdirSync(shots, { recursive: true });
});

// A test that failed midway leaves no dialog over the next one.
afterEach(async () => {
  loseAnswerOf = null;
  if (await page.getByRole('dialog').isVisible()) {
    await page.keyboard.press('Escape');
    await page
      .getByRole('dialog')
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => undefined);
  }
});

afterAll(async () => {
  await systemBrowser?.close();
  await browser?.close();
  await app?.view.close();
  await ehr?.stop();
});

async function openChart(untick: string[] = []): Promise<void> {
  const row = connectionRow(page, CONNECTION);
  if ((await row.getAttribute('data-status')) === 'signed-in') {
    await row.getByTestId('sign-out').click();
    await waitForStatus(row, 'signed-out');
  }
  await signInThroughBrowser({
    app,
    page,
    systemBrowser,
    connectionName: CONNECTION,
    ehr,
    patientId: PATIENT,
    recorder,
    untick,
  });
  await row.getByTestId('open-connection').click();
  await page.locator(`[data-testid="patient-banner"][data-patient-id="${PATIENT}"]`).waitFor();
  for (const section of ['vitals', 'medications']) {
    await expect.poll(() => page.getByTestId(`tab-${section}`).getAttribute('data-state'), { timeout: 30_000 }).toBe('complete');
  }
}

const dialog = () => page.getByRole('dialog');
const step = () => dialog().getByTestId('write-step');

/** From the form to the review: returns the review's If-None-Exist or If-Match values, as the preview shows them. */
async function review(): Promise<string[]> {
  await dialog().getByTestId('write-review').click();
  await step().and(page.locator('[data-step="reviewing"]')).waitFor();
  await dialog().getByTestId('write-requests').locator('summary').click();
  const lines = await dialog().getByTestId('write-requests').locator('code.line').allTextContents();
  return lines.filter((line) => /^If-(None-Exist|Match): /.test(line)).map((line) => line.replace(/^[^:]+: /, ''));
}

async function confirmAndClose(): Promise<void> {
  await dialog().getByTestId('write-confirm').click();
  await dialog().getByTestId('write-done').waitFor();
  await dialog().getByTestId('write-close').click();
  await dialog().waitFor({ state: 'detached' });
}

async function searchEhr(query: string): Promise<Array<Record<string, unknown>>> {
  const { status, body } = await fhirGet(`${ehr.fhirBaseUrl}/${query}`, bearer);
  expect(status).toBe(200);
  return ((body.entry as Array<{ resource: Record<string, unknown> }> | undefined) ?? []).map((entry) => entry.resource);
}

const markedRows = (section: Locator) => section.locator('[data-testid="table-row"][data-from-chartdesk="true"]');

describe('writing to the EHR from the chart', () => {
  it('records a set of vitals, in °F and lb, and sees them in the chart at once, marked', async () => {
    await openChart();
    await page.getByTestId('write-action-record-vitals').click();
    await dialog().getByLabel('Systolic', { exact: true }).fill('128');
    await dialog().getByLabel('Diastolic', { exact: true }).fill('84');
    await dialog().getByLabel('Heart rate', { exact: true }).fill('72');
    await dialog().getByLabel('Respiratory rate', { exact: true }).fill('16');
    await dialog().getByTestId('unit-temperature').selectOption('[degF]');
    await dialog().getByLabel('Body temperature', { exact: true }).fill('98.6');
    await dialog().getByLabel('Oxygen saturation (SpO2)', { exact: true }).fill('97');
    await dialog().getByTestId('unit-weight').selectOption('[lb_av]');
    await dialog().getByLabel('Body weight', { exact: true }).fill('154');
    await dialog().getByLabel('Body height', { exact: true }).fill('165');
    // An implausible value is stopped beside its field before anything is sent.
    await dialog().getByLabel('Heart rate', { exact: true }).fill('720');
    await dialog().getByTestId('write-review').click();
    expect(await dialog().getByTestId('vitals-error-heart-rate').textContent()).toMatch(/not plausible/);
    await page.screenshot({ path: path.join(shots, 'write-vitals-implausible.png') });
    await dialog().getByLabel('Heart rate', { exact: true }).fill('72');
    const before = writes.length;

    const conditions = await review();
    expect(conditions).toHaveLength(7);
    expect(conditions.every((condition) => condition.startsWith('identifier='))).toBe(true);
    expect(await dialog().getByTestId('write-preview').textContent()).toContain('Amelia');
    await page.screenshot({ path: path.join(shots, 'write-vitals-confirm.png') });
    expect(writes).toHaveLength(before);
    await confirmAndClose();
    expect(writes.slice(before).map((write) => write.method)).toEqual(Array(7).fill('POST'));

    await page.getByTestId('tab-vitals').click();
    const vitals = page.getByTestId('section-vitals');
    await expect.poll(() => markedRows(vitals).count(), { timeout: 15_000 }).toBe(7);
    expect(await vitals.getByTestId('vital-from-chartdesk').count()).toBeGreaterThan(0);
    // "mmHg" as written and "mm[Hg]" as the EHR's older readings spell it: one blood-pressure trend.
    const pressure = vitals.getByTestId('vital-blood-pressure').getByTestId('trend-chart');
    expect(Number(await pressure.getAttribute('data-points'))).toBeGreaterThan(1);
    await page.screenshot({ path: path.join(shots, 'write-vitals-in-chart.png'), fullPage: true });

    // The EHR holds them as US Core vitals, in the units entered: read back with the session's own token.
    const temperatures = await searchEhr(`Observation?patient=${PATIENT}&code=http://loinc.org|8310-5&_count=100`);
    const ours = temperatures.filter((resource) => JSON.stringify(resource.identifier ?? []).includes('urn:uuid:'));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.valueQuantity).toMatchObject({ value: 98.6, system: 'http://unitsofmeasure.org', code: '[degF]' });
  });

  it('writes a note, seen in the notes at once, that the EHR holds as a US Core text/plain clinical note', async () => {
    await page.getByTestId('write-action-write-note').click();
    const before = writes.length;
    await dialog().getByLabel('Type', { exact: true }).selectOption({ label: 'Progress note' });
    await dialog()
      .getByLabel('Note', { exact: true })
      .fill('Seen for blood pressure follow-up. Home readings 125-135/80-85. Continue current plan.');
    await review();
    await page.screenshot({ path: path.join(shots, 'write-note-confirm.png') });
    await dialog().getByTestId('write-confirm').click();
    expect(await dialog().getByTestId('write-stored').textContent()).toMatch(/DocumentReference\/[\w-]+, version 1/);
    await dialog().getByTestId('write-close').click();

    // In the chart at once, marked; and the EHR stored what was shown: the request as sent, and its 201.
    await page.getByTestId('tab-notes').click();
    const notes = page.getByTestId('section-notes');
    await expect.poll(() => markedRows(notes).count(), { timeout: 15_000 }).toBe(1);
    expect(await markedRows(notes).first().textContent()).toContain('Progress note');
    await page.screenshot({ path: path.join(shots, 'write-note-in-chart.png'), fullPage: true });
    const sent = writes.slice(before);
    expect(sent.map((write) => [write.method, new URL(write.url).pathname.split('/').pop(), write.status])).toEqual([
      ['POST', 'DocumentReference', 201],
    ]);
    const note = JSON.parse(sent[0]?.body ?? '{}') as {
      subject: unknown;
      content: Array<{ attachment: { contentType: string; data: string } }>;
    };
    expect(note.subject).toEqual({ reference: `Patient/${PATIENT}` });
    const attachment = note.content[0]?.attachment;
    expect(attachment?.contentType).toMatch(/^text\/plain/);
    expect(Buffer.from(attachment?.data ?? '', 'base64').toString('utf8')).toContain('Seen for blood pressure follow-up.');
  });

  it('discontinues an active order: sent with If-Match, shown stopped and marked at once', async () => {
    await page.getByTestId('tab-medications').click();
    await page.getByTestId('write-action-discontinue-medication').click();
    await dialog()
      .getByRole('radio', { name: /lisinopril/ })
      .check();
    await dialog()
      .getByLabel(/Reason/)
      .fill('Dry cough');
    const conditions = await review();
    expect(conditions).toEqual(['W/"1"']);
    await page.screenshot({ path: path.join(shots, 'write-discontinue-confirm.png') });
    await confirmAndClose();

    const medications = page.getByTestId('section-medications');
    // The list opens on active medications: the stopped order is under "All".
    await medications.getByTestId('medication-filter-all').check();
    await expect.poll(() => markedRows(medications).count(), { timeout: 15_000 }).toBe(1);
    expect(await markedRows(medications).first().textContent()).toMatch(/lisinopril.*stopped/i);
    await page.screenshot({ path: path.join(shots, 'write-discontinue-in-chart.png'), fullPage: true });
    const stored = await fhirGet(`${ehr.fhirBaseUrl}/MedicationRequest/${PATIENT}-medreq-lisinopril`, bearer);
    expect(stored.body).toMatchObject({ status: 'stopped', meta: { versionId: '2' } });
  });

  it('an order changed by someone else meanwhile gets the conflict screen, and is not overwritten', async () => {
    await page.getByTestId('write-action-discontinue-medication').click();
    await dialog()
      .getByRole('radio', { name: /metformin/ })
      .check();
    expect(await review()).toEqual(['W/"1"']);

    // Another clinician changes the order at the EHR between the review and the confirmation.
    const url = `${ehr.fhirBaseUrl}/MedicationRequest/${PATIENT}-medreq-metformin`;
    const current = (await fhirGet(url, bearer)).body;
    const changed = { ...current, dosageInstruction: [{ text: 'Take 2 tablets by mouth twice daily with meals' }] };
    expect((await fhirSend('PUT', url, bearer, changed, { 'If-Match': 'W/"1"' })).status).toBe(200);

    await dialog().getByTestId('write-confirm').click();
    const conflict = dialog().getByTestId('write-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Nothing was changed by ChartDesk.');
    expect(await conflict.getByTestId('conflict-differences').textContent()).toContain('Take 2 tablets by mouth twice daily');
    await page.screenshot({ path: path.join(shots, 'write-conflict.png') });
    expect(await dialog().getByTestId('write-confirm').count()).toBe(0);
    await dialog().getByTestId('write-close').click();

    const stored = (await fhirGet(url, bearer)).body;
    expect(stored).toMatchObject({ status: 'active', meta: { versionId: '2' } });
    // The chart shows the order as it now is.
    const row = page.getByTestId('section-medications').getByTestId('table-row').filter({ hasText: 'metformin' });
    expect(await row.textContent()).toContain('Take 2 tablets by mouth twice daily');
  });

  it('proposes a medication from the EHR’s search, warned of the recorded penicillin allergy', async () => {
    await page.getByTestId('write-action-propose-medication').click();
    await dialog().getByLabel('Medication', { exact: true }).fill('penicillin');
    await dialog().getByTestId('propose-search').click();
    await dialog()
      .getByRole('radio', { name: /Penicillin V Potassium 250 MG Oral Tablet/ })
      .check();
    await dialog().getByLabel('Dose', { exact: true }).fill('250');
    await dialog().getByLabel('Dose unit').selectOption('mg');
    await dialog().getByLabel('Instructions (sig)').fill('1 tablet by mouth four times a day for 10 days');
    await review();
    expect(await dialog().getByTestId('write-warnings').textContent()).toMatch(/allergy "Allergy to penicillin" matches/i);
    await page.screenshot({ path: path.join(shots, 'write-propose-allergy-warning.png') });
    await confirmAndClose();
    const medications = page.getByTestId('section-medications');
    await expect.poll(() => markedRows(medications).filter({ hasText: 'Penicillin V' }).count(), { timeout: 15_000 }).toBe(1);
    const orders = await searchEhr(`MedicationRequest?patient=${PATIENT}&_count=100`);
    const proposals = orders.filter((order) => order.intent === 'proposal');
    expect(proposals).toHaveLength(1);
    expect(JSON.stringify(proposals[0]?.medicationCodeableConcept)).toContain('834061');
  });

  it('a write whose answer is lost keeps its draft, and Retry leaves exactly one resource in the EHR', async () => {
    await page.getByTestId('tab-vitals').click();
    await page.getByTestId('write-action-record-vitals').click();
    await dialog().getByLabel('Heart rate', { exact: true }).fill('81');
    const [condition] = await review();
    expect(condition).toMatch(/^identifier=/);
    const before = writes.length;
    loseAnswerOf = 'Observation';
    await dialog().getByTestId('write-confirm').click();
    const failure = dialog().getByTestId('write-failure');
    await failure.waitFor();
    expect(await failure.textContent()).toMatch(/could not be reached|dropped the connection/);
    await page.screenshot({ path: path.join(shots, 'write-network-failure.png') });

    // Closed, the draft is listed with the chart; Retry from there sends the same draft.
    await dialog().getByTestId('write-keep').click();
    const draft = page.getByTestId('write-draft-item');
    await draft.waitFor();
    expect(await draft.textContent()).toContain('Heart rate');
    await page.screenshot({ path: path.join(shots, 'write-draft-kept.png') });
    await draft.getByTestId('draft-retry').click();
    await dialog().getByTestId('write-retry').click();
    await dialog().getByTestId('write-done').waitFor();
    await dialog().getByTestId('write-close').click();
    await page.getByTestId('write-drafts').waitFor({ state: 'detached' });

    // The first POST reached the EHR (its answer was lost); the second found it by its identifier.
    expect(writes.slice(before)).toEqual([
      expect.objectContaining({ method: 'POST', condition }),
      expect.objectContaining({ method: 'POST', condition }),
    ]);
    const found = await searchEhr(`Observation?${condition ?? ''}`);
    expect(found).toHaveLength(1);
    expect(found[0]?.valueQuantity).toMatchObject({ value: 81 });
    const heartRates = await searchEhr(
      `Observation?patient=${PATIENT}&code=http://loinc.org|8867-4&value-quantity=81&_count=100`,
    );
    expect(heartRates.filter((resource) => (resource.valueQuantity as { value?: number }).value === 81)).toHaveLength(1);
  });

  it('a write the EHR did not grant is not offered, and the chart says why', async () => {
    await openChart(['patient/MedicationRequest.cu']);
    const row = connectionRow(page, CONNECTION);
    expect(await row.getByTestId('write-refused').textContent()).toMatch(/propose a medication, discontinue a medication/);
    await page.getByTestId('write-action-record-vitals').waitFor();
    expect(await page.getByTestId('write-action-discontinue-medication').count()).toBe(0);
    expect(await page.getByTestId('write-action-propose-medication').count()).toBe(0);
    const why = page.getByTestId('write-unavailable-discontinue-medication');
    expect(await why.textContent()).toMatch(/did not grant ChartDesk permission to update MedicationRequest/);
    await page.screenshot({ path: path.join(shots, 'write-not-granted.png') });
    // A new session reads the chart again from the EHR: what was written from ChartDesk is still marked so.
    await page.getByTestId('tab-vitals').click();
    await expect.poll(() => markedRows(page.getByTestId('section-vitals')).count(), { timeout: 15_000 }).toBe(8);
    await page.getByTestId('tab-notes').click();
    await expect.poll(() => markedRows(page.getByTestId('section-notes')).count(), { timeout: 15_000 }).toBe(1);
  });

  it('let no token reach the renderer, the log or the user-data files', () => {
    expect(recorder.secrets.size).toBeGreaterThanOrEqual(8);
    expect(secretLeaks(app, recorder)).toEqual([]);
  });
});
