/**
 * The renderer bench page: the real ChartState and ChartView, fed through a stand-in for the
 * bridge with the SectionPages ChartDesk's main produced for the sandbox's 10,000-observation
 * patient. Timing uses performance marks and requestAnimationFrame; Playwright calls window.chartBench.
 */
import { mount, unmount } from 'svelte';
import type { ChartDeskApi } from '../../common/api';
import type { ChartOpened, SectionPage } from '../../common/chart';
import type { ChartBench, FirstRender, Frames } from './bench-api';
import ChartView from '../../renderer/src/chart/ChartView.svelte';
import { ChartState } from '../../renderer/src/lib/state/chart.svelte';
import '../../renderer/src/styles.css';

interface Recorded {
  opened: ChartOpened;
  pages: SectionPage[];
}

/** Resolves just after the next frame has been rendered: a message posted from requestAnimationFrame runs after paint. */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
  });
}

async function recorded(): Promise<Recorded> {
  const response = await fetch('./chart.json');
  if (!response.ok) throw new Error(`chart.json: HTTP ${response.status}`);
  return (await response.json()) as Recorded;
}

/** Only what ChartState uses of the bridge; pages are pushed by the bench instead of main. */
function fakeBridge(opened: ChartOpened): { api: ChartDeskApi; deliver(page: SectionPage): void } {
  let listener: ((page: SectionPage) => void) | null = null;
  const api = {
    openChart: async () => ({ ok: true, value: opened }),
    closeChart: async () => ({ ok: true, value: null }),
    onChartPage: (next: (page: SectionPage) => void) => {
      listener = next;
      return () => (listener = null);
    },
  } as unknown as ChartDeskApi;
  return { api, deliver: (page) => listener?.(page) };
}

let shown: { view: ReturnType<typeof mount>; state: ChartState } | null = null;

/** Opens the chart (sections loading), then delivers every page at once and times until the frame showing them. */
async function firstRender(): Promise<FirstRender> {
  if (shown) {
    unmount(shown.view);
    shown.state.dispose();
  }
  const { opened, pages } = await recorded();
  const target = document.getElementById('app');
  if (!target) throw new Error('#app is missing');
  const bridge = fakeBridge(opened);
  const state = new ChartState(bridge.api, pages[0]?.connectionId ?? 'bench');
  await state.open(opened.banner.id);
  if (!state.sections) throw new Error('the chart did not open');
  const view = mount(ChartView, { target, props: { sections: state.sections, onretry: () => {} } });
  shown = { view, state };
  // The chart opens on its summary; the vitals tab holds the 10,000 rows.
  const vitalsTab = target.querySelector<HTMLElement>('[data-testid="tab-vitals"]');
  if (!vitalsTab) throw new Error('the vitals tab is missing');
  vitalsTab.click();
  await afterNextFrame();
  await afterNextFrame();

  performance.mark('data-arrival');
  for (const page of pages) bridge.deliver(page);
  await afterNextFrame();
  performance.mark('first-render');
  const measure = performance.measure('first-render-10k', 'data-arrival', 'first-render');
  return {
    ms: measure.duration,
    rowsInDom: target.querySelectorAll('[data-testid="table-row"]').length,
    vitalCards: target.querySelectorAll('[data-testid^="vital-"]').length,
    rows: state.sections.vitals.rows.length,
  };
}

/** Frame intervals while the vitals table scrolls by `step` pixels every frame (or stands still with step 0). */
async function frames(count: number, step: number): Promise<Frames> {
  const viewport = document.querySelector<HTMLElement>('[aria-label="Vital signs: rows"]');
  if (!viewport) throw new Error('the vitals table is not on screen');
  const frameMs: number[] = [];
  const start = viewport.scrollTop;
  await new Promise<void>((resolve) => {
    let last = -1;
    const tick = (now: number) => {
      if (last >= 0) frameMs.push(now - last);
      last = now;
      if (frameMs.length >= count) return resolve();
      viewport.scrollTop += step;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return { frameMs, scrolledPx: viewport.scrollTop - start };
}

const api: ChartBench = { firstRender, frames };
window.chartBench = api;
