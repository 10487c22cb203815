/** bench/results.json: the headline figures, every scenario, and the goals they are held to. */
import os from 'node:os';
import type { BundleFigures } from './bundle-size';
import type { RendererFigures } from './renderer-bench';
import type { SignInTiming } from './sign-in';
import { median, ratio } from './stats';
import type { ScenarioSummary } from './summary';

type RatioName = keyof ScenarioSummary['ratios'];

export interface Headline {
  /** The worst value over all scenarios. */
  value: number | null;
  scenario: string | null;
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
  options: { runs: number; pageSize: number; delaysMs: number[]; big: boolean };
  ratios: Record<RatioName | 'signInVsServer', number | null>;
  worstScenario: Record<RatioName, string | null>;
  signIn: { clientMs: number; discoveryMs: number; exchangeMs: number; serverMs: number; requests: number; samples: number };
  scenarios: ScenarioSummary[];
  renderer: RendererFigures & { bundleGzipBytes: number; bundleBytes: number; cssGzipBytes: number };
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

export const scenarioLabel = (s: Pick<ScenarioSummary, 'patient' | 'delayMs'>) => `${s.patient} @ ${s.delayMs} ms`;

function worst(scenarios: readonly ScenarioSummary[], name: RatioName): Headline {
  let found: Headline = { value: null, scenario: null };
  for (const scenario of scenarios) {
    const value = scenario.ratios[name];
    if (value !== null && (found.value === null || value > found.value)) found = { value, scenario: scenarioLabel(scenario) };
  }
  return found;
}

/** Peak main-process RSS growth of ChartDesk's load over the JSON it received, over every delay of one patient. */
function memoryOverJson(
  scenarios: readonly ScenarioSummary[],
  patient: string,
): { ratio: number | null; peak: number | null; json: number | null } {
  const own = scenarios.filter((s) => s.patient === patient);
  if (own.length === 0) return { ratio: null, peak: null, json: null };
  const peak = median(own.map((s) => s.chartdesk.peakRssGrowthBytes));
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
  const names: RatioName[] = ['fullChartVsFhirclient', 'fullChartVsServerLimit', 'firstDataVsFullChart'];
  const headlines = Object.fromEntries(names.map((name) => [name, worst(scenarios, name)])) as Record<RatioName, Headline>;
  const signInVsServer = median(signIns.map((s) => ratio(s.clientMs, s.serverMs) ?? Number.NaN));
  const big = memoryOverJson(scenarios, 'big50k');
  const ten = memoryOverJson(scenarios, 'big10k');
  const renderer = {
    ...input.renderer,
    bundleGzipBytes: input.bundle.jsGzipBytes,
    bundleBytes: input.bundle.jsBytes,
    cssGzipBytes: input.bundle.cssGzipBytes,
  };
  const cpus = os.cpus();
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
      fullChartVsFhirclient: headlines.fullChartVsFhirclient.value,
      fullChartVsServerLimit: headlines.fullChartVsServerLimit.value,
      firstDataVsFullChart: headlines.firstDataVsFullChart.value,
      signInVsServer: Number.isFinite(signInVsServer) ? Math.round(signInVsServer * 1000) / 1000 : null,
    },
    worstScenario: {
      fullChartVsFhirclient: headlines.fullChartVsFhirclient.scenario,
      fullChartVsServerLimit: headlines.fullChartVsServerLimit.scenario,
      firstDataVsFullChart: headlines.firstDataVsFullChart.scenario,
    },
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
      goal('ratios.fullChartVsFhirclient', 'full chart ≤ 0.6 × fhirclient', 0.6, headlines.fullChartVsFhirclient.value),
      goal(
        'ratios.fullChartVsServerLimit',
        "full chart ≤ 1.3 × the server's critical path",
        1.3,
        headlines.fullChartVsServerLimit.value,
      ),
      goal('ratios.firstDataVsFullChart', 'first data ≤ 0.25 × full chart', 0.25, headlines.firstDataVsFullChart.value),
      goal('renderer.firstRender10kMs', 'first render of 10,000 observations ≤ 150 ms', 150, renderer.firstRender10kMs),
      goal('renderer.scrollFrameMedianMs', 'scroll frames ≤ 16 ms median', 16, renderer.scrollFrameMedianMs),
      goal('renderer.bundleGzipBytes', 'renderer JavaScript ≤ 200 KB gzipped', 200 * 1024, renderer.bundleGzipBytes),
      goal('memory.mainRssOverRawJson50k', 'memory for the 50,000-observation chart ≤ 4 × its raw JSON', 4, big.ratio),
    ],
  };
}
