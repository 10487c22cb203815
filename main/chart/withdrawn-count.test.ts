import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WithdrawnCounts } from '../../common/chart';
import { CHART_SECTION_IDS, type ChartSectionId } from '../../common/sessions';
import { addWithdrawn, noneWithdrawn } from '../../common/withdrawn';
import { createFhirClient } from '../fhir/fhir-client';
import { type FakeServer, searchBundle, sendJson, startFakeServer } from '../fhir/testing/fake-http-server';
import { FakeTokens } from '../fhir/testing/fake-tokens';
import { memoryLogger } from '../logging/testing/memory-logger';
import { fetchPlainChain, SectionSearch, type SectionProgress } from './section-search';
import { chartServiceOn } from './testing/chart-service-on';
import { fakeFhirStore } from './testing/fake-fhir-store';
import { realMatches, readReal } from './testing/real-fixtures';
import { loadSyntheaPatients, type SyntheaBundle } from './testing/synthea';

/**
 * The records the EHR marks entered in error or cancelled are never rows, and each section counts them exactly:
 * each once however often the EHR sends it, and only this patient's (another patient's is counted as such).
 */

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

/** Every page of one section's plain chain for a patient: the rows' ids and the progress sent with them. */
async function plainChain(server: FakeServer, section: ChartSectionId, patientId: string) {
  const log = memoryLogger();
  const client = createFhirClient({ baseUrl: server.baseUrl, tokens: new FakeTokens(), fetch, log });
  const search = new SectionSearch(
    client,
    section,
    patientId,
    new AbortController().signal,
    { pageSize: 1000, referenceConcurrency: 2 },
    log,
  );
  const ids: string[] = [];
  const progress: SectionProgress[] = [];
  await fetchPlainChain(search, (rows, step) => {
    ids.push(...rows.map((row) => row.id));
    progress.push(step);
  });
  return { ids, progress };
}

const summed = (counts: WithdrawnCounts[]) => counts.reduce(addWithdrawn, noneWithdrawn());

describe('one section', () => {
  it("counts this patient's vital sign entered in error, not another patient's entered in error or cancelled", async () => {
    // A server that ignores `patient` answers with everyone's vital signs: Oracle Health's entered-in-error temperature
    // of patient 12457977 (r4-observation-revinclude-bundle.json), HL7's entered-in-error temperature of f201
    // (Observation-f202.json) and cancelled blood pressure of "example" (Observation-blood-pressure-cancel.json), and
    // Oracle Health's vital signs of 12724066 (r4-observation-bundle.json).
    const others = [
      readReal('hl7-r4-examples/Observation-f202.json'),
      readReal('hl7-r4-examples/Observation-blood-pressure-cancel.json'),
      ...realMatches('oracle-health/r4-observation-bundle.json'),
    ];
    const own = realMatches('oracle-health/r4-observation-revinclude-bundle.json');
    const server = await serve((_req, res) => sendJson(res, 200, searchBundle([...own, ...others])));

    const { ids, progress } = await plainChain(server, 'vitals', '12457977');

    expect(ids).toEqual([]);
    expect(summed(progress.map((step) => step.withdrawn))).toEqual({ 'entered-in-error': 1, cancelled: 0 });
    expect(progress.reduce((sum, step) => sum + step.otherPatient, 0)).toBe(others.length);
  });

  it('counts a withdrawn record once when the search starts again and the EHR sends it a second time', async () => {
    // Oracle Health caps `_count` from the second page on: the search starts again without it, and its first page
    // (with the entered-in-error temperature) comes twice. HL7's validation failure is the refusal.
    const first = readReal('oracle-health/r4-observation-revinclude-bundle.json');
    const refusal = readReal('hl7-r4-examples/OperationOutcome-validationfail.json');
    const server = await serve((_req, res, url) => {
      if (url.searchParams.get('page') === '2') {
        if (url.searchParams.has('_count')) return sendJson(res, 422, refusal);
        return sendJson(res, 200, searchBundle([]));
      }
      const next = `${server.baseUrl}/Observation?patient=12457977&page=2${url.searchParams.has('_count') ? '&_count=1000' : ''}`;
      sendJson(res, 200, { ...first, link: [{ relation: 'next', url: next }] });
    });

    const { progress } = await plainChain(server, 'vitals', '12457977');

    expect(server.requests.filter((request) => !request.url.includes('page=2'))).toHaveLength(2);
    expect(summed(progress.map((step) => step.withdrawn))).toEqual({ 'entered-in-error': 1, cancelled: 0 });
  });

  it('leaves a withdrawn result of another kind to its own section: a lab entered in error is not a vital sign', async () => {
    // A server that ignores `category` sends the labs to the vitals search too (r4-observation-entered-in-error-status.json).
    const lab = realMatches('oracle-health/r4-observation-entered-in-error-status.json');
    const server = await serve((_req, res) => sendJson(res, 200, searchBundle(lab)));
    const vitals = await plainChain(server, 'vitals', '12742401');
    const labs = await plainChain(server, 'labs', '12742401');
    expect(summed(vitals.progress.map((step) => step.withdrawn))).toEqual(noneWithdrawn());
    expect(summed(labs.progress.map((step) => step.withdrawn))).toEqual({ 'entered-in-error': 1, cancelled: 0 });
  });
});

