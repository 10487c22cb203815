import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeServer, searchBundle, startFakeServer } from '../fhir/testing/fake-http-server';
import { chartServiceOn } from './testing/chart-service-on';
import { fakeFhirStore } from './testing/fake-fhir-store';
import { loadSyntheaPatients, type SyntheaBundle } from './testing/synthea';

/**
 * Issue 14, item 4: a server that ignores the `patient` parameter (FHIR servers may ignore search parameters they do
 * not support) answers with everyone's records, and a Patient read may answer another patient. Neither reaches the
 * screen under this patient's name.
 */
let patients: SyntheaBundle[];
beforeAll(() => {
  patients = loadSyntheaPatients();
});

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const idOf = (bundle: SyntheaBundle) => String(bundle.resources.find((resource) => resource.resourceType === 'Patient')!.id);
const conditionsOf = (bundle: SyntheaBundle) => bundle.resources.filter((resource) => resource.resourceType === 'Condition');

async function chartOn(fault: (url: URL) => { status: number; body: unknown } | null) {
  const resources = patients.flatMap((bundle) => bundle.resources);
  const server = await startFakeServer(fakeFhirStore(resources, { fault }));
  servers.push(server);
  return chartServiceOn(server.baseUrl);
}

describe('a chart shows only its own patient', () => {
  it("drops another patient's conditions that a server ignoring `patient` sent, counts them and warns on the section", async () => {
    const [own, ...others] = patients.filter((bundle) => conditionsOf(bundle).length > 0);
    const strangers = others.slice(0, 2).flatMap(conditionsOf);
    expect(strangers.length).toBeGreaterThan(0);
    const { service, pages, log } = await chartOn((url) =>
      url.pathname === '/fhir/Condition' ? { status: 200, body: searchBundle([...conditionsOf(own!), ...strangers]) } : null,
    );

    const opened = await service.open({ connectionId: 'ehr-1', patientId: idOf(own!) });
    await vi.waitFor(() => expect(pages.some((page) => page.section === 'problems' && page.done)).toBe(true));

    const problems = pages.filter((page) => page.loadId === opened.loadId && page.section === 'problems');
    const shown = new Set(problems.flatMap((page) => page.rows.map((row) => row.id)));
    expect(shown).toEqual(new Set(conditionsOf(own!).map((condition) => String(condition.id))));
    expect(problems.reduce((sum, page) => sum + page.otherPatient, 0)).toBe(strangers.length);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ event: 'chart.other-patient-dropped', fields: { section: 'problems', count: strangers.length } }),
    );

    // Shown again from the cache, the section still warns.
    await service.open({ connectionId: 'ehr-1', patientId: idOf(others[0]!) });
    const again = await service.open({ connectionId: 'ehr-1', patientId: idOf(own!) });
    const replayed = () => pages.filter((page) => page.loadId === again.loadId && page.section === 'problems');
    await vi.waitFor(() => expect(replayed().some((page) => page.done)).toBe(true));
    expect(replayed().reduce((sum, page) => sum + page.otherPatient, 0)).toBe(strangers.length);
  });

  it('refuses to open a chart when the Patient read answers another patient', async () => {
    const [asked, answered] = patients;
    const stranger = answered!.resources.find((resource) => resource.resourceType === 'Patient');
    const { service, pages } = await chartOn((url) =>
      url.pathname === `/fhir/Patient/${idOf(asked!)}` ? { status: 200, body: stranger } : null,
    );

    await expect(service.open({ connectionId: 'ehr-1', patientId: idOf(asked!) })).rejects.toMatchObject({
      message: expect.stringMatching(/different patient than the one asked for/),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pages).toEqual([]);
  });
});
