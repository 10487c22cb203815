/**
 * `npm run bench [-- --big] [--runs N]`: ChartDesk's chart loading against fhirclient and against
 * the server's own critical path, sign-in against the server's time, and the renderer in
 * Chromium. Writes bench/results.json and prints a table. See docs/PERFORMANCE.md.
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
import { loadWithChartDesk } from './chartdesk-load';
import { buildLoadChild } from './load-child';
import { formatReport } from './report';
import { measureRenderer } from './renderer-bench';
import { assembleResults } from './results';
import { runScenario } from './scenario';
import type { SignInTiming } from './sign-in';
import { startSubject, type Subject, type SubjectName } from './subjects';
import { summarizeScenario, type ScenarioSummary } from './summary';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const DELAYS_MS = [0, 20];
const PAGE_SIZE = 1000;

/** The pages ChartDesk's main sends the renderer for a patient, recorded for the renderer bench. */
async function recordChart(subject: Subject): Promise<{ opened: ChartOpened; pages: SectionPage[] }> {
  const pages: SectionPage[] = [];
  const { opened } = await loadWithChartDesk(
    {
      client: 'chartdesk',
      fhirBaseUrl: subject.sandbox.fhirBaseUrl,
      patientId: subject.session.patientId,
      grantedSections: subject.session.grantedSections,
      pageSize: PAGE_SIZE,
      accessToken: subject.session.accessToken,
    },
    fetch,
    (page) => pages.push(page),
  );
  return { opened, pages };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { big: { type: 'boolean', default: false }, runs: { type: 'string', default: '5' } } });
  const loadAverageAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const work = await mkdtemp(path.join(tmpdir(), 'chartdesk-bench-'));
  const names: SubjectName[] = values.big ? ['synthea', 'big10k', 'big50k'] : ['synthea', 'big10k'];
  let running: Subject | null = null;
  try {
    const script = await buildLoadChild(work);
    const scenarios: ScenarioSummary[] = [];
    const signIns: SignInTiming[] = [];
    let chart: { opened: ChartOpened; pages: SectionPage[] } | null = null;
    for (const name of names) {
      console.error(`bench: starting the ${name} sandbox and signing in`);
      const subject = await startSubject(name, SYNTHEA_DIR, runs);
      running = subject;
      signIns.push(...subject.signIns);
      for (const delayMs of DELAYS_MS) {
        console.error(`bench: ${name} at ${delayMs} ms per request, ${runs} runs per client`);
        scenarios.push(summarizeScenario(await runScenario(script, subject, delayMs, { runs, pageSize: PAGE_SIZE })));
      }
      if (name === 'big10k') chart = await recordChart(subject);
      running = null;
      await subject.sandbox.stop();
    }
    if (!chart) throw new Error('the 10,000-observation chart was not recorded');
    console.error('bench: renderer in Chromium');
    const renderer = await measureRenderer(chart, path.join(work, 'renderer-bench'), { renders: 7, scrollFrames: 600 });
    console.error('bench: production renderer bundle');
    const bundle = await measureBundle(path.join(work, 'renderer-dist'));
    const results = assembleResults({
      options: { runs, pageSize: PAGE_SIZE, delaysMs: DELAYS_MS, big: values.big },
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
  } finally {
    await running?.sandbox.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
