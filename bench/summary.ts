/** Medians and ratios of a scenario's runs. Ratios are taken per pair of back-to-back runs, then their median. */
import { criticalPath, fanOutDelayMs, pageGapsMs } from './critical-path';
import type { ClientName, LoadOutcome } from './load-types';
import type { RequestRecord } from './request-log';
import type { ScenarioRuns } from './scenario';
import { median, ratio } from './stats';

export interface ClientSummary {
  firstDataMs: number | null;
  fullChartMs: number;
  bannerMs: number;
  /** Full chart in a fresh process (cold JIT and connections). */
  coldFullChartMs: number;
  requests: number;
  bytes: number;
  /** Peak RSS over the baseline during the cold load. */
  peakRssGrowthBytes: number;
  retainedRssBytes: number;
  /** Median client time between two pages of the critical chain (headers of one to the request for the next). */
  pageGapMs: number | null;
  /** From the first request to the first request of another search (ChartDesk reads the patient first). */
  fanOutMs: number | null;
  rows: Record<string, number>;
  errors: string[];
}

export interface ScenarioSummary {
  patient: string;
  observations: number | null;
  delayMs: number;
  runs: number;
  /** The server's own time along the longest chain of dependent requests of ChartDesk's load. */
  serverLimitMs: number;
  criticalChain: { search: string; requests: number };
  /** Sum of the server's times over all of ChartDesk's requests (they overlap; for context only). */
  serverTotalMs: number;
  /** Bytes of FHIR JSON ChartDesk received for the whole chart. */
  rawJsonBytes: number;
  chartdesk: ClientSummary;
  fhirclient: ClientSummary;
  ratios: { fullChartVsFhirclient: number | null; fullChartVsServerLimit: number | null; firstDataVsFullChart: number | null };
}

const bytesOf = (requests: readonly RequestRecord[]) => requests.reduce((sum, r) => sum + (r.bytes ?? 0), 0);

function nullableMedian(values: Array<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === values.length ? median(known) : null;
}

/** Median of a per-run ratio; null when any run has no value. */
function pairedRatio(values: Array<[number | null, number | null]>): number | null {
  const ratios = values.map(([a, b]) => (a === null || b === null ? null : ratio(a, b)));
  return nullableMedian(ratios);
}

export function summarizeClient(outcomes: readonly LoadOutcome[], criticalKey: string): ClientSummary {
  const first = outcomes[0];
  if (!first) throw new Error('a scenario without runs');
  const gaps = outcomes.flatMap((o) => pageGapsMs(o.warm.requests, criticalKey));
  return {
    firstDataMs: nullableMedian(outcomes.map((o) => o.warm.firstDataMs)),
    fullChartMs: median(outcomes.map((o) => o.warm.fullChartMs)),
    bannerMs: median(outcomes.map((o) => o.warm.bannerMs)),
    coldFullChartMs: median(outcomes.map((o) => o.cold.fullChartMs)),
    requests: median(outcomes.map((o) => o.warm.requests.length)),
    bytes: median(outcomes.map((o) => bytesOf(o.warm.requests))),
    peakRssGrowthBytes: median(outcomes.map((o) => o.cold.memory.peakRssBytes - o.cold.memory.baselineRssBytes)),
    retainedRssBytes: median(outcomes.map((o) => o.cold.memory.retainedRssBytes)),
    pageGapMs: gaps.length > 0 ? median(gaps) : null,
    fanOutMs: nullableMedian(outcomes.map((o) => fanOutDelayMs(o.warm.requests))),
    rows: first.warm.rows,
    errors: [...new Set(outcomes.flatMap((o) => [...o.cold.errors, ...o.warm.errors]))],
  };
}

export function summarizeScenario(scenario: ScenarioRuns): ScenarioSummary {
  const { chartdesk, fhirclient } = scenario.runs;
  const limits = chartdesk.map((o) => criticalPath(o.warm.requests));
  const longest = limits[0];
  if (!longest) throw new Error('a scenario without runs');
  const pairs = (pick: (cd: LoadOutcome, fc: LoadOutcome, i: number) => [number | null, number | null]) =>
    chartdesk.map((cd, i) => pick(cd, fhirclient[i] as LoadOutcome, i));
  const clients: Record<ClientName, ClientSummary> = {
    chartdesk: summarizeClient(chartdesk, longest.key),
    fhirclient: summarizeClient(fhirclient, longest.key),
  };
  return {
    patient: scenario.subject.name,
    observations: scenario.subject.observations,
    delayMs: scenario.delayMs,
    runs: chartdesk.length,
    serverLimitMs: median(limits.map((l) => l.serverMs)),
    criticalChain: { search: longest.key, requests: longest.requests },
    serverTotalMs: median(chartdesk.map((o) => o.warm.requests.reduce((sum, r) => sum + (r.serverMs ?? 0), 0))),
    rawJsonBytes: clients.chartdesk.bytes,
    ...clients,
    ratios: {
      fullChartVsFhirclient: pairedRatio(pairs((cd, fc) => [cd.warm.fullChartMs, fc.warm.fullChartMs])),
      fullChartVsServerLimit: pairedRatio(pairs((cd, _fc, i) => [cd.warm.fullChartMs, limits[i]?.serverMs ?? null])),
      firstDataVsFullChart: pairedRatio(pairs((cd) => [cd.warm.firstDataMs, cd.warm.fullChartMs])),
    },
  };
}
