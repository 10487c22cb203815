import { describe, expect, it } from 'vitest';
import type { ObservationRow } from '../../../common/chart';
import { formatObservationValue } from './format';

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
  abnormal: false,
  status: 'final',
};

describe('formatObservationValue', () => {
  it('shows blood pressure as systolic/diastolic, as main wrote it', () => {
    expect(formatObservationValue(bloodPressure)).toBe('115/85 mm[Hg]');
  });
  it('joins other components when main gave no text', () => {
    expect(formatObservationValue({ ...bloodPressure, valueText: null })).toBe('84.52/115.07 mm[Hg]');
  });
  it('shows a dash when there is nothing', () => {
    expect(formatObservationValue({ ...bloodPressure, valueText: null, components: [] })).toBe('—');
  });
});
