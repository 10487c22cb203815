import type { SectionPage } from '../../../common/chart';
import { CHART_SECTION_IDS } from '../../../common/sessions';
import { FakeTokens } from '../../fhir/testing/fake-tokens';
import { memoryLogger } from '../../logging/testing/memory-logger';
import { createChartService } from '../chart-service';

/** A chart service on a test FHIR server, every section granted: the pages it emits and its log lines, kept. */
export function chartServiceOn(fhirBaseUrl: string) {
  const pages: SectionPage[] = [];
  const log = memoryLogger();
  const service = createChartService({
    sessionFor: () => ({
      fhirBaseUrl,
      tokens: new FakeTokens(),
      grantedSections: [...CHART_SECTION_IDS],
      documentContent: true,
    }),
    fetch,
    emit: (page) => pages.push(page),
    log,
    now: () => new Date('2026-11-28T12:00:00Z'),
    options: { loader: { pageSize: 1000 }, client: { timeoutMs: 5_000 } },
  });
  return { service, pages, log };
}
