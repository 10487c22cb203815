import { beforeAll, describe, expect, it } from 'vitest';
import { mapAllergy } from './mappers/map-allergy';
import { mapCondition } from './mappers/map-condition';
import { mapEncounter } from './mappers/map-encounter';
import { mapImmunization } from './mappers/map-immunization';
import { mapMedicationRequest } from './mappers/map-medication';
import { mapObservation, observationValue } from './mappers/map-observation';
import { mapPatientBanner, mapPatientSearchResult } from './mappers/map-patient';
import { loadSyntheaBundles, type SyntheaBundle } from './testing/synthea';

const TODAY = new Date('2026-11-28T12:00:00Z');

const MAPPERS: Record<string, (resource: unknown) => unknown> = {
  Patient: (resource) => mapPatientBanner(resource, TODAY),
  Observation: mapObservation,
  Condition: mapCondition,
  MedicationRequest: (resource) => mapMedicationRequest(resource),
  AllergyIntolerance: mapAllergy,
  Immunization: mapImmunization,
  Encounter: mapEncounter,
};

let bundles: SyntheaBundle[];
let all: SyntheaBundle['resources'];
const ofType = (type: string) => all.filter((resource) => resource.resourceType === type);
const loinc = (resource: Record<string, unknown>) =>
  ((resource.code as { coding?: Array<{ code?: string }> }).coding ?? []).map((coding) => coding.code);

beforeAll(() => {
  bundles = loadSyntheaBundles();
  all = bundles.flatMap((bundle) => bundle.resources);
});

describe('mapping every resource of the Synthea R4 patients (fixtures/synthea-r4)', () => {
  it('finds the four patients and their records', () => {
    expect(ofType('Patient')).toHaveLength(4);
    expect(ofType('Observation').length).toBeGreaterThan(350);
  });

  it('runs every mapper over every resource without throwing; a mapper answers null for other types', () => {
    const started = performance.now();
    const results = all.map((resource) => Object.entries(MAPPERS).map(([type, map]) => ({ type, row: map(resource) })));
    const elapsed = performance.now() - started;
    let mapped = 0;
    results.forEach((perMapper, index) => {
      for (const { type, row } of perMapper) {
        if (type !== all[index]?.resourceType) expect(row).toBeNull();
        else if (row !== null) mapped += 1;
      }
    });
    console.log(
      `mapped ${mapped} of ${all.length} Synthea resources (×${Object.keys(MAPPERS).length} mappers) in ${elapsed.toFixed(1)} ms`,
    );
    expect(mapped).toBeGreaterThan(500);
  });

  it('maps every resource of a charted type, except Observations outside vitals and labs (surveys)', () => {
    for (const [type, map] of Object.entries(MAPPERS)) {
      for (const resource of ofType(type)) {
        const row = map(resource) as { id: string } | null;
        const category = JSON.stringify(resource.category ?? []);
        if (type === 'Observation' && !/vital-signs|laboratory/.test(category)) {
          expect(row, `${type}/${String(resource.id)}`).toBeNull();
          continue;
        }
        expect(row, `${type}/${String(resource.id)}`).not.toBeNull();
        expect(row?.id).toBe(resource.id);
      }
    }
  });

  it('gives every patient a banner: official name, MRN, age from the injected today, labelled identifiers', () => {
    for (const patient of ofType('Patient')) {
      const banner = mapPatientBanner(patient, TODAY);
      expect(banner?.name).not.toBe('Unknown');
      expect(banner?.mrn).toMatch(/^[0-9a-f-]{36}$/);
      expect(banner?.ageYears).toBeGreaterThanOrEqual(0);
      expect(banner?.identifiers.map((identifier) => identifier.label)).toContain('Social Security Number');
      expect(banner?.identifiers.find((identifier) => identifier.label === 'Social Security Number')?.value).toMatch(
        /^[•-]+\d{4}$/,
      );
      // Driver's licence and passport numbers are masked like the SSN; no raw system URL stands as a label.
      for (const type of ["Driver's License", 'Passport Number']) {
        const identifier = banner?.identifiers.find((each) => each.label === type);
        if (identifier) expect(identifier).toMatchObject({ sensitive: true, value: expect.stringMatching(/^[•-]+[A-Z0-9]{4}$/) });
      }
      expect(banner?.identifiers.some((identifier) => /^https?:/.test(identifier.label))).toBe(false);
      expect(mapPatientSearchResult(patient)).toMatchObject({ id: patient.id, name: banner?.name, mrn: banner?.mrn });
    }
  });

  it('masks every licence and passport number', () => {
    const sensitive = ofType('Patient').flatMap((patient) => mapPatientBanner(patient, TODAY)?.identifiers ?? []);
    expect(sensitive.filter((identifier) => identifier.label === "Driver's License").length).toBeGreaterThan(3);
    expect(sensitive.filter((identifier) => identifier.label === 'Passport Number').length).toBeGreaterThan(3);
  });

  it('reads blood pressure from its systolic and diastolic components', () => {
    const pressures = ofType('Observation').filter((resource) => loinc(resource).includes('55284-4'));
    expect(pressures.length).toBeGreaterThan(20);
    for (const resource of pressures) {
      const row = mapObservation(resource);
      expect(row?.kind).toBe('blood-pressure');
      expect(row?.value).toBeNull();
      expect(row?.components.map((component) => component.code.code).sort()).toEqual(['8462-4', '8480-6']);
      for (const component of row?.components ?? []) {
        expect(component.value?.unit).toBe('mm[Hg]');
        expect(component.value?.value).toBeGreaterThan(20);
      }
      expect(row?.valueText).toMatch(/^\d+\/\d+ mmHg$/);
    }
  });

  it('reads valueCodeableConcept (smoking status) as text', () => {
    const coded = ofType('Observation').filter((resource) => resource.valueCodeableConcept);
    expect(coded.length).toBeGreaterThan(0);
    for (const resource of coded) {
      expect(observationValue(resource)).toEqual({ value: null, valueText: expect.stringMatching(/smoker/i) });
    }
  });

  it('classifies the vital signs by LOINC code and the lab results by category', () => {
    const kinds = new Map<string, number>();
    for (const resource of ofType('Observation')) {
      const kind = mapObservation(resource)?.kind;
      if (kind) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    for (const kind of ['height', 'weight', 'bmi', 'blood-pressure', 'temperature', 'lab', 'other']) {
      expect(kinds.get(kind), kind).toBeGreaterThan(0);
    }
  });

  it('names every drug, condition, vaccine and allergy substance', () => {
    for (const resource of ofType('MedicationRequest'))
      expect(mapMedicationRequest(resource)?.medication.text).not.toBe('Unknown');
    for (const resource of ofType('Condition')) expect(mapCondition(resource)?.code.text).not.toBe('Unknown');
    for (const resource of ofType('Immunization')) expect(mapImmunization(resource)?.vaccine.text).not.toBe('Unknown');
    for (const resource of ofType('AllergyIntolerance')) expect(mapAllergy(resource)?.substance.text).not.toBe('Unknown');
    for (const resource of ofType('Encounter')) expect(mapEncounter(resource)?.start).not.toBeNull();
  });
});
