import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../fhir/fhir-client';
import { keepPatientsOwn, referencesPatient } from './patient-scope';

const BASE = 'https://ehr.example.org/fhir/R4';

describe('a patient reference', () => {
  it.each([
    ['Patient/p1', true],
    ['Patient/p1/_history/3', true],
    [`${BASE}/Patient/p1`, true],
    [`${BASE}/Patient/p1/_history/2`, true],
    ['Patient/p2', false],
    ['Patient/p10', false],
    ['Patient/p2/_history/1', false],
    [`${BASE}/Patient/p2`, false],
    ['https://other.example.org/fhir/R4/Patient/p1', false],
    ['https://ehr.example.org/other-tenant/Patient/p1', false],
    ['https://ehr.example.org/fhir/R4/sub/Patient/p1', false],
    ['/Patient/p1', false],
    ['Group/p1', false],
    ['#p1', false],
    ['urn:uuid:6f1c6c5e-3d55-4c4e-9a43-0d0c1b2c3d4e', false],
    ['Patient/p1/Observation/o1', false],
  ])('%s is this patient: %s', (reference, expected) => {
    expect(referencesPatient(reference, 'p1', BASE)).toBe(expected);
  });

  it('compares paths only, so a base that carries a query string still matches its own patients', () => {
    expect(referencesPatient(`${BASE}/Patient/p1`, 'p1', `${BASE}?ah-practice=Organization/a-1.Practice-195900`)).toBe(true);
  });
});

describe('a page of a chart section', () => {
  const resource = (fields: Record<string, unknown>): FhirResource => ({ resourceType: 'Condition', ...fields });

  it('keeps what names this patient, in subject or patient, and counts what names another', () => {
    const page = [
      resource({ id: 'c1', subject: { reference: 'Patient/p1' } }),
      resource({ id: 'c2', subject: { reference: 'Patient/p2' } }),
      resource({ id: 'a1', resourceType: 'AllergyIntolerance', patient: { reference: `${BASE}/Patient/p1` } }),
      resource({ id: 'a2', resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p3/_history/1' } }),
      resource({ id: 'o1', resourceType: 'Observation', subject: { reference: 'Group/g1' } }),
      // Both fields given and disagreeing: not shown.
      resource({ id: 'c3', subject: { reference: 'Patient/p1' }, patient: { reference: 'Patient/p2' } }),
    ];
    const scoped = keepPatientsOwn(page, 'p1', BASE);
    expect(scoped.kept.map((kept) => kept.id)).toEqual(['c1', 'a1']);
    expect(scoped.otherPatient).toBe(4);
  });

  it('keeps a resource whose patient cannot be checked (no literal reference): the server chose it', () => {
    const page = [
      resource({ id: 'c1' }),
      resource({ id: 'c2', subject: { display: 'Lee Chen' } }),
      resource({ id: 'c3', subject: { identifier: { system: 'urn:mrn', value: '12345' } } }),
    ];
    expect(keepPatientsOwn(page, 'p1', BASE)).toEqual({ kept: page, otherPatient: 0 });
  });
});
