import { describe, expect, it } from 'vitest';
import type { ObservationRow } from './chart';
import { formatAge, formatObservationValue } from './chart-format';

const code = (c: string, text: string) => ({ text, system: 'http://loinc.org', code: c });
const bloodPressure: ObservationRow = {
  id: 'bp',
  kind: 'blood-pressure',
  code: code('85354-9', 'Blood pressure'),
  effective: '2020-07-23',
  value: null,
  // Synthea lists the diastolic component first.
  valueText: '115/85 mm[Hg]',
  components: [
    { code: code('8462-4', 'Diastolic'), value: { value: 84.52, unit: 'mm[Hg]' }, valueText: null },
    { code: code('8480-6', 'Systolic'), value: { value: 115.07, unit: 'mm[Hg]' }, valueText: null },
  ],
  referenceRange: null,
  flag: null,
  status: 'final',
};

describe('formatObservationValue', () => {
  it('shows blood pressure as systolic/diastolic, as main wrote it', () => {
    expect(formatObservationValue(bloodPressure)).toBe('115/85 mm[Hg]');
  });
  it('names each component when main gave no text: a number never stands without what it measures', () => {
    expect(formatObservationValue({ ...bloodPressure, valueText: null })).toBe(
      'Diastolic: 84.52 mm[Hg]; Systolic: 115.07 mm[Hg]',
    );
  });
  it('keeps a value and its components together (SpO2 with its oxygen flow rate)', () => {
    const spo2: ObservationRow = {
      ...bloodPressure,
      kind: 'spo2',
      value: { value: 95, unit: '%' },
      valueText: null,
      components: [{ code: code('3151-8', 'Oxygen Flow Rate'), value: { value: 7, unit: 'L/min' }, valueText: null }],
    };
    expect(formatObservationValue(spo2)).toBe('95 % (Oxygen Flow Rate: 7 L/min)');
  });
  it('keeps a comparator in front of the value', () => {
    const bound: ObservationRow = {
      ...bloodPressure,
      kind: 'lab',
      valueText: null,
      components: [],
      value: { value: 5, unit: 'mg/dL', comparator: '<' },
    };
    expect(formatObservationValue(bound)).toBe('<5 mg/dL');
  });
  it('shows a dash when there is nothing', () => {
    expect(formatObservationValue({ ...bloodPressure, valueText: null, components: [] })).toBe('—');
  });
});

describe('formatAge', () => {
  it('says an age at death is one', () => {
    expect(formatAge({ ageYears: 33, deceased: true })).toBe('33 y at death');
    expect(formatAge({ ageYears: 33, deceased: false })).toBe('33 y');
    expect(formatAge({ ageYears: null, deceased: true })).toBe('unknown');
  });
});
