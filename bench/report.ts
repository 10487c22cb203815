/** The bench's table on stdout. */
import { scenarioLabel, type BenchResults } from './results';
import { CLIENT_NAMES } from './load-types';

const ms = (value: number | null) => (value === null ? '–' : `${value.toFixed(0)} ms`);
const mb = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 2 ** 20).toFixed(1)} MB`);
const x = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)}×`);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_cell, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

export function formatReport(results: BenchResults): string {
  const loads = [
    [
      'scenario',
      'client',
      'first data',
      'last year',
      'full chart',
      'cold full',
      'requests',
      '429',
      'JSON',
      'server CPU',
      'peak RSS +',
      'page gap',
      'server limit (chain / CPU / in flight)',
      'vs fhirclient',
      'vs limit',
    ],
  ];
  for (const s of results.scenarios) {
    for (const client of CLIENT_NAMES) {
      const c = s.clients[client];
      const own = client === 'chartdesk';
      const limit = s.serverLimit;
      loads.push([
        own ? scenarioLabel(s) : '',
        client,
        ms(c.firstDataMs),
        ms(c.recentMs),
        ms(c.fullChartMs),
        ms(c.coldFullChartMs),
        String(c.requests),
        String(c.throttled),
        mb(c.bytes),
        ms(c.serverCpuMs),
        mb(c.peakRssGrowthBytes),
        ms(c.pageGapMs),
        own ? `${ms(limit.limitMs)} (${ms(limit.chainMs)} / ${ms(limit.workMs)} / ${ms(limit.inFlightMs)})` : '',
        own ? x(s.ratios.fullChartVsFhirclient) : '',
        own ? x(s.ratios.fullChartVsServerLimit) : '',
      ]);
    }
  }
  const r = results.renderer;
  const goals = [
    ['goal', 'measured', 'met'],
    ...results.goals.map((g) => [
      g.goal,
      g.measured === null ? '–' : String(g.measured),
      g.met === null ? 'not measured' : g.met ? 'yes' : 'NO',
    ]),
  ];
  return [
    `ChartDesk bench, ${results.date}, ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, load average ${results.machine.loadAverage.start} → ${results.machine.loadAverage.end}, ${results.options.runs} runs per client and scenario (medians)`,
    '',
    table(loads),
    '',
    `sign-in (discovery ${ms(results.signIn.discoveryMs)} + code exchange ${ms(results.signIn.exchangeMs)}): ${ms(results.signIn.clientMs)} against ${ms(results.signIn.serverMs)} of server time (${results.signIn.requests} requests): ${x(results.ratios.signInVsServer)}`,
    `renderer: first render of 10,000 observations cold ${ms(r.firstRenderColdMs)} (median of ${r.firstRenderColdRunsMs.length} fresh processes, worst ${ms(r.firstRenderColdWorstMs)}), median of ${r.firstRenderRunsMs.length} mounts in one page ${ms(r.firstRender10kMs)}; scroll frames median ${r.scrollFrameMedianMs.toFixed(1)} ms, p95 ${r.scrollFrameP95Ms.toFixed(1)} ms (idle ${r.idleFrameMedianMs.toFixed(1)} ms); JS ${(r.bundleGzipBytes / 1024).toFixed(1)} KB gzipped at start-up, ${(r.lazyBundleGzipBytes / 1024).toFixed(1)} KB on demand`,
    `memory: 50k chart peak RSS growth ${mb(results.memory.peakRssGrowth50kBytes)} over ${mb(results.memory.rawJson50kBytes)} of JSON = ${x(results.memory.mainRssOverRawJson50k)}; 10k ${x(results.memory.mainRssOverRawJson10k)}`,
    '',
    table(goals),
  ].join('\n');
}
