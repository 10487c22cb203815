import { describe, expect, it } from 'vitest';
import type { ClientName, LoadOutcome, LoadTiming } from './load-types';
import type { RequestRecord } from './request-log';
import { worst } from './results';
import { runOrder, type ScenarioRuns } from './scenario';
import type { Subject } from './subjects';
import { summarizeScenario, type ScenarioSummary } from './summary';

const BASE = 'http://127.0.0.1:9000/fhir';
const page = (cursor: number, serverMs: number): RequestRecord => ({
  method: 'GET',
  url: `${BASE}/Observation?patient=p&_count=10${cursor ? `&_cursor=${cursor}` : ''}`,
  status: 200,
  startedMs: cursor,
  headersMs: cursor + serverMs,
  serverMs,
  delayMs: 0,
  bytes: 1000,
});

function outcome(fullChartMs: number, firstDataMs: number, chainServerMs: number, recentMs: number | null = null): LoadOutcome {
  const timing: LoadTiming = { bannerMs: 1, firstDataMs, fullChartMs, recentMs, rows: { vitals: 20 }, errors: [] };
  const requests = [page(0, chainServerMs / 2), page(10, chainServerMs / 2)];
  const memory = { baselineRssBytes: 100, peakRssBytes: 400, retainedRssBytes: 50 };
  return { cold: { ...timing, requests, memory }, warm: { ...timing, requests } };
}

describe('a scenario summary', () => {
  it('takes medians per client and ratios per round of back-to-back runs', () => {
    const runs: Record<ClientName, LoadOutcome[]> = {
      // Rounds differ in speed (the third ran on a busy machine): the median of per-round ratios is 0.5, the ratio of medians would be 150 / 220.
      chartdesk: [outcome(100, 10, 80, 20), outcome(150, 15, 80, 30), outcome(400, 40, 320, 80)],
      fhirclient: [outcome(200, 200, 80), outcome(220, 220, 80), outcome(800, 800, 320)],
      'fhirclient-onpage': [outcome(210, 20, 80), outcome(230, 30, 80), outcome(800, 80, 320)],
    };
    const scenario: ScenarioRuns = {
      subject: { name: 'big10k', observations: 20 } as unknown as Subject,
      delayMs: 20,
      maxInFlight: 4,
      runs,
      throttled: { chartdesk: [0, 0, 0], fhirclient: [0, 1, 0], 'fhirclient-onpage': [0, 0, 0] },
      serverCpuMs: { chartdesk: [30, 40, 50], fhirclient: [60, 40, 50], 'fhirclient-onpage': [60, 80, 100] },
    };
    const summary = summarizeScenario(scenario);
    expect(summary.clients.chartdesk.fullChartMs).toBe(150);
    expect(summary.clients.fhirclient.fullChartMs).toBe(220);
    expect(summary.ratios.fullChartVsFhirclient).toBe(0.5);
    expect(summary.ratios.firstDataVsFullChart).toBe(0.1);
    expect(summary.ratios.firstDataVsFhirclientOnPage).toBe(0.5);
    expect(summary.ratios.recentVsFhirclient).toBe(0.1);
    expect(summary.ratios.requestsVsFhirclient).toBe(1);
    // Two requests, at most 4 in flight, 20 ms latency: one round; the chain (80 ms) is the limit.
    expect(summary.serverLimit).toEqual({ chainMs: 80, workMs: 40, inFlightMs: 20, limitMs: 80 });
    expect(summary.clients.fhirclient.serverCpuMs).toBe(50);
    expect(summary.ratios.serverCpuVsFhirclient).toBe(1);
    expect(summary.ratios.fullChartVsServerLimit).toBe(1.25);
    expect(summary.criticalChain).toEqual({ search: '/fhir/Observation?patient=p', requests: 2 });
    expect(summary.clients.chartdesk.peakRssGrowthBytes).toBe(300);
    expect(summary.clients.fhirclient.throttled).toBe(0);
    expect(summary.rawJsonBytes).toBe(2000);
  });

  it('runs every client first in turn, both ways round', () => {
    expect(runOrder(0)).toEqual(['chartdesk', 'fhirclient', 'fhirclient-onpage']);
    expect(runOrder(1)).toEqual(['fhirclient-onpage', 'fhirclient', 'chartdesk']);
    const orders = [0, 1, 2, 3, 4, 5].map((run) => runOrder(run).join(' '));
    expect(new Set(orders).size).toBe(6);
    expect(new Set([0, 1, 2].map((run) => runOrder(run)[0]))).toEqual(new Set(['chartdesk', 'fhirclient', 'fhirclient-onpage']));
  });

  it('reports each headline as the worst of the scenarios it names', () => {
    const scenario = (patient: string, delayMs: number, maxInFlight: number | null, value: number) =>
      ({ patient, delayMs, maxInFlight, ratios: { fullChartVsFhirclient: value } }) as unknown as ScenarioSummary;
    const scenarios = [
      scenario('synthea', 0, null, 3),
      scenario('synthea', 20, null, 0.9),
      scenario('synthea', 150, 4, 0.95),
      scenario('big10k', 150, null, 0.5),
      scenario('big10k', 150, 4, 0.4),
    ];
    expect(worst(scenarios, 'fullChartVsFhirclientOnePage')).toEqual({
      value: 0.95,
      scenario: 'synthea @ 150 ms, ≤ 4 in flight',
    });
    expect(worst(scenarios, 'fullChartVsFhirclient10k150')).toEqual({ value: 0.4, scenario: 'big10k @ 150 ms, ≤ 4 in flight' });
    expect(worst(scenarios, 'fullChartVsFhirclient50k150')).toEqual({ value: null, scenario: null });
  });
});
