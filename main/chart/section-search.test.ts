import { afterEach, expect, it } from 'vitest';
import type { ObservationRow } from '../../common/chart';
import { createFhirClient } from '../fhir/fhir-client';
import { type FakeServer, sendJson, startFakeServer } from '../fhir/testing/fake-http-server';
import { FakeTokens } from '../fhir/testing/fake-tokens';
import { memoryLogger } from '../logging/testing/memory-logger';
import { fetchPlainChain, SectionSearch } from './section-search';
import { readReal } from './testing/real-fixtures';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
});

it('adapts when a later page refuses _count: starts again without it, keeps what was shown, shows nothing twice', async () => {
  // Two recorded Oracle Health pages (oracle-health/r4-observation-bundle.json, then
  // r4-observation-revinclude-bundle.json), and the validation failure HL7 publishes
  // (hl7-r4-examples/OperationOutcome-validationfail.json) as the answer to the second page while
  // _count was asked: Oracle Health documents that its count is capped from the second page on.
  const first = readReal('oracle-health/r4-observation-bundle.json');
  const second = readReal('oracle-health/r4-observation-revinclude-bundle.json');
  const refusal = readReal('hl7-r4-examples/OperationOutcome-validationfail.json');
  let refusedOnce = false;
  server = await startFakeServer((_req, res, url) => {
    const withCount = url.searchParams.has('_count');
    if (url.searchParams.get('page') === '2') {
      if (!refusedOnce) {
        refusedOnce = true;
        return sendJson(res, 422, refusal);
      }
      return sendJson(res, 200, second);
    }
    const next = `${server!.baseUrl}/Observation?patient=12724066&page=2${withCount ? '&_count=1000' : ''}`;
    sendJson(res, 200, { ...first, link: [{ relation: 'next', url: next }] });
  });
  const log = memoryLogger();
  const client = createFhirClient({ baseUrl: server.baseUrl, tokens: new FakeTokens(), fetch, log });
  const search = new SectionSearch(
    client,
    'vitals',
    '12724066',
    new AbortController().signal,
    { pageSize: 1000, referenceConcurrency: 2 },
    log,
  );
  const ids: string[] = [];
  await fetchPlainChain(search, (rows: ObservationRow[]) => ids.push(...rows.map((row) => row.id)));
  expect([...ids].sort()).toEqual(['VS-197292857', 'VS-CV-55046871-SECT-8098']);
  expect(new Set(ids).size).toBe(ids.length);
  expect(server.requests.map((request) => request.url)).toEqual([
    '/fhir/Observation?patient=12724066&category=vital-signs&_count=1000',
    '/fhir/Observation?patient=12724066&page=2&_count=1000',
    '/fhir/Observation?patient=12724066&category=vital-signs',
    '/fhir/Observation?patient=12724066&page=2',
  ]);
  expect(log.lines.some((line) => line.event === 'fhir.section.count-refused-later')).toBe(true);
});
