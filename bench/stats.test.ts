import { describe, expect, it } from 'vitest';
import { median, percentile, ratio } from './stats';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('interpolates percentiles between ranks', () => {
    const values = [10, 20, 30, 40, 50];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 95)).toBeCloseTo(48);
    expect(() => percentile(values, 101)).toThrow(RangeError);
  });

  it('divides to three decimals and refuses a zero or unknown denominator', () => {
    expect(ratio(2, 3)).toBe(0.667);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, Number.NaN)).toBeNull();
  });
});
