import { describe, expect, it } from 'vitest';
import { mapAllergy } from './mappers/map-allergy';
import { mapCondition } from './mappers/map-condition';
import { mapEncounter } from './mappers/map-encounter';
import { mapImmunization } from './mappers/map-immunization';
import { dosageText, mapMedicationRequest, medicationReferencesOf } from './mappers/map-medication';
import { interpretationFlag, mapObservation, referenceRangeText } from './mappers/map-observation';
import { ageInYears, mapPatientBanner } from './mappers/map-patient';

const LAB = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const VITAL = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const loinc = (code: string, display?: string) => ({ coding: [{ system: 'http://loinc.org', code, display }] });
const lab = (extra: Record<string, unknown>) => ({
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  category: LAB,
  code: loinc('2345-7', 'Glucose'),
  ...extra,
});

describe('mappers never throw on odd shapes', () => {
  const oddities: unknown[] = [
    null,
    undefined,
    42,
    'Patient',
    [],
    {},
    { resourceType: 'Observation' },
    { resourceType: 'Observation', code: 'x', category: 'y', component: {}, valueQuantity: [] },
    { resourceType: 'Patient', name: 'Bob', identifier: [null, 1, { value: 3 }], birthDate: 'last year' },
    {
      resourceType: 'MedicationRequest',
      dosageInstruction: [null, { timing: { repeat: 'daily' } }],
      medicationReference: 7,
      contained: 'x',
    },
    { resourceType: 'Encounter', type: {}, period: 'x', location: [{ location: null }] },
    { resourceType: 'AllergyIntolerance', reaction: [{ manifestation: 'hives' }, null] },
    { resourceType: 'Condition', onsetPeriod: [], clinicalStatus: 'active' },
    { resourceType: 'Immunization', vaccineCode: null },
  ];
  it.each(oddities.map((value) => [JSON.stringify(value) ?? String(value), value]))('%s', (_label, value) => {
    expect(() => {
      mapPatientBanner(value, new Date());
      mapObservation(value);
      mapCondition(value);
      mapMedicationRequest(value);
      mapAllergy(value);
      mapImmunization(value);
      mapEncounter(value);
    }).not.toThrow();
  });

  it('fills "Unknown" and nulls where a charted resource has nothing to say', () => {
    expect(mapCondition({ resourceType: 'Condition' })).toEqual({
      id: '',
      code: { text: 'Unknown', system: null, code: null },
      category: 'problem-list-item',
      clinicalStatus: null,
      severity: null,
      verificationStatus: null,
      onset: null,
      onsetText: null,
      abatement: null,
      abatementText: null,
      recorded: null,
      encounterId: null,
    });
    expect(mapPatientBanner({ resourceType: 'Patient', id: 'p' }, new Date())).toMatchObject({
      name: 'Unknown',
      birthDate: null,
      ageYears: null,
      mrn: null,
      identifiers: [],
    });
  });
});

