/**
 * The load child: one fresh Node process per measured load, so each client's memory is its own.
 * Reads a LoadRequest on stdin, loads the chart twice (cold, then warm), writes a LoadOutcome as
 * JSON on stdout. Run with --expose-gc.
 */
import { chartDeskLoader } from './chartdesk-load';
import { loadWithFhirclient } from './fhirclient-load';
import { limitedFetch } from './limited-fetch';
import type { LoadedChart, LoadOutcome, LoadRequest, MemoryFigures } from './load-types';
import { recordingFetch, type RequestRecord } from './request-log';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function collectGarbage(): void {
  if (typeof globalThis.gc !== 'function') throw new Error('the load child needs --expose-gc');
  globalThis.gc();
  globalThis.gc();
}

/** Runs a load while sampling RSS; peak is the highest of the samples and the OS high-water mark when the load raised it. */
async function measured(run: () => Promise<LoadedChart>): Promise<{ chart: LoadedChart; memory: MemoryFigures }> {
  collectGarbage();
  const baselineRssBytes = process.memoryUsage.rss();
  const highWaterBefore = process.resourceUsage().maxRSS * 1024;
  let peak = baselineRssBytes;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  const chart = await run();
  clearInterval(sampler);
  const highWaterAfter = process.resourceUsage().maxRSS * 1024;
  peak = Math.max(peak, process.memoryUsage.rss(), highWaterAfter > highWaterBefore ? highWaterAfter : 0);
  collectGarbage();
  const retainedRssBytes = process.memoryUsage.rss() - baselineRssBytes;
  return { chart, memory: { baselineRssBytes, peakRssBytes: peak, retainedRssBytes } };
}

/** The first load, memory measured; its chart is unreachable once this returns, before the warm load. */
async function coldLoad(load: () => Promise<LoadedChart>, records: readonly RequestRecord[]): Promise<LoadOutcome['cold']> {
  const { chart, memory } = await measured(load);
  return { ...chart.timing, requests: [...records], memory };
}

async function main(): Promise<void> {
  const request = JSON.parse(await readStdin()) as LoadRequest;
  // Not the chart's memory: Node loads its fetch (undici) on first use, and a signed-in app has a connection open.
  await (await fetch(`${request.fhirBaseUrl}/metadata`)).arrayBuffer();
  const log = recordingFetch(globalThis.fetch.bind(globalThis));
  // fhirclient fetches through the global fetch (cross-fetch is mapped to it); ChartDesk is handed the log and limits itself.
  globalThis.fetch = request.maxInFlight === null ? log.fetch : limitedFetch(log.fetch, request.maxInFlight);
  const chartdesk = request.client === 'chartdesk' ? chartDeskLoader(request, log.fetch) : null;
  const load = () =>
    chartdesk ? chartdesk.load() : loadWithFhirclient(request, request.client === 'fhirclient-onpage' ? 'onPage' : 'flat');

  log.reset();
  const cold = await coldLoad(load, log.records);
  collectGarbage();
  log.reset();
  const second = await load();
  const outcome: LoadOutcome = { cold, warm: { ...second.timing, requests: [...log.records] } };
  process.stdout.write(JSON.stringify(outcome));
}

main().catch((error: unknown) => {
  process.stderr.write(`load child failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
