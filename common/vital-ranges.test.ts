import { describe, expect, it } from 'vitest';
import { flagText } from './result-flags';
import { adultVitalFlag, type Measured } from './vital-ranges';

const at = (value: number, ...units: string[]): Measured => ({ value, units });
const none = { systolic: null, diastolic: null };

describe('adultVitalFlag (issue 18: HR 102, temperature 37.9 and SpO2 93 looked normal)', () => {
  it('flags the readings the issue saw as normal', () => {
    expect(flagText(adultVitalFlag('heart-rate', at(102, '/min'), none))).toBe('High (computed, adult range)');
    expect(flagText(adultVitalFlag('temperature', at(37.9, 'Cel'), none))).toBe('High (computed, adult range)');
    expect(flagText(adultVitalFlag('spo2', at(93, '%'), none))).toBe('Low (computed, adult range)');
  });

  it('compares a temperature in °F in °C, and never a value in a unit the range is not written in', () => {
    expect(adultVitalFlag('temperature', at(100.4, '[degF]'), none)?.code).toBe('H');
    expect(adultVitalFlag('temperature', at(98.6, '[degF]'), none)?.code).toBe('N');
    expect(adultVitalFlag('heart-rate', at(102, 'Hz'), none)).toBeNull();
    expect(adultVitalFlag('weight', at(300, 'kg'), none)).toBeNull();
  });

  it('never compares a bound', () => {
    expect(adultVitalFlag('spo2', { value: 90, comparator: '<', units: ['%'] }, none)).toBeNull();
  });

  it('reads blood pressure from both sides: high, low, or abnormal when one is high and the other low', () => {
    const bp = (systolic: number, diastolic: number) =>
      adultVitalFlag('blood-pressure', null, { systolic: at(systolic, 'mm[Hg]'), diastolic: at(diastolic, 'mm[Hg]') })?.code;
    expect(bp(118, 76)).toBe('N');
    expect(bp(142, 76)).toBe('H');
    expect(bp(118, 92)).toBe('H');
    expect(bp(84, 50)).toBe('L');
    expect(bp(150, 50)).toBe('A');
    expect(adultVitalFlag('blood-pressure', null, { systolic: at(150, 'mm[Hg]'), diastolic: null })).toBeNull();
  });

  it('keeps BMI 25 out of the healthy range ("18.5 to under 25")', () => {
    expect(adultVitalFlag('bmi', at(24.9, 'kg/m2'), none)?.code).toBe('N');
    expect(adultVitalFlag('bmi', at(25, 'kg/m2'), none)?.code).toBe('H');
  });
});
