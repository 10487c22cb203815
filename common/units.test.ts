import { describe, expect, it } from 'vitest';
import { displayQuantity } from './units';

describe('vital signs in the units the clinician chose', () => {
  it('shows metric readings in US units when US is chosen, rounded to one decimal', () => {
    expect(displayQuantity({ value: 37.03837532824058, unit: 'Cel' }, 'temperature', 'us')).toMatchObject({
      value: 98.7,
      unit: '°F',
    });
    expect(displayQuantity({ value: 70, unit: 'kg' }, 'weight', 'us')).toMatchObject({ value: 154.3, unit: 'lb' });
    expect(displayQuantity({ value: 170, unit: 'cm' }, 'height', 'us')).toMatchObject({ value: 66.9, unit: 'in' });
  });

  it('shows readings taken in US units in metric when metric is chosen, so one axis never mixes °F and °C', () => {
    expect(displayQuantity({ value: 100.4, unit: '[degF]' }, 'temperature', 'metric')).toMatchObject({ value: 38, unit: '°C' });
    expect(displayQuantity({ value: 154, unit: '[lb_av]' }, 'weight', 'metric')).toMatchObject({ value: 69.9, unit: 'kg' });
    expect(displayQuantity({ value: 67, unit: '[in_i]' }, 'height', 'metric')).toMatchObject({ value: 170.2, unit: 'cm' });
  });

  it('leaves a reading already in the chosen system, and every lab, as measured (never rounded)', () => {
    expect(displayQuantity({ value: 37.03837532824058, unit: 'Cel' }, 'temperature', 'metric')).toMatchObject({
      value: 37.03837532824058,
      unit: '°C',
    });
    expect(displayQuantity({ value: 98.64, unit: '[degF]' }, 'temperature', 'us')).toMatchObject({ value: 98.64, unit: '°F' });
    expect(displayQuantity({ value: 100.4, unit: '[degF]' }, 'lab', 'metric')).toMatchObject({ value: 100.4, unit: '°F' });
  });
});
