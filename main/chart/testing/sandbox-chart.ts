import type { SectionPage } from '../../../common/chart';
import { CHART_SECTION_IDS } from '../../../common/sessions';
import { memoryLogger } from '../../logging/testing/memory-logger';
import { createChartService } from '../chart-service';

/**
 * A chart service on the sandbox EHR with a token it issued, every section granted: the pages it emits, every URL
 * it fetches (decoded, in the order they went out) and its log lines, kept.
 */
export function sandboxChartService(
  fhirBaseUrl: string,
  token: string,
  options: { pageSize: number; maxRequestsInFlight?: number },
) {
  const pages: SectionPage[] = [];
  const urls: string[] = [];
  const log = memoryLogger();
  const service = createChartService({
    sessionFor: () => ({
      fhirBaseUrl,
      tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => null },
      grantedSections: [...CHART_SECTION_IDS],
      documentContent: true,
    }),
    fetch: (input, init) => {
      urls.push(decodeURIComponent(String(input)));
      return fetch(input, init);
    },
    emit: (page) => pages.push(page),
    log,
    now: () => new Date(),
    options: {
      loader: { pageSize: options.pageSize },
      ...(options.maxRequestsInFlight ? { maxRequestsInFlight: options.maxRequestsInFlight } : {}),
    },
  });
  return { service, pages, urls, log };
}
