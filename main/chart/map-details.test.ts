import { beforeAll, describe, expect, it } from 'vitest';
import type { LabPanel, MedicationRow, ObservationRow, ProblemRow } from '../../common/chart';
import { flowsheet, labGroups } from '../../common/lab-flowsheet';
import { foldMedications } from '../../common/medication-list';
import { listedRows } from '../../common/section-view';
import { mapCondition } from './mappers/map-condition';
import { mapDocumentReference } from './mappers/map-document';
import { encounterReferencesOf, mapEncounter } from './mappers/map-encounter';
import { mapLabPanel } from './mappers/map-lab-panel';
import { mapMedicationRequest, medicationReferencesOf } from './mappers/map-medication';
import { mapObservation } from './mappers/map-observation';
import { rowOf } from './mappers/withdrawn';
import { SECTION_QUERIES } from './section-queries';
import { realMatches, realResource } from './testing/real-fixtures';
import { loadSyntheaPatients, type SyntheaBundle } from './testing/synthea';

/**
 * Issue 18, items 8, 9 and 11: what the mappers read for lab panels, the medication list and encounter
 * details, from the real examples of fixtures/real/ (sources in fixtures/real/SOURCES.md) and the Synthea patients.
 */

describe('encounter details', () => {
  it('keeps ranked diagnoses named by reference only, to be named from the problems (hl7-r4-examples/Encounter-f203.json)', () => {
    const resource = realResource('hl7-r4-examples/Encounter-f203.json');
    const practitioner = realResource('hl7-r4-examples/Practitioner-f201.json');
    expect(encounterReferencesOf(resource)).toEqual(['Practitioner/f201', 'Organization/2']);
    const row = mapEncounter(resource, (reference) => (reference === 'Practitioner/f201' ? practitioner : null))!;
    expect(row.diagnoses).toEqual([
      { conditionId: 'stroke', name: null, use: 'Admission diagnosis', rank: 1 },
      { conditionId: 'f201', name: null, use: 'Discharge diagnosis', rank: null },
    ]);
    // A bare reference is named by the Practitioner main read; its participation type has a code only.
    expect(row.participants).toEqual([{ name: 'Dokter Bronsig', roles: ['PART'] }]);
    expect(mapEncounter(resource)!.participants).toEqual([]);
  });

  it('works out a clinician named by many encounters once, not per encounter (hl7-r4-examples/Encounter-f203.json)', () => {
    const resource = realResource('hl7-r4-examples/Encounter-f203.json');
    let nameReads = 0;
    // The one Practitioner a load read, as every encounter of the load looks it up.
    const practitioner = new Proxy(realResource('hl7-r4-examples/Practitioner-f201.json'), {
      get: (target, key) => {
        if (key === 'name') nameReads += 1;
        return Reflect.get(target, key);
      },
    });
    const lookup = (reference: string) => (reference === 'Practitioner/f201' ? practitioner : null);
    const rows = [1, 2, 3].map(() => mapEncounter(structuredClone(resource), lookup)!);
    expect(rows.map((row) => row.participants)).toEqual(Array(3).fill([{ name: 'Dokter Bronsig', roles: ['PART'] }]));
    expect(nameReads).toBe(1);
  });

  it('orders diagnoses named by display by their rank (hl7-r4-examples/Encounter-f202.json)', () => {
    const row = mapEncounter(realResource('hl7-r4-examples/Encounter-f202.json'))!;
    expect(row.diagnoses.map((diagnosis) => [diagnosis.rank, diagnosis.use])).toEqual([
      [1, 'Chief complaint'],
      [2, 'Admission diagnosis'],
    ]);
    expect(row.diagnoses[0]!.name).toBe('The patient is treated for a tumor');
  });

  it('lists every location once, in the order the patient went through them (hl7-r4-examples/Encounter-emerg.json)', () => {
    const row = mapEncounter(realResource('hl7-r4-examples/Encounter-emerg.json'))!;
    expect(row.locations).toEqual(['Emergency Waiting Room', 'Emergency', 'Ward 1, Room 42, Bed 1']);
    expect(row.location).toBe('Emergency Waiting Room');
  });

  it("names Epic's participant once with every role it was listed under (epic/Bundle-encounter-search-camila.json)", () => {
    const row = mapEncounter(realMatches('epic/Bundle-encounter-search-camila.json')[0])!;
    expect(row.participants).toEqual([{ name: 'Physician Surgery, MD', roles: ['admitter', 'attender', 'Surgeon'] }]);
    expect(row.serviceProvider).toBe('Epic Hospital System');
    // Named by display: nothing to read.
    expect(encounterReferencesOf(realMatches('epic/Bundle-encounter-search-camila.json')[0])).toEqual([]);
  });
});

