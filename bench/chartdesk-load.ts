/** Whole-chart loads with ChartDesk's own chart service, as main runs it for the renderer. */
import type { ChartOpened, ObservationRow, SectionPage } from '../common/chart';
import type { Logger } from '../main/logging/logger';
import { createChartService, type ChartService } from '../main/chart/chart-service';
import { MOST_REQUESTS_IN_FLIGHT } from '../main/fhir/in-flight-limiter';
import { CHART_SECTION_IDS } from '../common/sessions';
import type { LoadedChart, LoadRequest } from './load-types';

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const CONNECTION = 'bench';
const YEAR_MS = 365 * 86_400_000;
/**
 * Where the server sets no limit, ChartDesk runs with the most IT policy allows: the product has no setting without
 * a limit, so a larger one here would time a ChartDesk no one can run (the newest windows would lose their place
 * at the head of the queue, as nothing would queue).
 */
const UNLIMITED = MOST_REQUESTS_IN_FLIGHT;

export interface ChartDeskLoader {
  /** One load of the chart; `onPage` sees every page as the renderer would receive it (the renderer bench records them). */
  load(onPage?: (page: SectionPage) => void): Promise<LoadedChart & { opened: ChartOpened }>;
}

/**
 * One chart service for the life of the process, as in the app: a second load finds what the
 * connection learnt before (the server's capabilities) but not the chart, which `clear` drops.
 */
export function chartDeskLoader(request: LoadRequest, fetchImpl: typeof fetch): ChartDeskLoader {
  let emit: (page: SectionPage) => void = () => {};
  const service: ChartService = createChartService({
    sessionFor: () => ({
      fhirBaseUrl: request.fhirBaseUrl,
      tokens: { getAccessToken: async () => request.accessToken, refreshAfterUnauthorized: async () => null },
      grantedSections: request.grantedSections,
      // The bench opens no document.
      documentContent: false,
    }),
    fetch: fetchImpl,
    // Pages are counted, not kept: rows belong to the renderer once sent; main keeps its own cache.
    emit: (page) => emit(page),
    log: silent,
    now: () => new Date(request.now),
    // ChartDesk keeps to its own per-EHR limit (the IT policy's maxRequestsInFlight).
    options: { loader: { pageSize: request.pageSize }, maxRequestsInFlight: request.maxInFlight ?? UNLIMITED },
  });

  return {
    async load(onPage) {
      service.clear(CONNECTION);
      const rows: Record<string, number> = {};
      const errors: string[] = [];
      const recentSince = Date.parse(request.now) - YEAR_MS;
      let recentRows = 0;
      let lastRecentMs: number | null = null;
      let firstDataMs: number | null = null;
      let observationsDoneMs = 0;
      let done = 0;
      let finished!: () => void;
      const allDone = new Promise<void>((resolve) => (finished = resolve));
      const started = performance.now();
      emit = (page) => {
        const at = performance.now() - started;
        onPage?.(page);
        if (page.rows.length > 0) firstDataMs ??= at;
        rows[page.section] = (rows[page.section] ?? 0) + page.rows.length;
        if (page.section === 'vitals' || page.section === 'labs') {
          const recent = (page.rows as ObservationRow[]).filter((row) => row.time !== null && row.time >= recentSince).length;
          if (recent > 0) [recentRows, lastRecentMs] = [recentRows + recent, at];
          if (page.done) observationsDoneMs = Math.max(observationsDoneMs, at);
        }
        if (page.state === 'error') errors.push(`${page.section}: ${page.error ?? 'error'}`);
        if (page.done && ++done === CHART_SECTION_IDS.length) finished();
      };
      const opened = await service.open({ connectionId: CONNECTION, patientId: request.patientId });
      const bannerMs = performance.now() - started;
      await allDone;
      const fullChartMs = performance.now() - started;
      // Without a row of the last year, "every recent row" is there when both sections are complete.
      const recentMs = recentRows > 0 ? lastRecentMs : observationsDoneMs;
      return { timing: { bannerMs, firstDataMs, fullChartMs, recentMs, rows, errors }, retained: service, opened };
    },
  };
}
