import { describe, expect, it } from 'vitest';
import type { LoadOutcome, LoadTiming } from './load-types';
import type { RequestRecord } from './request-log';
import type { ScenarioRuns } from './scenario';
import type { Subject } from './subjects';
import { summarizeScenario } from './summary';

const BASE = 'http://127.0.0.1:9000/fhir';
const page = (offset: number, serverMs: number): RequestRecord => ({
  method: 'GET',
  url: `${BASE}/Observation?patient=p&_count=10${offset ? `&_offset=${offset}` : ''}`,
  status: 200,
  startedMs: offset,
  headersMs: offset + serverMs,
  serverMs,
  bytes: 1000,
});

function outcome(fullChartMs: number, firstDataMs: number, chainServerMs: number): LoadOutcome {
  const timing: LoadTiming = { bannerMs: 1, firstDataMs, fullChartMs, rows: { vitals: 20 }, errors: [] };
  const requests = [page(0, chainServerMs / 2), page(10, chainServerMs / 2)];
  const memory = { baselineRssBytes: 100, peakRssBytes: 400, retainedRssBytes: 50 };
  return { cold: { ...timing, requests, memory }, warm: { ...timing, requests } };
}

describe('a scenario summary', () => {
  it('takes medians per client and ratios per pair of back-to-back runs', () => {
    const scenario: ScenarioRuns = {
      subject: { name: 'big10k', observations: 20 } as unknown as Subject,
      delayMs: 20,
      runs: {
        // Pairs differ in speed (the third ran on a busy machine): the median of per-pair ratios is 0.5, the ratio of medians would be 150 / 220.
        chartdesk: [outcome(100, 10, 80), outcome(150, 15, 80), outcome(400, 40, 320)],
        fhirclient: [outcome(200, 200, 80), outcome(220, 220, 80), outcome(800, 800, 320)],
      },
    };
    const summary = summarizeScenario(scenario);
    expect(summary.chartdesk.fullChartMs).toBe(150);
    expect(summary.fhirclient.fullChartMs).toBe(220);
    expect(summary.ratios.fullChartVsFhirclient).toBe(0.5);
    expect(summary.ratios.fullChartVsServerLimit).toBe(1.25);
    expect(summary.ratios.firstDataVsFullChart).toBe(0.1);
    expect(summary.serverLimitMs).toBe(80);
    expect(summary.criticalChain).toEqual({ search: '/fhir/Observation?patient=p', requests: 2 });
    expect(summary.chartdesk.peakRssGrowthBytes).toBe(300);
    expect(summary.chartdesk.requests).toBe(2);
    expect(summary.rawJsonBytes).toBe(2000);
  });
});