describe('notes linked to their encounter', () => {
  it('keeps the encounter a note was written for (hl7-r4-examples/DocumentReference-example.json)', () => {
    expect(mapDocumentReference(realResource('hl7-r4-examples/DocumentReference-example.json'))?.encounterIds).toEqual(['xcda']);
  });
});

describe('medications', () => {
  it('shows dose, route and frequency apart, and the sig whole (hl7-r4-examples/MedicationRequest-medrx0310.json, -0315.json)', () => {
    const bedtime = mapMedicationRequest(realResource('hl7-r4-examples/MedicationRequest-medrx0310.json'))!;
    expect(bedtime).toMatchObject({
      dose: '1–2 TAB',
      route: 'Oral Route',
      frequency: '1 time per day, Restless Legs',
      dosage: 'Take 1-2 tablets once daily at bedtime as needed for restless legs',
    });
    const push = mapMedicationRequest(realResource('hl7-r4-examples/MedicationRequest-medrx0315.json'))!;
    expect(push).toMatchObject({ dose: '0.05–0.1 mg/kg', route: 'Intravenous', frequency: '1 time every 15 minutes, as needed' });
    expect(push.dosage).toBe('0.05 - 0.1mg/kg IV over 2-5 minutes every 15 minutes as needed');
  });

  it('names the prescriber from its display, else from the Practitioner main read (epic/MedicationRequest-ePDJ.json)', () => {
    const epic = realResource('epic/MedicationRequest-ePDJ.json');
    const named = mapMedicationRequest(epic)!;
    expect(named.prescriber).not.toBeNull();
    const bare = { ...epic, requester: { reference: 'Practitioner/f201' } };
    expect(medicationReferencesOf(bare)).toContain('Practitioner/f201');
    const practitioner = realResource('hl7-r4-examples/Practitioner-f201.json');
    expect(mapMedicationRequest(bare, (reference) => (reference === 'Practitioner/f201' ? practitioner : null))!.prescriber).toBe(
      'Dokter Bronsig',
    );
    expect(mapMedicationRequest(bare)!.prescriber).toBeNull();
  });
});

describe('lab panels', () => {
  it('reads a report that lists its results as a panel (hl7-r4-examples/DiagnosticReport-102.json)', () => {
    expect(mapLabPanel(realResource('hl7-r4-examples/DiagnosticReport-102.json'))).toEqual({
      panel: {
        id: '102',
        name: { text: 'DXA BONE DENSITOMETRY', system: 'http://loinc.org', code: '38269-7' },
        date: '2008-06-17',
      },
      results: ['bmd'],
    });
  });

  it('is not a panel when the report lists no result (hl7-r4-examples/DiagnosticReport-gingival-mass.json)', () => {
    expect(mapLabPanel(realResource('hl7-r4-examples/DiagnosticReport-gingival-mass.json'))).toBeNull();
  });
});

