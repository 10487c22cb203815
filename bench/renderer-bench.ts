/**
 * Renderer figures in Chromium: the bench page (bench/renderer) built for production with Vite,
 * served from loopback, driven by Playwright. First render of 10,000 observations and frame
 * intervals while scrolling them; vsync and the frame-rate cap are off, so a frame interval is
 * the time Chromium needed to produce the frame, not the 16.7 ms display tick.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import type { ChartOpened, SectionPage } from '../common/chart';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../testing/chromium';
import type { FirstRender } from './renderer/bench-api';
import { median, percentile } from './stats';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Frames as fast as Chromium can make them, not at the display's pace. */
const UNCAPPED_FRAMES = ['--disable-gpu-vsync', '--disable-frame-rate-limit'];

export interface RendererFigures {
  /** Median of the cold mounts: each the first mount in a fresh Chromium process (cold JIT, nothing cached). */
  firstRenderColdMs: number;
  /** The slowest of the cold mounts. */
  firstRenderColdWorstMs: number;
  firstRenderColdRunsMs: number[];
  /** Median of the mounts in one page, its cold one included. */
  firstRender10kMs: number;
  firstRenderRunsMs: number[];
  rowsRendered: number;
  scrollFrameMedianMs: number;
  scrollFrameP95Ms: number;
  scrollFrames: number;
  scrolledPx: number;
  idleFrameMedianMs: number;
  chromium: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves the built page and the recorded chart from 127.0.0.1. */
async function serve(root: string, chart: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = pathname === '/' ? 'index.html' : pathname.slice(1);
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (file === 'chart.json') return send(200, TYPES['.json'] as string, chart);
    const resolved = path.resolve(root, file);
    if (!resolved.startsWith(root + path.sep)) return send(404, 'text/plain', 'not found');
    readFile(resolved).then(
      (body) => send(200, TYPES[path.extname(resolved)] ?? 'application/octet-stream', body),
      () => send(404, 'text/plain', 'not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One mount of the chart on a 10,000-observation vitals tab, checked to have shown what it should. */
async function mountChart(page: Page): Promise<FirstRender> {
  const result = await page.evaluate(() => window.chartBench.firstRender());
  if (result.rows < 10_000) throw new Error(`the bench chart holds ${result.rows} vital rows, not 10,000`);
  if (result.rowsInDom === 0 || result.vitalCards === 0) throw new Error('the chart rendered no rows or no vital cards');
  return result;
}

/** A fresh Chromium process on the bench page, ready for its first (cold) mount. */
async function freshPage(url: string): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  const browser = await launchChromium(UNCAPPED_FRAMES);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => 'chartBench' in window);
  return { browser, page, problems };
}

/**
 * The first page mounts the chart `renders` times and scrolls it; `coldProcesses` - 1 more fresh processes each
 * mount it once, so the cold first render is a median with its worst beside it, not one sample.
 */
export async function measureRenderer(
  chart: { opened: ChartOpened; pages: SectionPage[] },
  outDir: string,
  options: { renders: number; scrollFrames: number; coldProcesses: number },
): Promise<RendererFigures> {
  await build({
    configFile: false,
    root: path.join(here, 'renderer'),
    base: './',
    plugins: [svelte()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'chrome130', sourcemap: false },
  });
  const server = await serve(outDir, JSON.stringify(chart));
  let shown: Awaited<ReturnType<typeof freshPage>> | null = null;
  try {
    const first = (shown = await freshPage(server.url));
    const mounts: FirstRender[] = [];
    for (let i = 0; i < options.renders; i += 1) mounts.push(await mountChart(first.page));
    const runs = mounts.map((mount) => mount.ms);
    const idle = await first.page.evaluate(() => window.chartBench.frames(120, 0));
    const scroll = await first.page.evaluate((count) => window.chartBench.frames(count, 400), options.scrollFrames);
    const problems = [...first.problems];
    const chromium = first.browser.version();
    await first.browser.close();
    shown = null;
    const cold = [runs[0] ?? Number.NaN];
    for (let i = 1; i < options.coldProcesses; i += 1) {
      const fresh = (shown = await freshPage(server.url));
      cold.push((await mountChart(fresh.page)).ms);
      problems.push(...fresh.problems);
      await fresh.browser.close();
      shown = null;
    }
    if (problems.length > 0) throw new Error(`the bench page failed: ${problems.join('; ')}`);
    return {
      firstRenderColdMs: median(cold),
      firstRenderColdWorstMs: Math.max(...cold),
      firstRenderColdRunsMs: cold,
      firstRender10kMs: median(runs),
      firstRenderRunsMs: runs,
      rowsRendered: mounts[0]?.rows ?? 0,
      scrollFrameMedianMs: median(scroll.frameMs),
      scrollFrameP95Ms: percentile(scroll.frameMs, 95),
      scrollFrames: scroll.frameMs.length,
      scrolledPx: scroll.scrolledPx,
      idleFrameMedianMs: median(idle.frameMs),
      chromium,
    };
  } finally {
    await shown?.browser.close();
    await server.close();
  }
}