describe('Observation values', () => {
  it('keeps a valueQuantity without a unit as a bare number (missing units)', () => {
    expect(mapObservation(lab({ valueQuantity: { value: 5.4 } }))).toMatchObject({
      value: { value: 5.4, unit: null },
      valueText: null,
    });
  });

  it('falls back to the UCUM code when the human unit is missing', () => {
    expect(mapObservation(lab({ valueQuantity: { value: 5.4, code: 'mmol/L' } }))?.value).toEqual({ value: 5.4, unit: 'mmol/L' });
  });

  it('explains a missing value by its dataAbsentReason', () => {
    const row = mapObservation(
      lab({
        dataAbsentReason: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'error', display: 'Error' }],
        },
      }),
    );
    expect(row).toMatchObject({ value: null, valueText: 'No value: Error' });
  });

  it('explains an absent blood-pressure component by its own dataAbsentReason', () => {
    const row = mapObservation({
      resourceType: 'Observation',
      id: 'bp',
      status: 'final',
      category: VITAL,
      code: loinc('85354-9'),
      component: [
        { code: loinc('8480-6'), valueQuantity: { value: 120, unit: 'mmHg' } },
        { code: loinc('8462-4'), dataAbsentReason: { text: 'Patient refused' } },
      ],
    });
    expect(row?.kind).toBe('blood-pressure');
    expect(row?.components[1]).toMatchObject({ value: null, valueText: 'No value: Patient refused' });
    expect(row?.valueText).toBeNull();
  });

  it('reads valueCodeableConcept, valueString, valueBoolean and valueInteger', () => {
    expect(
      mapObservation(lab({ valueCodeableConcept: { coding: [{ code: '260385009', display: 'Negative' }] } }))?.valueText,
    ).toBe('Negative');
    expect(mapObservation(lab({ valueString: '  cloudy ' }))?.valueText).toBe('cloudy');
    expect(mapObservation(lab({ valueBoolean: false }))?.valueText).toBe('No');
    expect(mapObservation(lab({ valueInteger: 3 }))?.value).toEqual({ value: 3, unit: null });
  });

  it('classifies vitals by LOINC even without a category, other vital-signs as "other", uncategorised ones as labs', () => {
    expect(mapObservation({ resourceType: 'Observation', code: loinc('8867-4') })?.kind).toBe('heart-rate');
    expect(mapObservation({ resourceType: 'Observation', code: loinc('59408-5') })?.kind).toBe('spo2');
    expect(mapObservation({ resourceType: 'Observation', category: VITAL, code: loinc('72514-3') })?.kind).toBe('other');
    expect(mapObservation({ resourceType: 'Observation', code: loinc('72166-2') })?.kind).toBe('lab');
    expect(mapObservation({ resourceType: 'Observation', category: [{ text: 'survey' }], code: loinc('72166-2') })).toBeNull();
  });

  it('uses effectivePeriod.start, then issued, for the date, and gives its time in ms for the renderer', () => {
    const period = mapObservation(lab({ effectivePeriod: { start: '2020-01-02' } }));
    expect(period?.effective).toBe('2020-01-02');
    expect(period?.time).toBe(Date.UTC(2020, 0, 2));
    const issued = mapObservation(lab({ issued: '2020-01-03T10:00:00-05:00' }));
    expect(issued?.effective).toBe('2020-01-03T10:00:00-05:00');
    expect(issued?.time).toBe(Date.UTC(2020, 0, 3, 15));
    expect(mapObservation(lab({ effectiveDateTime: '2019-07' }))?.time).toBe(Date.UTC(2019, 6, 1));
    const unreadable = mapObservation(lab({ effectiveDateTime: 'yesterday' }));
    expect(unreadable?.effective).toBeNull();
    expect(unreadable?.time).toBeNull();
  });
});

describe('reference ranges and interpretation flags', () => {
  it('writes low–high unit, one-sided ranges, or the range text', () => {
    expect(referenceRangeText([{ low: { value: 70, unit: 'mg/dL' }, high: { value: 99, unit: 'mg/dL' } }])).toBe('70–99 mg/dL');
    expect(referenceRangeText([{ high: { value: 200, unit: 'mg/dL' } }])).toBe('≤ 200 mg/dL');
    expect(referenceRangeText([{ low: { value: 1 } }])).toBe('≥ 1');
    expect(referenceRangeText([{ text: 'negative' }])).toBe('negative');
    expect(referenceRangeText('70-99')).toBeNull();
  });

  it.each(['H', 'L', 'HH', 'LL', 'A', 'AA', 'HU', 'LU'])('flags %s as abnormal', (code) => {
    const row = mapObservation(
      lab({
        valueQuantity: { value: 1 },
        interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code }] }],
      }),
    );
    expect(row?.flag).toMatchObject({ code, abnormal: true, source: 'ehr-coded' });
  });

  it('never highlights N or a text interpretation; no interpretation is no flag', () => {
    expect(interpretationFlag([{ coding: [{ code: 'N' }] }])).toEqual({
      text: 'Normal',
      code: 'N',
      abnormal: false,
      source: 'ehr-coded',
    });
    expect(interpretationFlag([{ text: 'Normal' }])).toEqual({ text: 'Normal', code: null, abnormal: false, source: 'ehr-text' });
    expect(interpretationFlag(undefined)).toBeNull();
    expect(mapObservation(lab({ valueQuantity: { value: 1 } }))?.flag).toBeNull();
  });
});

describe('Patient banner', () => {
  const today = new Date('2026-06-15T08:00:00Z');
  it('prefers the official name, then the usual one', () => {
    const banner = mapPatientBanner(
      {
        resourceType: 'Patient',
        id: 'p',
        name: [
          { use: 'nickname', given: ['Bo'] },
          { use: 'usual', given: ['Robert'], family: 'Smith' },
        ],
      },
      today,
    );
    expect(banner?.name).toBe('Robert Smith');
  });

  it('counts whole years from the birth date, with partial dates', () => {
    expect(ageInYears('2000-06-15', today)).toBe(26);
    expect(ageInYears('2000-06-16', today)).toBe(25);
    expect(ageInYears('2000-07', today)).toBe(25);
    expect(ageInYears('2000', today)).toBe(26);
    expect(ageInYears('2030-01-01', today)).toBeNull();
  });

  it('finds the MRN by type code MR and labels the other identifiers', () => {
    const banner = mapPatientBanner(
      {
        resourceType: 'Patient',
        id: 'p',
        deceasedDateTime: '2020-01-01',
        identifier: [
          { system: 'urn:hospital', value: 'H-1' },
          { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: 'MRN-9' },
          { type: { text: 'Insurance' }, value: 'INS-3' },
        ],
      },
      today,
    );
    expect(banner).toMatchObject({
      mrn: 'MRN-9',
      deceased: true,
      identifiers: [
        { label: 'urn:hospital', value: 'H-1', sensitive: false },
        { label: 'Insurance', value: 'INS-3', sensitive: false },
      ],
    });
  });
});

