import { describe, expect, it } from 'vitest';
import type { ObservationRow } from './chart';
import { formatAge, formatAgo, formatAsOf, formatObservationValue, readingWhen, statusWords } from './chart-format';

const code = (c: string, text: string) => ({ text, system: 'http://loinc.org', code: c });
const bloodPressure: ObservationRow = {
  id: 'bp',
  kind: 'blood-pressure',
  code: code('85354-9', 'Blood pressure'),
  effective: '2020-07-23',
  time: Date.UTC(2020, 6, 23),
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
    expect(formatObservationValue({ ...bloodPressure, valueText: null })).toBe('Diastolic: 84.52 mmHg; Systolic: 115.07 mmHg');
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

describe('readable values (issue 18, item 7)', () => {
  const vital = (kind: ObservationRow['kind'], value: number, unit: string): ObservationRow => ({
    ...bloodPressure,
    kind,
    valueText: null,
    components: [],
    value: { value, unit },
  });
  it('writes UCUM units as people do, and a rate as what it counts', () => {
    expect(formatObservationValue(vital('temperature', 37.9, 'Cel'))).toBe('37.9 °C');
    expect(formatObservationValue(vital('heart-rate', 102, '/min'))).toBe('102 bpm');
    expect(formatObservationValue(vital('respiratory-rate', 16, '/min'))).toBe('16 breaths/min');
    expect(formatObservationValue(vital('bmi', 27.4, 'kg/m2'))).toBe('27.4 kg/m²');
  });
  it('shows °F, lb and inches to a US user, rounded to a tenth; labs are never converted', () => {
    expect(formatObservationValue(vital('temperature', 37, 'Cel'), 'us')).toBe('98.6 °F');
    expect(formatObservationValue(vital('weight', 70, 'kg'), 'us')).toBe('154.3 lb');
    expect(formatObservationValue(vital('height', 180, 'cm'), 'us')).toBe('70.9 in');
    expect(formatObservationValue(vital('lab', 70, 'kg'), 'us')).toBe('70 kg');
    expect(formatObservationValue(vital('weight', 154, '[lb_av]'), 'us')).toBe('154 lb');
  });
  it('says status codes as words', () => {
    expect(statusWords('active')).toBe('Active');
    expect(statusWords('entered-in-error')).toBe('Entered in error');
    expect(statusWords(null)).toBe('');
  });
});

describe('when a reading was taken (issue 18, item 4)', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('marks a years-old reading with its date and its age, a recent one with its date and time', () => {
    expect(readingWhen('2019-03-12', now)).toBe('12 Mar 2019, 6 years ago');
    expect(readingWhen('2025-01-02', now)).toBe('2 Jan 2025, 14 months ago');
    expect(readingWhen('2026-03-09T08:00:00Z', now)).toMatch(/^9 Mar 2026 \d\d:\d\d$/);
    expect(formatAgo('2026-02-20', now)).toBe('18 days ago');
  });
  it('says when the chart was read: the time today, the date before', () => {
    expect(formatAsOf(new Date(now.getTime() - 5 * 60_000).toISOString(), now)).toMatch(/^as of \d\d:\d\d$/);
    expect(formatAsOf('2026-03-01T10:00:00Z', now)).toMatch(/^as of 1 Mar 2026 \d\d:\d\d$/);
  });
});
