/**
 * `npm run bench [-- --big] [--runs N] [--delays 0,20,150]`: ChartDesk's chart loading against
 * fhirclient and against what the server allows, at each delay with and without a limit on requests
 * in flight; sign-in against the server's time; the renderer in Chromium. Writes bench/results.json
 * and prints a table. See docs/PERFORMANCE.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { fileURLToPath } from 'node:url';
import type { ChartOpened, SectionPage } from '../common/chart';
import { SYNTHEA_DIR } from '../sandbox/data/synthea-fixtures';
import { measureBundle } from './bundle-size';
import { chartDeskLoader } from './chartdesk-load';
import { buildLoadChild } from './load-child';
import { formatReport } from './report';
import { measureRenderer } from './renderer-bench';
import { assembleResults } from './results';
import { runScenario, type ScenarioSetting } from './scenario';
import type { SignInTiming } from './sign-in';
import { startSubject, type Subject, type SubjectName } from './subjects';
import { summarizeScenario, type ScenarioSummary } from './summary';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const DELAYS_MS = [0, 20, 150];
/** Each delay also runs with at most this many requests in flight, the server answering 429 beyond. */
const MAX_IN_FLIGHT = 4;
const PAGE_SIZE = 1000;

/** The pages ChartDesk's main sends the renderer for a patient, recorded for the renderer bench. */
async function recordChart(subject: Subject): Promise<{ opened: ChartOpened; pages: SectionPage[] }> {
  const pages: SectionPage[] = [];
  const loader = chartDeskLoader(
    {
      client: 'chartdesk',
      fhirBaseUrl: subject.sandbox.fhirBaseUrl,
      patientId: subject.session.patientId,
      grantedSections: subject.session.grantedSections,
      pageSize: PAGE_SIZE,
      maxInFlight: null,
      now: new Date().toISOString(),
      accessToken: subject.session.accessToken,
    },
    fetch,
  );
  const { opened } = await loader.load((page) => pages.push(page));
  return { opened, pages };
}

/** The 10,000-observation chart for the renderer bench, from a sandbox of its own, stopped before Chromium starts. */
async function recordRendererChart(): Promise<{ opened: ChartOpened; pages: SectionPage[] }> {
  const subject = await startSubject('big10k', SYNTHEA_DIR, 1);
  try {
    return await recordChart(subject);
  } finally {
    await subject.sandbox.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      big: { type: 'boolean', default: false },
      runs: { type: 'string', default: '5' },
      delays: { type: 'string', default: DELAYS_MS.join(',') },
    },
  });
  const loadAverageAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const delaysMs = values.delays.split(',').map(Number);
  if (!delaysMs.every((delay) => Number.isInteger(delay) && delay >= 0))
    throw new Error('--delays must be non-negative integers, comma-separated');
  const settings: ScenarioSetting[] = delaysMs.flatMap((delayMs) => [
    { delayMs, maxInFlight: null },
    { delayMs, maxInFlight: MAX_IN_FLIGHT },
  ]);
  const started = performance.now();
  const work = await mkdtemp(path.join(tmpdir(), 'chartdesk-bench-'));
  const names: SubjectName[] = values.big ? ['synthea', 'big10k', 'big50k'] : ['synthea', 'big10k'];
  let running: Subject | null = null;
  try {
    const script = await buildLoadChild(work);
    const scenarios: ScenarioSummary[] = [];
    const signIns: SignInTiming[] = [];
    // The renderer first, while this process holds little: timed after the load scenarios, every mount was slower
    // than in a fresh process (warm mounts 34-64 ms on 30 Nov, 14-43 ms since), this process's heap of their
    // garbage being collected beside the page. `npm run bench` exposes gc to collect the recording sandbox's first.
    console.error('bench: renderer in Chromium');
    const chart = await recordRendererChart();
    (globalThis as { gc?: () => void }).gc?.();
    const renderer = await measureRenderer(chart, path.join(work, 'renderer-bench'), {
      renders: 7,
      scrollFrames: 600,
      coldProcesses: 7,
    });
    for (const name of names) {
      console.error(`bench: starting the ${name} sandbox and signing in`);
      const subject = await startSubject(name, SYNTHEA_DIR, runs);
      running = subject;
      signIns.push(...subject.signIns);
      for (const setting of settings) {
        const limit = setting.maxInFlight === null ? '' : `, at most ${setting.maxInFlight} in flight`;
        const elapsed = `${((performance.now() - started) / 60_000).toFixed(1)} min in`;
        console.error(`bench: ${name} at ${setting.delayMs} ms per request${limit}, ${runs} runs per client (${elapsed})`);
        scenarios.push(summarizeScenario(await runScenario(script, subject, setting, { runs, pageSize: PAGE_SIZE })));
      }
      running = null;
      await subject.sandbox.stop();
    }
    console.error('bench: production renderer bundle');
    const bundle = await measureBundle(path.join(work, 'renderer-dist'));
    const results = assembleResults({
      options: { runs, pageSize: PAGE_SIZE, delaysMs, maxInFlight: MAX_IN_FLIGHT, big: values.big },
      loadAverageAtStart,
      scenarios,
      signIns,
      renderer,
      bundle,
    });
    const file = path.join(repoRoot, 'bench/results.json');
    // Written as the repository's formatter would, so a recorded run passes `prettier --check`.
    await writeFile(file, await format(JSON.stringify(results), { ...(await resolveConfig(file)), filepath: file }));
    console.log(formatReport(results));
    console.error(`bench: done in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  } finally {
    await running?.sandbox.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
