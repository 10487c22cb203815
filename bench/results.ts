/** bench/results.json: the headline figures, every scenario, and the goals they are held to. */
import os from 'node:os';
import type { BundleFigures } from './bundle-size';
import type { RendererFigures } from './renderer-bench';
import type { SignInTiming } from './sign-in';
import { median, ratio } from './stats';
import type { RatioName, ScenarioSummary } from './summary';

export interface Headline {
  /** The worst value over the scenarios the key covers. */
  value: number | null;
  scenario: string | null;
}

/** Each headline ratio: which scenario ratio it takes, over which scenarios (the worst of them). */
const HEADLINES = {
  fullChartVsFhirclient10k150: { ratio: 'fullChartVsFhirclient', of: { patient: 'big10k', delayMs: 150, maxInFlight: 4 } },
  fullChartVsFhirclient50k150: { ratio: 'fullChartVsFhirclient', of: { patient: 'big50k', delayMs: 150, maxInFlight: 4 } },
  recentVsFhirclient10k150: { ratio: 'recentVsFhirclient', of: { patient: 'big10k', delayMs: 150 } },
  fullChartVsFhirclientOnePage: { ratio: 'fullChartVsFhirclient', of: { patient: 'synthea', delayMs: [20, 150] } },
  requestsVsFhirclient: { ratio: 'requestsVsFhirclient', of: { patient: ['big10k', 'big50k'] } },
  fullChartVsFhirclient: { ratio: 'fullChartVsFhirclient', of: {} },
  fullChartVsServerLimit: { ratio: 'fullChartVsServerLimit', of: {} },
  firstDataVsFullChart: { ratio: 'firstDataVsFullChart', of: { patient: ['big10k', 'big50k'] } },
  serverCpuVsFhirclient: { ratio: 'serverCpuVsFhirclient', of: { patient: ['big10k', 'big50k'] } },
} satisfies Record<string, { ratio: RatioName; of: ScenarioFilter }>;

export type HeadlineName = keyof typeof HEADLINES;

interface ScenarioFilter {
  patient?: string | string[];
  delayMs?: number | number[];
  maxInFlight?: number | null;
}

export interface BenchResults {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    platform: string;
    chromium: string;
    /** 1-minute load average when the bench started and ended: other work on the machine shares its cores. */
    loadAverage: { start: number; end: number };
  };
  options: { runs: number; pageSize: number; delaysMs: number[]; maxInFlight: number; big: boolean };
  /** Paired ratios (median over rounds), each the worst over the scenarios its name covers. */
  ratios: Record<HeadlineName | 'signInVsServer', number | null>;
  worstScenario: Record<HeadlineName, string | null>;
  signIn: { clientMs: number; discoveryMs: number; exchangeMs: number; serverMs: number; requests: number; samples: number };
  scenarios: ScenarioSummary[];
  renderer: RendererFigures & {
    /** JavaScript loaded at start-up, gzipped; what loads on demand only (the PDF viewer) is `lazyBundleGzipBytes`. */
    bundleGzipBytes: number;
    bundleBytes: number;
    lazyBundleGzipBytes: number;
    cssGzipBytes: number;
  };
  memory: {
    mainRssOverRawJson50k: number | null;
    mainRssOverRawJson10k: number | null;
    peakRssGrowth50kBytes: number | null;
    rawJson50kBytes: number | null;
  };
  goals: Goal[];
}

export interface Goal {
  figure: string;
  goal: string;
  limit: number;
  measured: number | null;
  met: boolean | null;
}

export const scenarioLabel = (s: Pick<ScenarioSummary, 'patient' | 'delayMs' | 'maxInFlight'>) =>
  `${s.patient} @ ${s.delayMs} ms${s.maxInFlight === null ? '' : `, ≤ ${s.maxInFlight} in flight`}`;

const within = <T>(wanted: T | T[] | undefined, value: T) =>
  wanted === undefined || (Array.isArray(wanted) ? wanted.includes(value) : wanted === value);

function covers(filter: ScenarioFilter, scenario: ScenarioSummary): boolean {
  return (
    within(filter.patient, scenario.patient) &&
    within(filter.delayMs, scenario.delayMs) &&
    (filter.maxInFlight === undefined || filter.maxInFlight === scenario.maxInFlight)
  );
}

export function worst(scenarios: readonly ScenarioSummary[], name: HeadlineName): Headline {
  const { ratio: which, of } = HEADLINES[name];
  let found: Headline = { value: null, scenario: null };
  for (const scenario of scenarios.filter((s) => covers(of, s))) {
    const value = scenario.ratios[which];
    if (value !== null && (found.value === null || value > found.value)) found = { value, scenario: scenarioLabel(scenario) };
  }
  return found;
}

