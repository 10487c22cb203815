import { describe, expect, it } from 'vitest';
import type { WriteRequest } from '../../common/writes';
import { readReal } from '../chart/testing/real-fixtures';
import type { FhirClient, FhirResource, SearchPage } from '../fhir/fhir-client';
import { FhirError } from '../fhir/fhir-errors';
import { type PrepareContext, prepareDraft } from './prepare-write';

const BASE = 'https://ehr.example.org/fhir';

/** A FHIR client answering reads from a table and AllergyIntolerance searches from a list (or failing them). */
function fakeClient(resources: Record<string, unknown>, allergies: unknown[] | 'refused' = []): FhirClient {
  return {
    baseUrl: BASE,
    read: async (type: string, id: string) => {
      const found = resources[`${type}/${id}`];
      if (!found) throw new FhirError('http', `${type}/${id} not found`, 404);
      return found as FhirResource;
    },
    async *search(): AsyncGenerator<SearchPage> {
      if (allergies === 'refused') throw new FhirError('http', 'not granted', 403);
      yield {
        matches: allergies as FhirResource[],
        included: [],
        outcomes: [],
        entryCount: allergies.length,
        total: null,
        next: null,
      } as unknown as SearchPage;
    },
  } as unknown as FhirClient;
}

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Hart', given: ['Amelia'] }] };
const order = (overrides: Record<string, unknown> = {}) => ({
  resourceType: 'MedicationRequest',
  id: 'mr1',
  meta: { versionId: '4' },
  status: 'active',
  intent: 'order',
  subject: { reference: `${BASE}/Patient/p1` },
  medicationCodeableConcept: { text: 'lisinopril 10 MG Oral Tablet' },
  ...overrides,
});

function context(client: FhirClient, overrides: Partial<PrepareContext> = {}): PrepareContext {
  return {
    client,
    fhirBaseUrl: BASE,
    fhirUser: `${BASE}/Practitioner/dr1`,
    sessionPatientId: 'p1',
    sessionEncounterId: 'e1',
    now: new Date('2026-11-30T10:00:00Z'),
    ...overrides,
  };
}

const note: WriteRequest = {
  action: 'write-note',
  connectionId: 'c1',
  patientId: 'p1',
  type: '11488-4',
  category: 'clinical-note',
  title: null,
  text: 'Seen.',
};
const stop: WriteRequest = {
  action: 'discontinue-medication',
  connectionId: 'c1',
  patientId: 'p1',
  medicationRequestId: 'mr1',
  reason: null,
};

describe('preparing a draft', () => {
  it("names the patient the EHR gave for this id, the user as author, and the encounter only for the session's patient", async () => {
    const draft = await prepareDraft(note, context(fakeClient({ 'Patient/p1': patient })));
    expect(draft).toMatchObject({ patientName: 'Amelia Hart', encounterId: 'e1', warnings: [] });
    expect(draft.sends[0]!.resource).toMatchObject({
      author: [{ reference: 'Practitioner/dr1' }],
      context: { encounter: [{ reference: 'Encounter/e1' }] },
    });
    const elsewhere = await prepareDraft(
      note,
      context(fakeClient({ 'Patient/p1': patient }), { sessionPatientId: 'p2', fhirUser: null }),
    );
    expect(elsewhere.encounterId).toBeNull();
    expect(elsewhere.sends[0]!.resource).not.toHaveProperty('context');
    expect(elsewhere.warnings).toEqual([
      'The EHR did not say who is signed in: the record will not name you as its author.',
      'No encounter is in context for this patient: the record will not be attached to a visit.',
    ]);
  });

  it('refuses when the EHR answers with another patient', async () => {
    const client = fakeClient({ 'Patient/p1': { ...patient, id: 'p9' } });
    await expect(prepareDraft(note, context(client))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('discontinues at the version read, an absolute subject under the base being this patient', async () => {
    const draft = await prepareDraft(stop, context(fakeClient({ 'Patient/p1': patient, 'MedicationRequest/mr1': order() })));
    expect(draft.sends).toMatchObject([
      { method: 'PUT', path: 'MedicationRequest/mr1', condition: { header: 'If-Match', value: 'W/"4"' } },
    ]);
    expect(draft.sends[0]!.resource).toMatchObject({ status: 'stopped', subject: { reference: `${BASE}/Patient/p1` } });
    expect(draft.sends[0]!.resource).not.toHaveProperty('meta');
  });

  it("refuses another patient's order, an order already ended, and one without a version", async () => {
    const with_ = (resource: unknown) => context(fakeClient({ 'Patient/p1': patient, 'MedicationRequest/mr1': resource }));
    await expect(prepareDraft(stop, with_(order({ subject: { reference: 'Patient/p2' } })))).rejects.toThrow(/does not belong/);
    await expect(prepareDraft(stop, with_(order({ subject: { display: 'Amelia Hart' } })))).rejects.toThrow(/does not belong/);
    await expect(prepareDraft(stop, with_(order({ status: 'completed' })))).rejects.toThrow('This order is completed in the EHR');
    await expect(prepareDraft(stop, with_(order({ meta: {} })))).rejects.toThrow(/gives no version/);
  });

  it('says when the allergies could not be read, rather than that none matched', async () => {
    const medication = readReal('hl7-r4-examples/Medication-med0308.json');
    const propose: WriteRequest = {
      action: 'propose-medication',
      connectionId: 'c1',
      patientId: 'p1',
      medicationId: 'med0308',
      dose: { value: 1, unit: 'TAB' },
      sig: 'every 6 hours',
    };
    const refused = await prepareDraft(
      propose,
      context(fakeClient({ 'Patient/p1': patient, 'Medication/med0308': medication }, 'refused')),
    );
    expect(refused.warnings).toContain(
      'ChartDesk could not read the allergies, so it could not check this medication against them.',
    );
    expect(refused.lines.find((line) => line.label === 'Allergy check')?.value).toBe(
      'Not done: the allergies could not be read from the EHR.',
    );
    const otherPatients = [
      {
        ...readReal('hl7-r4-examples/AllergyIntolerance-example.json'),
        patient: { reference: 'Patient/p2' },
        code: { text: 'Acetaminophen' },
      },
    ];
    const checked = await prepareDraft(
      propose,
      context(fakeClient({ 'Patient/p1': patient, 'Medication/med0308': medication }, otherPatients)),
    );
    expect(checked.warnings).toEqual([]);
    expect(checked.lines.find((line) => line.label === 'Allergy check')?.value).toMatch(
      /^Ingredient names and codes compared with 0 recorded allergies/,
    );
  });
});