describe('MedicationRequest', () => {
  const request = (extra: Record<string, unknown>) => ({
    resourceType: 'MedicationRequest',
    id: 'm',
    status: 'active',
    intent: 'order',
    ...extra,
  });
  const medication = { resourceType: 'Medication', id: 'med1', code: { text: 'Amoxicillin 500 mg' } };

  it('resolves medicationReference against a contained Medication', () => {
    const row = mapMedicationRequest(request({ contained: [medication], medicationReference: { reference: '#med1' } }));
    expect(row?.medication.text).toBe('Amoxicillin 500 mg');
    expect(medicationReferencesOf(request({ medicationReference: { reference: '#med1' } }))).toEqual([]);
  });

  it('resolves medicationReference through the lookup (an _include or a fetch), else its display', () => {
    const withRef = request({ medicationReference: { reference: 'Medication/med1', display: 'Amoxicillin' } });
    expect(medicationReferencesOf(withRef)).toEqual(['Medication/med1']);
    expect(
      mapMedicationRequest(withRef, (reference) => (reference === 'Medication/med1' ? medication : null))?.medication.text,
    ).toBe('Amoxicillin 500 mg');
    expect(mapMedicationRequest(withRef)?.medication.text).toBe('Amoxicillin');
    expect(mapMedicationRequest(request({ medicationReference: { reference: 'Medication/x' } }))?.medication.text).toBe(
      'Unknown',
    );
  });

  it('uses the dosage text, or builds one from dose, route, timing and as-needed', () => {
    expect(dosageText([{ text: 'Take one tablet twice a day' }])).toBe('Take one tablet twice a day');
    expect(
      dosageText([
        {
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
          route: { text: 'oral' },
          timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
        },
      ]),
    ).toBe('1 tablet, oral, 2 times per day');
    expect(dosageText([{ timing: { repeat: { frequency: 1, period: 8, periodUnit: 'h' } }, asNeededBoolean: true }])).toBe(
      '1 time every 8 hours, as needed',
    );
    expect(dosageText([{ timing: { code: { text: 'BID' } } }, { text: 'at night' }])).toBe('BID; at night');
    expect(dosageText([])).toBeNull();
  });

  it('names the prescriber from the requester display', () => {
    expect(mapMedicationRequest(request({ requester: { reference: 'Practitioner/1', display: 'Dr. Who' } }))?.prescriber).toBe(
      'Dr. Who',
    );
  });
});

describe('allergies, immunizations, encounters', () => {
  it('writes reactions as "manifestation (severity)"', () => {
    const row = mapAllergy({
      resourceType: 'AllergyIntolerance',
      id: 'a',
      code: { text: 'Peanut' },
      criticality: 'high',
      reaction: [{ manifestation: [{ text: 'Hives' }, { text: 'Wheeze' }], severity: 'severe' }, { description: 'Felt unwell' }],
    });
    expect(row).toMatchObject({
      substance: { text: 'Peanut' },
      criticality: 'high',
      reactions: ['Hives, Wheeze (severe)', 'Felt unwell'],
    });
  });

  it('reads an encounter period, class, reason and location', () => {
    const row = mapEncounter({
      resourceType: 'Encounter',
      id: 'e',
      status: 'finished',
      class: { code: 'AMB' },
      type: [{ text: 'Checkup' }],
      period: { start: '2020-01-01T10:00:00Z' },
      reasonCode: [{ text: 'Cough' }],
      location: [{ location: { display: 'Clinic A' } }],
    });
    expect(row).toEqual({
      id: 'e',
      type: { text: 'Checkup', system: null, code: null },
      classLabel: 'Ambulatory',
      status: 'finished',
      start: '2020-01-01T10:00:00Z',
      end: null,
      recordUpdated: null,
      reason: 'Cough',
      location: 'Clinic A',
      reasons: ['Cough'],
      locations: ['Clinic A'],
      serviceProvider: null,
      participants: [],
      diagnoses: [],
    });
  });

  it('reads an immunization without an occurrence date', () => {
    expect(mapImmunization({ resourceType: 'Immunization', id: 'i', vaccineCode: { coding: [{ code: '140' }] } })).toEqual({
      id: 'i',
      vaccine: { text: '140', system: null, code: '140' },
      occurrence: null,
      occurrenceText: null,
      status: 'unknown',
    });
  });
});
