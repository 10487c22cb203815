/** Medians and ratios of a scenario's runs. Ratios are taken per round of back-to-back runs, then their median. */
import { criticalPath, fanOutDelayMs, pageGapsMs, serverLimit, type ServerLimit } from './critical-path';
import { CLIENT_NAMES, type ClientName, type LoadOutcome } from './load-types';
import type { RequestRecord } from './request-log';
import type { ScenarioRuns } from './scenario';
import { median, ratio } from './stats';

/** The sandbox answers on one thread (Node's event loop; better-sqlite3 is synchronous). */
export const SERVER_THREADS = 1;

export interface ClientSummary {
  firstDataMs: number | null;
  fullChartMs: number;
  bannerMs: number;
  /** Every vitals and labs row of the last 365 days delivered (ChartDesk only). */
  recentMs: number | null;
  /** Full chart in a fresh process (cold JIT and connections). */
  coldFullChartMs: number;
  requests: number;
  bytes: number;
  /** The server's CPU time for one load of this client (the sandbox process's, see ScenarioRuns). */
  serverCpuMs: number;
  /** Requests the server refused with 429 (over both loads of a run). */
  throttled: number;
  /** Peak RSS over the baseline during the cold load. */
  peakRssGrowthBytes: number;
  retainedRssBytes: number;
  /** Median client time between two pages of the critical chain (headers of one to the request for the next). */
  pageGapMs: number | null;
  /** From the first request to the first request of another search. */
  fanOutMs: number | null;
  rows: Record<string, number>;
  errors: string[];
}

export interface ScenarioSummary {
  patient: string;
  observations: number | null;
  delayMs: number;
  maxInFlight: number | null;
  runs: number;
  /** What the server allows ChartDesk's requests at best (medians over its runs). */
  serverLimit: ServerLimit;
  criticalChain: { search: string; requests: number };
  /** The longest chain of fhirclient's own requests: its floor, as it follows next links one after the other. */
  fhirclientChainMs: number;
  /** Bytes of FHIR JSON ChartDesk received for the whole chart. */
  rawJsonBytes: number;
  clients: Record<ClientName, ClientSummary>;
  ratios: {
    fullChartVsFhirclient: number | null;
    fullChartVsServerLimit: number | null;
    firstDataVsFullChart: number | null;
    /** ChartDesk's first rows ÷ fhirclient's first page handed to `onPage`. */
    firstDataVsFhirclientOnPage: number | null;
    /** ChartDesk's time to every vitals and labs row of the last year ÷ fhirclient's full chart. */
    recentVsFhirclient: number | null;
    requestsVsFhirclient: number | null;
    serverCpuVsFhirclient: number | null;
  };
}

export type RatioName = keyof ScenarioSummary['ratios'];

const bytesOf = (requests: readonly RequestRecord[]) => requests.reduce((sum, r) => sum + (r.bytes ?? 0), 0);

function nullableMedian(values: Array<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === values.length ? median(known) : null;
}

/** Median of a per-round ratio; null when any round has no value. */
function pairedRatio(values: Array<[number | null, number | null]>): number | null {
  return nullableMedian(values.map(([a, b]) => (a === null || b === null ? null : ratio(a, b))));
}

export function summarizeClient(
  outcomes: readonly LoadOutcome[],
  measured: { throttled: readonly number[]; serverCpuMs: readonly number[] },
  criticalKey: string,
): ClientSummary {
  const first = outcomes[0];
  if (!first) throw new Error('a scenario without runs');
  const gaps = outcomes.flatMap((o) => pageGapsMs(o.warm.requests, criticalKey));
  return {
    firstDataMs: nullableMedian(outcomes.map((o) => o.warm.firstDataMs)),
    fullChartMs: median(outcomes.map((o) => o.warm.fullChartMs)),
    bannerMs: median(outcomes.map((o) => o.warm.bannerMs)),
    recentMs: nullableMedian(outcomes.map((o) => o.warm.recentMs)),
    coldFullChartMs: median(outcomes.map((o) => o.cold.fullChartMs)),
    requests: median(outcomes.map((o) => o.warm.requests.length)),
    bytes: median(outcomes.map((o) => bytesOf(o.warm.requests))),
    serverCpuMs: median(measured.serverCpuMs),
    throttled: median(measured.throttled),
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
  const onPage = scenario.runs['fhirclient-onpage'];
  const setting = { threads: SERVER_THREADS, maxInFlight: scenario.maxInFlight, latencyMs: scenario.delayMs };
  const cpu = scenario.serverCpuMs;
  const limits = chartdesk.map((o, i) => serverLimit(o.warm.requests, { ...setting, serverCpuMs: cpu.chartdesk[i] ?? 0 }));
  const longest = chartdesk[0] && criticalPath(chartdesk[0].warm.requests);
  if (!longest) throw new Error('a scenario without runs');
  const rounds = (pick: (i: number) => [number | null, number | null]) => chartdesk.map((_cd, i) => pick(i));
  const warm = (list: readonly LoadOutcome[], i: number) => {
    const outcome = list[i];
    if (!outcome) throw new Error(`run ${i} is missing for a client`);
    return outcome.warm;
  };
  const clients = Object.fromEntries(
    CLIENT_NAMES.map((name) => [
      name,
      summarizeClient(scenario.runs[name], { throttled: scenario.throttled[name], serverCpuMs: cpu[name] }, longest.key),
    ]),
  ) as Record<ClientName, ClientSummary>;
  return {
    patient: scenario.subject.name,
    observations: scenario.subject.observations,
    delayMs: scenario.delayMs,
    maxInFlight: scenario.maxInFlight,
    runs: chartdesk.length,
    serverLimit: {
      chainMs: median(limits.map((l) => l.chainMs)),
      workMs: median(limits.map((l) => l.workMs)),
      inFlightMs: median(limits.map((l) => l.inFlightMs)),
      limitMs: median(limits.map((l) => l.limitMs)),
    },
    criticalChain: { search: longest.key, requests: longest.requests },
    fhirclientChainMs: median(fhirclient.map((o) => criticalPath(o.warm.requests).serverMs)),
    rawJsonBytes: clients.chartdesk.bytes,
    clients,
    ratios: {
      fullChartVsFhirclient: pairedRatio(rounds((i) => [warm(chartdesk, i).fullChartMs, warm(fhirclient, i).fullChartMs])),
      fullChartVsServerLimit: pairedRatio(rounds((i) => [warm(chartdesk, i).fullChartMs, limits[i]?.limitMs ?? null])),
      firstDataVsFullChart: pairedRatio(rounds((i) => [warm(chartdesk, i).firstDataMs, warm(chartdesk, i).fullChartMs])),
      firstDataVsFhirclientOnPage: pairedRatio(rounds((i) => [warm(chartdesk, i).firstDataMs, warm(onPage, i).firstDataMs])),
      recentVsFhirclient: pairedRatio(rounds((i) => [warm(chartdesk, i).recentMs, warm(fhirclient, i).fullChartMs])),
      requestsVsFhirclient: pairedRatio(rounds((i) => [warm(chartdesk, i).requests.length, warm(fhirclient, i).requests.length])),
      serverCpuVsFhirclient: pairedRatio(rounds((i) => [cpu.chartdesk[i] ?? null, cpu.fhirclient[i] ?? null])),
    },
  };
}
