import { describe, expect, it } from 'vitest';
import { convertVital, formatVitalReading, vitalReadingProblem } from './vital-entry';

describe('vital units', () => {
  it('converts °F, lb and in exactly, both ways', () => {
    expect(convertVital(98.6, '[degF]', 'Cel')).toBeCloseTo(37, 10);
    expect(convertVital(37, 'Cel', '[degF]')).toBeCloseTo(98.6, 10);
    expect(convertVital(1, '[lb_av]', 'kg')).toBe(0.45359237);
    expect(convertVital(70, 'kg', '[lb_av]')).toBeCloseTo(154.3236, 4);
    expect(convertVital(10, '[in_i]', 'cm')).toBe(25.4);
    expect(convertVital(72, '/min', '/min')).toBe(72);
  });
});

describe('plausible vital readings', () => {
  it('accepts ordinary readings in either unit', () => {
    expect(vitalReadingProblem({ kind: 'blood-pressure', systolic: 120, diastolic: 80 })).toBeNull();
    expect(vitalReadingProblem({ kind: 'temperature', value: 98.6, unit: '[degF]' })).toBeNull();
    expect(vitalReadingProblem({ kind: 'temperature', value: 37.2, unit: 'Cel' })).toBeNull();
    expect(vitalReadingProblem({ kind: 'weight', value: 154.5, unit: '[lb_av]' })).toBeNull();
    expect(vitalReadingProblem({ kind: 'spo2', value: 97, unit: '%' })).toBeNull();
  });

  it('refuses a temperature entered in °F while °C is selected, with the range in the unit chosen', () => {
    expect(vitalReadingProblem({ kind: 'temperature', value: 98.6, unit: 'Cel' })).toBe(
      'A body temperature of 98.6 °C is not plausible: it must be between 25 and 45 °C. Check the value and its unit.',
    );
    expect(vitalReadingProblem({ kind: 'temperature', value: 37, unit: '[degF]' })).toContain('between 77 and 113 °F');
  });

  it('refuses inverted or impossible blood pressures, fractions of a beat and a unit the kind has not', () => {
    expect(vitalReadingProblem({ kind: 'blood-pressure', systolic: 80, diastolic: 120 })).toContain('higher than the diastolic');
    expect(vitalReadingProblem({ kind: 'blood-pressure', systolic: 1200, diastolic: 80 })).toContain('not plausible');
    expect(vitalReadingProblem({ kind: 'heart-rate', value: 72.5, unit: '/min' })).toBe(
      'Heart rate is recorded as a whole number.',
    );
    expect(vitalReadingProblem({ kind: 'heart-rate', value: 72, unit: 'kg' })).toBe('Heart rate cannot be recorded in kg.');
    expect(vitalReadingProblem({ kind: 'spo2', value: 101, unit: '%' })).toContain('not plausible');
  });

  it('says a reading in the unit it was entered in', () => {
    expect(formatVitalReading({ kind: 'blood-pressure', systolic: 120, diastolic: 80 })).toBe('120/80 mmHg');
    expect(formatVitalReading({ kind: 'temperature', value: 98.6, unit: '[degF]' })).toBe('98.6 °F');
  });
});
