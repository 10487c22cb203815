/** One whole-chart load with ChartDesk's own chart service, as main runs it for the renderer. */
import type { ChartOpened, SectionPage } from '../common/chart';
import type { Logger } from '../main/logging/logger';
import { createChartService } from '../main/chart/chart-service';
import { CHART_SECTION_IDS } from '../common/sessions';
import type { LoadedChart, LoadRequest } from './load-types';

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** `onPage` sees every page as the renderer would receive it (the renderer bench records them). */
export async function loadWithChartDesk(
  request: LoadRequest,
  fetchImpl: typeof fetch,
  onPage?: (page: SectionPage) => void,
): Promise<LoadedChart & { opened: ChartOpened }> {
  const rows: Record<string, number> = {};
  const errors: string[] = [];
  let firstDataMs: number | null = null;
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  const service = createChartService({
    sessionFor: () => ({
      fhirBaseUrl: request.fhirBaseUrl,
      tokens: { getAccessToken: async () => request.accessToken, refreshAfterUnauthorized: async () => null },
      grantedSections: request.grantedSections,
      // The bench opens no document.
      documentContent: false,
    }),
    fetch: fetchImpl,
    // Pages are counted, not kept: rows belong to the renderer once sent; main keeps its own cache.
    emit: (page: SectionPage) => {
      onPage?.(page);
      if (page.rows.length > 0) firstDataMs ??= performance.now() - started;
      rows[page.section] = (rows[page.section] ?? 0) + page.rows.length;
      if (page.state === 'error') errors.push(`${page.section}: ${page.error ?? 'error'}`);
      if (page.done && ++done === CHART_SECTION_IDS.length) finished();
    },
    log: silent,
    now: () => new Date(),
    options: { loader: { pageSize: request.pageSize } },
  });
  const opened = await service.open({ connectionId: 'bench', patientId: request.patientId });
  const bannerMs = performance.now() - started;
  await allDone;
  const fullChartMs = performance.now() - started;
  return { timing: { bannerMs, firstDataMs, fullChartMs, rows, errors }, retained: service, opened };
}
