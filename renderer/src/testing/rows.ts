import type { AllergyRow, DocumentRow, EncounterRow, MedicationRow, ObservationRow, ProblemRow } from '../../../common/chart';
import { toTime } from '../../../common/chart-format';

/** Row builders for chart tests. */
export function observation(overrides: Partial<ObservationRow> = {}): ObservationRow {
  // Main parses the time with the effective date; a test that sets only the date gets its time too.
  const effective = overrides.effective === undefined ? '2024-03-01T08:00:00Z' : overrides.effective;
  return {
    id: 'obs-1',
    kind: 'lab',
    code: { text: 'Glucose', system: 'http://loinc.org', code: '2345-7' },
    effective,
    time: toTime(effective),
    value: { value: 95, unit: 'mg/dL' },
    valueText: null,
    components: [],
    referenceRange: '70–99 mg/dL',
    flag: null,
    status: 'final',
    ...overrides,
  };
}

export function bloodPressure(id: string, effective: string, systolic: number, diastolic: number): ObservationRow {
  return observation({
    id,
    kind: 'blood-pressure',
    code: { text: 'Blood pressure panel', system: 'http://loinc.org', code: '85354-9' },
    effective,
    value: null,
    referenceRange: null,
    components: [
      {
        code: { text: 'Systolic blood pressure', system: 'http://loinc.org', code: '8480-6' },
        value: { value: systolic, unit: 'mm[Hg]' },
        valueText: null,
      },
      {
        code: { text: 'Diastolic blood pressure', system: 'http://loinc.org', code: '8462-4' },
        value: { value: diastolic, unit: 'mm[Hg]' },
        valueText: null,
      },
    ],
  });
}

export function problem(overrides: Partial<ProblemRow> = {}): ProblemRow {
  return {
    id: 'cond-1',
    code: { text: 'Hypertension', system: 'http://snomed.info/sct', code: '38341003' },
    category: 'problem-list-item',
    clinicalStatus: 'active',
    severity: null,
    verificationStatus: 'confirmed',
    onset: '2015-06-01',
    onsetText: null,
    abatement: null,
    abatementText: null,
    recorded: '2015-06-01',
    encounterId: null,
    ...overrides,
  };
}

export function encounter(overrides: Partial<EncounterRow> = {}): EncounterRow {
  return {
    id: 'enc-1',
    type: { text: 'General examination', system: null, code: null },
    classLabel: 'Ambulatory',
    status: 'finished',
    start: '2024-01-10T09:00:00Z',
    end: '2024-01-10T09:30:00Z',
    recordUpdated: null,
    reason: null,
    location: 'Main clinic',
    reasons: [],
    locations: ['Main clinic'],
    serviceProvider: null,
    participants: [],
    diagnoses: [],
    ...overrides,
  };
}

export function medication(overrides: Partial<MedicationRow> = {}): MedicationRow {
  return {
    id: 'med-1',
    medication: { text: 'lisinopril 10 MG Oral Tablet', system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' },
    dosage: 'Take 1 tablet by mouth once daily',
    dose: '1 tablet',
    route: 'Oral',
    frequency: '1 time per day',
    status: 'active',
    intent: 'order',
    reported: false,
    prescriber: 'Dr. Amy Shaw',
    authoredOn: '2024-01-10',
    ...overrides,
  };
}

export function allergy(overrides: Partial<AllergyRow> = {}): AllergyRow {
  return {
    id: 'allergy-1',
    substance: { text: 'Penicillin G', system: 'http://snomed.info/sct', code: '373270004' },
    reactions: [],
    criticality: 'low',
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    statement: null,
    recorded: '2020-05-01',
    ...overrides,
  };
}

export function documentRow(overrides: Partial<DocumentRow> = {}): DocumentRow {
  return {
    id: 'note-1',
    resourceId: 'note-1',
    type: { text: 'Progress note', system: 'http://loinc.org', code: '11506-3' },
    category: 'Clinical Note',
    date: '2026-03-24T09:00:00Z',
    author: 'Dr. Omar Haddad',
    status: 'current',
    docStatus: 'final',
    description: null,
    attachments: [{ index: 0, contentType: 'text/html', title: null, size: 2_000, source: 'inline' }],
    encounterIds: [],
    ...overrides,
  };
}