/** Peak main-process RSS growth of ChartDesk's load over the JSON it received, over every scenario of one patient. */
function memoryOverJson(
  scenarios: readonly ScenarioSummary[],
  patient: string,
): { ratio: number | null; peak: number | null; json: number | null } {
  const own = scenarios.filter((s) => s.patient === patient);
  if (own.length === 0) return { ratio: null, peak: null, json: null };
  const peak = median(own.map((s) => s.clients.chartdesk.peakRssGrowthBytes));
  const json = median(own.map((s) => s.rawJsonBytes));
  return { ratio: ratio(peak, json), peak, json };
}

const goal = (figure: string, text: string, limit: number, measured: number | null): Goal => ({
  figure,
  goal: text,
  limit,
  measured: measured === null ? null : Math.round(measured * 1000) / 1000,
  met: measured === null ? null : measured <= limit,
});

export function assembleResults(input: {
  options: BenchResults['options'];
  loadAverageAtStart: number;
  scenarios: ScenarioSummary[];
  signIns: SignInTiming[];
  renderer: RendererFigures;
  bundle: BundleFigures;
}): BenchResults {
  const { scenarios, signIns } = input;
  const names = Object.keys(HEADLINES) as HeadlineName[];
  const headlines = Object.fromEntries(names.map((name) => [name, worst(scenarios, name)])) as Record<HeadlineName, Headline>;
  const signInVsServer = median(signIns.map((s) => ratio(s.clientMs, s.serverMs) ?? Number.NaN));
  const big = memoryOverJson(scenarios, 'big50k');
  const ten = memoryOverJson(scenarios, 'big10k');
  const renderer = {
    ...input.renderer,
    bundleGzipBytes: input.bundle.jsGzipBytes,
    bundleBytes: input.bundle.jsBytes,
    lazyBundleGzipBytes: input.bundle.lazyJsGzipBytes,
    cssGzipBytes: input.bundle.cssGzipBytes,
  };
  const cpus = os.cpus();
  const value = (name: HeadlineName) => headlines[name].value;
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      chromium: input.renderer.chromium,
      loadAverage: { start: input.loadAverageAtStart, end: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
    },
    options: input.options,
    ratios: {
      ...(Object.fromEntries(names.map((name) => [name, value(name)])) as Record<HeadlineName, number | null>),
      signInVsServer: Number.isFinite(signInVsServer) ? Math.round(signInVsServer * 1000) / 1000 : null,
    },
    worstScenario: Object.fromEntries(names.map((name) => [name, headlines[name].scenario])) as Record<
      HeadlineName,
      string | null
    >,
    signIn: {
      clientMs: median(signIns.map((s) => s.clientMs)),
      discoveryMs: median(signIns.map((s) => s.discoveryMs)),
      exchangeMs: median(signIns.map((s) => s.exchangeMs)),
      serverMs: median(signIns.map((s) => s.serverMs)),
      requests: median(signIns.map((s) => s.requests)),
      samples: signIns.length,
    },
    scenarios,
    renderer,
    memory: {
      mainRssOverRawJson50k: big.ratio,
      mainRssOverRawJson10k: ten.ratio,
      peakRssGrowth50kBytes: big.peak,
      rawJson50kBytes: big.json,
    },
    goals: [
      goal(
        'ratios.fullChartVsFhirclient10k150',
        'full chart ≤ 0.45 × fhirclient (10,000 observations, 150 ms, ≤ 4 in flight)',
        0.45,
        value('fullChartVsFhirclient10k150'),
      ),
      goal(
        'ratios.fullChartVsFhirclient50k150',
        'full chart ≤ 0.25 × fhirclient (50,000 observations, 150 ms, ≤ 4 in flight)',
        0.25,
        value('fullChartVsFhirclient50k150'),
      ),
      goal(
        'ratios.recentVsFhirclient10k150',
        "last year's vitals and labs ≤ 0.1 × fhirclient's full chart (10,000, 150 ms)",
        0.1,
        value('recentVsFhirclient10k150'),
      ),
      goal(
        'ratios.fullChartVsFhirclientOnePage',
        'one-page chart ≤ 1.0 × fhirclient (Synthea, 20 and 150 ms)',
        1,
        value('fullChartVsFhirclientOnePage'),
      ),
      goal('ratios.requestsVsFhirclient', 'requests ≤ 1.4 × fhirclient (multi-page charts)', 1.4, value('requestsVsFhirclient')),
      goal(
        'renderer.firstRenderColdMs',
        'cold first render of 10,000 observations ≤ 150 ms (median of fresh processes)',
        150,
        renderer.firstRenderColdMs,
      ),
      goal('renderer.firstRender10kMs', 'first render of 10,000 observations ≤ 150 ms (median)', 150, renderer.firstRender10kMs),
      goal('renderer.scrollFrameMedianMs', 'scroll frames ≤ 16 ms median', 16, renderer.scrollFrameMedianMs),
      goal('renderer.bundleGzipBytes', 'renderer JavaScript at start-up ≤ 200 KB gzipped', 200 * 1024, renderer.bundleGzipBytes),
      goal('memory.mainRssOverRawJson50k', 'memory for the 50,000-observation chart ≤ 4 × its raw JSON', 4, big.ratio),
    ],
  };
}
