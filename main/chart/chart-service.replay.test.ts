import { afterEach, expect, it, vi } from 'vitest';
import type { SectionPage } from '../../common/chart';
import { CHART_SECTION_IDS } from '../../common/sessions';
import { createChartService } from './chart-service';
import { FakeTokens } from '../fhir/testing/fake-tokens';
import { memoryLogger } from '../logging/testing/memory-logger';
import { loadRecording, type ReplayServer, startReplayServer } from './testing/replay-server';

// Smoke level only: the loader and mappers are being reworked (issue 16), so this checks that today's
// loader runs against a replayed EHR, not what it shows.

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
});

it('opens a chart from a replayed Epic sandbox recording without throwing; every section ends', async () => {
  server = await startReplayServer(loadRecording('epic-sandbox-camila'));
  const pages: SectionPage[] = [];
  const replayBase = server.replayBase;
  const service = createChartService({
    sessionFor: () => ({ fhirBaseUrl: replayBase, tokens: new FakeTokens(), grantedSections: [...CHART_SECTION_IDS] }),
    fetch,
    emit: (page) => pages.push(page),
    log: memoryLogger(),
    now: () => new Date('2026-11-28T12:00:00Z'),
    options: { client: { timeoutMs: 5_000 } },
  });

  const opened = await service.open({ connectionId: 'epic', patientId: 'erXuFYUfucBZaryVksYEcMg3' });

  expect(opened.banner).toMatchObject({ id: 'erXuFYUfucBZaryVksYEcMg3', birthDate: '1987-09-12' });
  await vi.waitFor(
    () => expect(new Set(pages.filter((page) => page.done).map((page) => page.section)).size).toBe(CHART_SECTION_IDS.length),
    { timeout: 10_000, interval: 5 },
  );
  // The recording holds no searches for this patient: each section reports the replay server's 404.
  for (const page of pages.filter((each) => each.done)) expect(page.state, page.section).toBe('error');
  const searched = server.requests.filter((request) => request.url.includes('?')).map((request) => request.url.split('?')[0]);
  expect(new Set(searched)).toEqual(
    new Set(
      ['Observation', 'Condition', 'MedicationRequest', 'AllergyIntolerance', 'Immunization', 'Encounter'].map(
        (type) => `/interconnect-fhir-oauth/api/FHIR/R4/${type}`,
      ),
    ),
  );
});