describe('a whole chart', () => {
  let patients: SyntheaBundle[];
  beforeAll(() => {
    patients = loadSyntheaPatients();
  });

  it('sends each section its count once, and again when the chart is shown from the cache', async () => {
    // A Synthea patient with some of its records marked withdrawn (statuses changed on Synthea's own resources).
    const [own, other] = patients;
    const patientId = String(own!.resources.find((resource) => resource.resourceType === 'Patient')!.id);
    const vital = own!.resources.find(
      (resource) => resource.resourceType === 'Observation' && JSON.stringify(resource.category).includes('vital-signs'),
    );
    const lab = own!.resources.find(
      (resource) => resource.resourceType === 'Observation' && JSON.stringify(resource.category).includes('laboratory'),
    );
    const condition = own!.resources.find((resource) => resource.resourceType === 'Condition');
    const changed = new Map<unknown, unknown>([
      [vital, { ...vital, status: 'entered-in-error' }],
      [lab, { ...lab, status: 'cancelled' }],
      [
        condition,
        {
          ...condition,
          verificationStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }],
          },
        },
      ],
    ]);
    const resources = [...own!.resources.map((resource) => changed.get(resource) ?? resource), ...other!.resources];
    const server = await serve(fakeFhirStore(resources as SyntheaBundle['resources']));
    const { service, pages } = chartServiceOn(server.baseUrl);
    const counts = (loadId: string) =>
      Object.fromEntries(
        CHART_SECTION_IDS.map((id) => [
          id,
          summed(pages.filter((page) => page.loadId === loadId && page.section === id).map((page) => page.withdrawn)),
        ]),
      );
    const loaded = async (loadId: string) =>
      vi.waitFor(() =>
        expect(pages.filter((page) => page.loadId === loadId && page.done)).toHaveLength(CHART_SECTION_IDS.length),
      );
    const expected = {
      ...Object.fromEntries(CHART_SECTION_IDS.map((id) => [id, noneWithdrawn()])),
      vitals: { 'entered-in-error': 1, cancelled: 0 },
      labs: { 'entered-in-error': 0, cancelled: 1 },
      problems: { 'entered-in-error': 1, cancelled: 0 },
    };

    const first = await service.open({ connectionId: 'ehr-1', patientId });
    await loaded(first.loadId);
    expect(counts(first.loadId)).toEqual(expected);
    const rowIds = new Set(
      pages.filter((page) => page.loadId === first.loadId).flatMap((page) => page.rows.map((row) => row.id)),
    );
    for (const withdrawn of [vital, lab, condition]) expect(rowIds.has(String(withdrawn!.id))).toBe(false);

    const otherId = String(other!.resources.find((resource) => resource.resourceType === 'Patient')!.id);
    await service.open({ connectionId: 'ehr-1', patientId: otherId });
    const again = await service.open({ connectionId: 'ehr-1', patientId });
    expect(again.fromCache).toBe(true);
    await loaded(again.loadId);
    expect(counts(again.loadId)).toEqual(expected);
  });
});
