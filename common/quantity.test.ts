import { describe, expect, it } from 'vitest';
import { formatQuantity } from './quantity';

describe('formatQuantity', () => {
  it.each([
    [{ value: 0.004, unit: 'ng/mL' }, '0.004 ng/mL'],
    [{ value: 0.125, unit: 'mg' }, '0.125 mg'],
    [{ value: 84.52, unit: 'mm[Hg]' }, '84.52 mmHg'],
    [{ value: 5.1, unit: 'mmol/L' }, '5.1 mmol/L'],
    [{ value: 12000, unit: '/uL' }, '12000 /µL'],
    [{ value: 0.0000001, unit: 'g' }, '0.0000001 g'],
    [{ value: -3.5, unit: null }, '-3.5'],
    [{ value: 120, unit: null }, '120'],
    [{ value: 37.2, unit: 'Cel' }, '37.2 °C'],
    [{ value: 27.4, unit: 'kg/m2' }, '27.4 kg/m²'],
  ])('shows %j as the EHR sent it, never rounded, its unit as people write it: %s', (quantity, shown) => {
    expect(formatQuantity(quantity)).toBe(shown);
  });
});
