/**
 * The chart loader against the sandbox EHR at scale: keyset pages, `_sort=-date`, date windows and an
 * in-flight limit that answers 429 with Retry-After, as an EHR gateway does.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ObservationRow } from '../../common/chart';
import { CHART_SECTION_IDS } from '../../common/sessions';
import { BIG_PATIENT_ID } from '../../sandbox/data/big';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { tokenFor } from '../../sandbox/testing/oauth-driver';
import { sandboxChartService } from './testing/sandbox-chart';

const OBSERVATIONS = 4000;
let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ bigObservations: OBSERVATIONS, autoApprove: true, quiet: true, maxParallel: 4 });
  token = (await tokenFor(sandbox.fhirBaseUrl, 'user/*.rs')).tokens.access_token;
});
afterAll(() => sandbox.stop());

async function openBigChart(maxRequestsInFlight: number, pageSize = 500) {
  const { service, pages, urls, log } = sandboxChartService(sandbox.fhirBaseUrl, token, { pageSize, maxRequestsInFlight });
  const throttledBefore = sandbox.stats().throttled;
  await service.open({ connectionId: 'sandbox', patientId: BIG_PATIENT_ID });
  await vi.waitFor(() => expect(pages.filter((page) => page.done)).toHaveLength(CHART_SECTION_IDS.length), {
    timeout: 30_000,
    interval: 10,
  });
  const vitals = pages.filter((page) => page.section === 'vitals');
  return { pages, vitals, log, urls, throttled: sandbox.stats().throttled - throttledBefore };
}

describe('a 4,000-observation chart from the sandbox, which allows 4 requests in flight', () => {
  it('keeps to the limit (no 429), shows the newest page first and then every observation once, through date windows', async () => {
    const { vitals, log, urls, throttled } = await openBigChart(4);
    expect(throttled).toBe(0);
    // The newest page, then (4,000 − 500) ÷ (0.8 × 500) windows; no page goes deeper than its window's first.
    expect(urls.filter((url) => url.includes('category=vital-signs') && url.includes('date=lt'))).toHaveLength(9);
    expect(urls.filter((url) => url.includes('category=vital-signs') && url.includes('_cursor'))).toEqual([]);
    const rows = vitals.flatMap((page) => page.rows as ObservationRow[]);
    expect(rows).toHaveLength(OBSERVATIONS);
    expect(new Set(rows.map((row) => row.id)).size).toBe(OBSERVATIONS);
    const [first] = vitals;
    const newest = [...rows].sort((a, b) => (b.effective ?? '').localeCompare(a.effective ?? '')).slice(0, 500);
    expect(first?.rows.map((row) => row.id).sort()).toEqual(newest.map((row) => row.id).sort());
    expect(first?.newestSince).toBe(newest.at(-1)?.effective?.replace(/\.\d{3}Z$/, 'Z'));
    expect(vitals.every((page) => page.state !== 'error')).toBe(true);
    expect(log.lines.filter((line) => line.event === 'chart.windows.fallback')).toEqual([]);
  });

  it('rides out the 429s of a limit set too high: Retry-After honoured, nothing lost', async () => {
    sandbox.setFaults({ delayMs: 60 });
    try {
      const { vitals, pages, log, throttled } = await openBigChart(8);
      expect(throttled).toBeGreaterThan(0);
      expect(log.lines.some((line) => line.event === 'fhir.retry' && line.fields?.reason === '429')).toBe(true);
      expect(vitals.flatMap((page) => page.rows)).toHaveLength(OBSERVATIONS);
      expect(pages.filter((page) => page.state === 'error')).toEqual([]);
    } finally {
      sandbox.setFaults(null);
    }
  });

  it('sends the windows of the last year ahead of the other sections, and the older windows after them', async () => {
    // Each request takes 100 ms, one at a time: a window is planned long before the slot it waits for is free.
    sandbox.setFaults({ delayMs: 100 });
    try {
      const { urls, vitals } = await openBigChart(1, 200);
      expect(vitals.flatMap((page) => page.rows)).toHaveLength(OBSERVATIONS);
      const yearAgo = Date.now() - 365 * 86_400_000;
      const windows = urls
        .map((url, index) => ({ index, before: /category=vital-signs.*date=lt([^&]+)/.exec(url)?.[1] }))
        .filter((item): item is { index: number; before: string } => item.before !== undefined);
      const newest = windows.filter((item) => Date.parse(item.before) > yearAgo);
      const older = windows.filter((item) => Date.parse(item.before) <= yearAgo);
      expect(newest.length).toBeGreaterThan(0);
      expect(older.length).toBeGreaterThan(newest.length);
      const searchOf = (type: string) => urls.findIndex((url) => url.includes(`/${type}?`));
      expect(Math.max(...newest.map((item) => item.index))).toBeLessThan(searchOf('AllergyIntolerance'));
      expect(Math.min(...older.map((item) => item.index))).toBeGreaterThan(searchOf('Procedure'));
    } finally {
      sandbox.setFaults(null);
    }
  });
});