describe('the Synthea patients', () => {
  let bundles: SyntheaBundle[];
  beforeAll(() => {
    // As the sandbox stores them: every urn:uuid reference rewritten to Type/id (sandbox/data/synthea.ts).
    bundles = loadSyntheaPatients().map((bundle) => {
      const byUrn = new Map(
        bundle.resources.map((resource) => [
          `urn:uuid:${String(resource.id)}`,
          `${resource.resourceType}/${String(resource.id)}`,
        ]),
      );
      const text = JSON.stringify(bundle.resources).replace(/"urn:uuid:[0-9a-f-]+"/g, (urn) =>
        JSON.stringify(byUrn.get(JSON.parse(urn) as string) ?? JSON.parse(urn)),
      );
      return { ...bundle, resources: JSON.parse(text) as SyntheaBundle['resources'] };
    });
  });

  it('groups every lab result a panel lists under that panel, and each panel lists results of its own patient', () => {
    let grouped = 0;
    for (const bundle of bundles) {
      const labs = new Set(
        bundle.resources
          .map(mapObservation)
          .filter((row) => row?.kind === 'lab')
          .map((row) => row!.id),
      );
      const panels = bundle.resources.map(mapLabPanel).filter((panel) => panel !== null);
      for (const { results } of panels) {
        for (const id of results)
          expect(
            labs.has(id) || !bundle.resources.some((resource) => resource.id === id && resource.resourceType === 'Observation'),
          ).toBe(true);
        grouped += results.filter((id) => labs.has(id)).length;
      }
    }
    expect(grouped).toBeGreaterThan(100);
  });

  it('shows each Synthea lab result under its panel, as the labs section maps it, in flowsheets of its panel’s analytes', () => {
    const bundle = bundles.find((each) => each.resources.some((resource) => mapLabPanel(resource) !== null))!;
    const panelOf = new Map<string, LabPanel>();
    for (const mapped of bundle.resources.map(mapLabPanel))
      for (const id of mapped?.results ?? []) panelOf.set(id, mapped!.panel);
    const rows = bundle.resources
      .map((resource) =>
        rowOf(
          SECTION_QUERIES.labs.map(
            resource,
            () => null,
            (id) => panelOf.get(id) ?? null,
          ),
        ),
      )
      .filter((row): row is ObservationRow => row !== null);
    const groups = labGroups(rows);
    const inPanels = groups.filter((group) => group.id !== 'ungrouped');
    expect(inPanels.length).toBeGreaterThan(0);
    for (const group of inPanels) {
      expect(group.rows.every((row) => row.panel?.name.text === group.title)).toBe(true);
      const sheet = flowsheet(group.rows, { perPage: 100 });
      // Every result has its cell: one per analyte and collection time.
      const cells = sheet.rows.flatMap((row) => row.cells).filter((cell) => cell !== null);
      expect(cells.reduce((sum, cell) => sum + cell.count, 0)).toBe(group.rows.length);
    }
  });

  it('asks main to read the bare Practitioner references of orders and encounters, and folds refills by drug', () => {
    const requests = bundles.flatMap((bundle) =>
      bundle.resources.filter((resource) => resource.resourceType === 'MedicationRequest'),
    );
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(medicationReferencesOf(request)).toEqual([expect.stringMatching(/^Practitioner\//)]);
    const encounters = bundles.flatMap((bundle) => bundle.resources.filter((resource) => resource.resourceType === 'Encounter'));
    for (const encounter of encounters.slice(0, 50))
      expect(encounterReferencesOf(encounter).every((reference) => /^(Practitioner|Organization)\//.test(reference))).toBe(true);
    for (const bundle of bundles) {
      const rows = bundle.resources
        .map((resource) => mapMedicationRequest(resource))
        .filter((row): row is MedicationRow => row !== null);
      const entries = foldMedications(rows);
      expect(entries.reduce((sum, entry) => sum + entry.history.length, 0)).toBe(rows.length);
      expect(new Set(entries.map((entry) => entry.medication.code)).size).toBe(entries.length);
    }
  });

  it('links each encounter diagnosis to its encounter', () => {
    for (const bundle of bundles) {
      const encounterIds = new Set(
        bundle.resources.filter((resource) => resource.resourceType === 'Encounter').map((resource) => resource.id),
      );
      const problems = bundle.resources.map(mapCondition).filter((row): row is ProblemRow => row !== null);
      for (const problem of problems) expect(problem.encounterId === null || encounterIds.has(problem.encounterId)).toBe(true);
      expect(problems.filter((problem) => problem.encounterId !== null).length).toBe(problems.length);
      expect(listedRows('problems', problems).length).toBeLessThanOrEqual(problems.length);
    }
  });
});
