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
import { launchChromium } from '../testing/chromium';
import type {} from './renderer/bench-api';
import { median, percentile } from './stats';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Frames as fast as Chromium can make them, not at the display's pace. */
const UNCAPPED_FRAMES = ['--disable-gpu-vsync', '--disable-frame-rate-limit'];

export interface RendererFigures {
  /** The first mount in a fresh page: cold JIT, nothing cached. */
  firstRenderColdMs: number;
  /** Median of the mounts, the cold one included. */
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

export async function measureRenderer(
  chart: { opened: ChartOpened; pages: SectionPage[] },
  outDir: string,
  options: { renders: number; scrollFrames: number },
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
  const browser = await launchChromium(UNCAPPED_FRAMES);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(server.url);
    await page.waitForFunction(() => 'chartBench' in window);
    const runs: number[] = [];
    let rowsRendered = 0;
    for (let i = 0; i < options.renders; i += 1) {
      const result = await page.evaluate(() => window.chartBench.firstRender());
      if (result.rows < 10_000) throw new Error(`the bench chart holds ${result.rows} vital rows, not 10,000`);
      if (result.rowsInDom === 0 || result.vitalCards === 0) throw new Error('the chart rendered no rows or no vital cards');
      runs.push(result.ms);
      rowsRendered = result.rows;
    }
    const idle = await page.evaluate(() => window.chartBench.frames(120, 0));
    const scroll = await page.evaluate((count) => window.chartBench.frames(count, 400), options.scrollFrames);
    if (problems.length > 0) throw new Error(`the bench page failed: ${problems.join('; ')}`);
    return {
      firstRenderColdMs: runs[0] ?? Number.NaN,
      firstRender10kMs: median(runs),
      firstRenderRunsMs: runs,
      rowsRendered,
      scrollFrameMedianMs: median(scroll.frameMs),
      scrollFrameP95Ms: percentile(scroll.frameMs, 95),
      scrollFrames: scroll.frameMs.length,
      scrolledPx: scroll.scrolledPx,
      idleFrameMedianMs: median(idle.frameMs),
      chromium: browser.version(),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
