import type { PatientBanner, SectionPage } from '../../common/chart';
import { applyPage, emptySection, type SectionSnapshot } from '../../common/section-view';
import { CHART_SECTION_IDS, type ChartSectionId } from '../../common/sessions';
import type { TokenSource } from '../fhir/fhir-client';
import type { Logger } from '../logging/logger';
import { type ChartServiceDeps, createChartService } from './chart-service';

/** Every section of one chart, as it stood when its last page arrived. */
export type ChartSections = { [S in ChartSectionId]: SectionSnapshot<S> };

export interface LoadedChart {
  banner: PatientBanner;
  sections: ChartSections;
}

export interface HeadlessChartRequest {
  fhirBaseUrl: string;
  patientId: string;
  /** A bearer token, or null for an open endpoint. */
  bearerToken: string | null;
  fetch: typeof fetch;
  log: Logger;
  now(): Date;
  options?: ChartServiceDeps['options'];
}

/** The connection id the one chart of a headless load goes by (it never reaches a store or a renderer). */
const CONNECTION_ID = 'chart-command';

/** A token given once, never refreshed: after a 401 the load ends with "sign in again". */
export function fixedToken(token: string | null): TokenSource {
  return {
    getAccessToken: () => Promise.resolve(token ?? ''),
    refreshAfterUnauthorized: () => Promise.resolve(null),
  };
}

/**
 * Loads one chart exactly as the app does (the same chart service, loader, FHIR client and mappers,
 * every section asked for) without a sign-in, and collects each section's pages the way the renderer
 * does (common/section-view.ts `applyPage`). Resolves once every section has ended; rejects with the
 * ChartDeskError the app would show when the chart cannot be opened.
 */
export async function loadChartHeadless(request: HeadlessChartRequest): Promise<LoadedChart> {
  const sections = Object.fromEntries(CHART_SECTION_IDS.map((id) => [id, emptySection(id, 'loading')])) as ChartSections;
  let loadId: string | null = null;
  const early: SectionPage[] = [];
  let settle: (() => void) | null = null;
  const finished = new Promise<void>((resolve) => (settle = resolve));
  const take = (page: SectionPage) => {
    const id = page.section;
    (sections as Record<ChartSectionId, SectionSnapshot>)[id] = applyPage(sections[id] as SectionSnapshot, page);
    if (CHART_SECTION_IDS.every((each) => sections[each].state !== 'loading')) settle?.();
  };
  const service = createChartService({
    sessionFor: () => ({
      fhirBaseUrl: request.fhirBaseUrl,
      tokens: fixedToken(request.bearerToken),
      grantedSections: [...CHART_SECTION_IDS],
      documentContent: true,
    }),
    fetch: request.fetch,
    // Pages of this load only, as the renderer keys them; any before open() answers wait for its loadId.
    emit: (page) => {
      if (loadId === null) early.push(page);
      else if (page.loadId === loadId) take(page);
    },
    log: request.log,
    now: request.now,
    options: request.options,
  });
  try {
    const opened = await service.open({ connectionId: CONNECTION_ID, patientId: request.patientId });
    loadId = opened.loadId;
    early.filter((page) => page.loadId === loadId).forEach(take);
    await finished;
    return { banner: opened.banner, sections };
  } finally {
    service.clear(CONNECTION_ID);
  }
}
